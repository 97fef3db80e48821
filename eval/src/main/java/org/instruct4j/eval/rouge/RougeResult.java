package org.instruct4j.eval.rouge;

import java.util.ArrayList;
import java.util.List;

/** Per-row scores of one model and their means, overall and per length bucket. */
public record RougeResult(String model, List<RowScore> rows) {
    public RougeResult {
        rows = List.copyOf(rows);
    }

    /** The four length buckets, then ALL; or only ALL. */
    public List<BucketScore> buckets(boolean byLength) {
        List<BucketScore> buckets = new ArrayList<>();
        if (byLength) {
            for (LengthBucket bucket : LengthBucket.values()) {
                buckets.add(mean(bucket.label(), rows.stream().filter(r -> r.bucket() == bucket).toList()));
            }
        }
        buckets.add(mean(LengthBucket.ALL, rows));
        return buckets;
    }

    private BucketScore mean(String label, List<RowScore> members) {
        double r1 = 0;
        double r2 = 0;
        double rl = 0;
        for (RowScore row : members) {
            r1 += row.rouge1();
            r2 += row.rouge2();
            rl += row.rougeL();
        }
        int n = members.size();
        return new BucketScore(label, n, model, r1 / n, r2 / n, rl / n);
    }

    /** The result file: a JSON array shaped like GPT-4-LLM's {@code eval_unnatural_instructions/*.json}. */
    public String json(boolean byLength) {
        return BucketScore.json(buckets(byLength));
    }

    /** A plain-text table for the terminal. */
    public String table(boolean byLength) {
        return BucketScore.table(buckets(byLength));
    }
}
