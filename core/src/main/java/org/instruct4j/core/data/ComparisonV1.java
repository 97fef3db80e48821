package org.instruct4j.core.data;

import org.instruct4j.core.io.JsonRow;

/** Comparison data v1: {@code {user_input, completion_a (better), completion_b (worse)}}. */
public record ComparisonV1(String userInput, String completionA, String completionB) {

    public static ComparisonV1 fromJson(JsonRow row) {
        return new ComparisonV1(row.string("user_input"), row.string("completion_a"), row.string("completion_b"));
    }
}
