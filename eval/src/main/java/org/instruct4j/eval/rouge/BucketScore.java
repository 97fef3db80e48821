package org.instruct4j.eval.rouge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.instruct4j.core.io.Json;

/**
 * Mean ROUGE F-measures over the rows of one length bucket, as a row of GPT-4-LLM's result files:
 * {@code {Length, NumInstance, Model, rouge1, rouge2, rougeL}}. An empty bucket has NaN means, written as null.
 */
public record BucketScore(String length, long rows, String model, double rouge1, double rouge2, double rougeL) {

    public ObjectNode toJson() {
        ObjectNode node = Json.object();
        node.put("Length", length);
        node.put("NumInstance", rows);
        node.put("Model", model);
        putMean(node, "rouge1", rouge1);
        putMean(node, "rouge2", rouge2);
        putMean(node, "rougeL", rougeL);
        return node;
    }

    private static void putMean(ObjectNode node, String key, double value) {
        if (Double.isNaN(value)) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }
}
