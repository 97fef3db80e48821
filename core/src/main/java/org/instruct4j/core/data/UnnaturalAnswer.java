package org.instruct4j.core.data;

import org.instruct4j.core.io.JsonRow;

/**
 * GPT-4-LLM's Unnatural Instructions answer format: {@code {instruction, input, output (teacher), label (reference)}}.
 */
public record UnnaturalAnswer(String id, String instruction, String input, String output, String label) {

    public static UnnaturalAnswer fromJson(JsonRow row) {
        return new UnnaturalAnswer(row.id("id"), row.string("instruction"), row.optionalString("input", ""),
                row.string("output"), row.string("label"));
    }
}
