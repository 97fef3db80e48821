package org.instruct4j.core.data;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonRow;

/**
 * Comparison data v2 (GPT-4-LLM {@code comparison_data_v2.json}):
 * {@code {user_input, responses_and_scores:[{response, score, source}]}}.
 */
public record ComparisonV2(String userInput, List<ScoredResponse> responsesAndScores) {

    public static ComparisonV2 fromJson(JsonRow row) {
        String userInput = row.string("user_input");
        int n = row.arraySize("responses_and_scores", true);
        List<ScoredResponse> responses = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            responses.add(ScoredResponse.fromJson(row.element("responses_and_scores", i)));
        }
        return new ComparisonV2(userInput, List.copyOf(responses));
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("user_input", userInput);
        ArrayNode responses = node.putArray("responses_and_scores");
        responsesAndScores.forEach(r -> responses.add(r.toJson()));
        return node;
    }
}
