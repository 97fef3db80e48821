package org.instruct4j.spark.rouge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.Json;
import org.instruct4j.eval.rouge.BucketScore;
import org.instruct4j.eval.rouge.LengthBucket;
import org.instruct4j.eval.rouge.RowScore;

/**
 * Row counts and F-measure sums per reference-length bucket: each partition's summary ({@link #of}), added up on the
 * driver in partition order into the means ({@link #means}).
 */
final class BucketSums {
    private BucketSums() {}

    /** {@code {"0-2": {"rows", "rouge1", "rouge2", "rougeL"}, ...}} for one partition's scores, in row order. */
    static ObjectNode of(List<RowScore> scores) {
        ObjectNode sums = Json.object();
        for (LengthBucket bucket : LengthBucket.values()) {
            sums.putObject(bucket.label()).put("rows", 0L).put("rouge1", 0.0).put("rouge2", 0.0).put("rougeL", 0.0);
        }
        for (RowScore score : scores) {
            ObjectNode bucket = (ObjectNode) sums.get(score.bucket().label());
            bucket.put("rows", bucket.get("rows").asLong() + 1);
            bucket.put("rouge1", bucket.get("rouge1").asDouble() + score.rouge1());
            bucket.put("rouge2", bucket.get("rouge2").asDouble() + score.rouge2());
            bucket.put("rougeL", bucket.get("rougeL").asDouble() + score.rougeL());
        }
        return sums;
    }

    /** The four length buckets (with {@code byLength}), then ALL, from the partitions' summaries. */
    static List<BucketScore> means(List<JsonNode> summaries, String model, boolean byLength) {
        List<BucketScore> buckets = new ArrayList<>();
        double[] all = new double[4];
        for (LengthBucket bucket : LengthBucket.values()) {
            double[] sums = new double[4];
            for (JsonNode summary : summaries) {
                JsonNode partition = summary.get(bucket.label());
                sums[0] += partition.get("rows").asLong();
                sums[1] += partition.get("rouge1").asDouble();
                sums[2] += partition.get("rouge2").asDouble();
                sums[3] += partition.get("rougeL").asDouble();
            }
            if (byLength) {
                buckets.add(mean(bucket.label(), sums, model));
            }
            for (int k = 0; k < all.length; k++) {
                all[k] += sums[k];
            }
        }
        buckets.add(mean(LengthBucket.ALL, all, model));
        return buckets;
    }

    private static BucketScore mean(String label, double[] sums, String model) {
        long rows = (long) sums[0];
        return new BucketScore(label, rows, model, sums[1] / rows, sums[2] / rows, sums[3] / rows);
    }
}
