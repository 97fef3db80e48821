package org.instruct4j.core.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;

/** One rated response of comparison data v2: the response, the teacher's 1-10 score and which model wrote it. */
public record ScoredResponse(String response, double score, String source) {

    static ScoredResponse fromJson(JsonRow row) {
        return new ScoredResponse(row.string("response"), row.number("score"), row.string("source"));
    }

    ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("response", response);
        node.put("score", score);
        node.put("source", source);
        return node;
    }
}
