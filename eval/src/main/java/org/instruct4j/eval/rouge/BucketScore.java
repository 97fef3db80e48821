package org.instruct4j.eval.rouge;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
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

    /** A result file: a JSON array shaped like GPT-4-LLM's {@code eval_unnatural_instructions/*.json}. */
    public static String json(List<BucketScore> buckets) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        buckets.forEach(b -> array.add(b.toJson()));
        return array.toPrettyString() + "\n";
    }

    /** A plain-text table of buckets for the terminal. */
    public static String table(List<BucketScore> buckets) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-8s %8s %8s %8s %8s   %s%n",
                "Length", "rows", "rouge1", "rouge2", "rougeL", "model"));
        for (BucketScore b : buckets) {
            table.append(String.format(Locale.ROOT, "%-8s %8d %8s %8s %8s   %s%n", b.length(), b.rows(), format(b.rouge1()),
                    format(b.rouge2()), format(b.rougeL()), b.model()));
        }
        return table.toString();
    }

    private static String format(double mean) {
        return Double.isNaN(mean) ? "-" : String.format(Locale.ROOT, "%.4f", mean);
    }

    private static void putMean(ObjectNode node, String key, double value) {
        if (Double.isNaN(value)) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }
}
