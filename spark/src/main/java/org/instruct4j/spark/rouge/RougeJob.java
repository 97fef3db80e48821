package org.instruct4j.spark.rouge;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.eval.rouge.BucketScore;
import org.instruct4j.eval.rouge.LengthBucket;
import org.instruct4j.eval.rouge.RougeEvaluation;
import org.instruct4j.metrics.rouge.RougeTokenizer;
import org.instruct4j.spark.io.HadoopFiles;
import org.instruct4j.spark.io.JobPaths;
import org.instruct4j.spark.io.OutputFormat;
import org.instruct4j.spark.io.OutputLock;
import org.instruct4j.spark.io.StagedInput;
import org.instruct4j.spark.io.TempFiles;

/**
 * {@code eval rouge} as a Spark job: the rows (checked on the driver first) are spread over the partitions, each
 * scored by eval's own evaluation; the per-row scores are committed by Spark and replace {@code O/}, and the means per
 * reference-length bucket are summed by Spark and written to {@code O.result.json} in GPT-4-LLM's result format. The
 * means equal the single-machine ones up to the order of floating-point additions.
 */
public final class RougeJob {
    /** What to score and how; {@code modelName} null takes the rows' model field or the input's name. */
    public record Request(String input, String output, OutputFormat format, int partitions, String predictionField,
            String referenceField, boolean stemming, String tokenizer, String modelName, boolean byLength) {}

    /** The buckets (the four lengths with {@code byLength}, then ALL), and where the scores and the result went. */
    public record Outcome(List<BucketScore> buckets, JobPaths paths, Path result) {}

    private static final StructType SCORES = new StructType().add("length", DataTypes.StringType)
            .add("rouge1", DataTypes.DoubleType).add("rouge2", DataTypes.DoubleType).add("rougeL", DataTypes.DoubleType);

    private RougeJob() {}

    public static Outcome run(SparkSession spark, Request request) {
        RougeTokenizer.named(request.tokenizer());
        JobPaths paths = JobPaths.of(spark, request.output(), null);
        java.nio.file.Path local = TempFiles.createDirectory("instruct4j-spark-rouge-");
        try {
            StagedInput input = StagedInput.stage(spark, request.input(), 0, true, local);
            input.check(() -> Datasets.validate(input.file(), RougeEvaluation.decoder(request.predictionField(), request.referenceField())));
            String model = request.modelName() != null ? request.modelName()
                    : RougeEvaluation.defaultModelName(input.file(), new Path(request.input()).getName());
            try (OutputLock lock = OutputLock.acquire(paths)) {
                Path run = new Path(paths.staging(), "rouge-" + UUID.randomUUID());
                try {
                    HadoopFiles.copyFromLocal(paths.fs(), input.file(), new Path(run, "input.jsonl"));
                    Path scores = new Path(run, "scores");
                    spark.read().textFile(new Path(run, "input.jsonl").toString())
                            .repartition(request.partitions())
                            .mapPartitions(new RougePartition(request.predictionField(), request.referenceField(), request.stemming(),
                                    request.tokenizer(), model), Encoders.STRING())
                            .write().text(scores.toString());
                    List<BucketScore> buckets = means(spark, scores, model, request.byLength());
                    request.format().publish(spark, paths.fs(), scores, paths.rows(), true);
                    Path result = paths.related(".result.json");
                    HadoopFiles.writeString(paths.fs(), result, BucketScore.json(buckets));
                    return new Outcome(buckets, paths, result);
                } finally {
                    HadoopFiles.delete(paths.fs(), run);
                }
            }
        } finally {
            TempFiles.deleteTree(local);
        }
    }

    /** The mean F-measures per length bucket (with {@code byLength}) and over all rows, from Spark's sums. */
    private static List<BucketScore> means(SparkSession spark, Path scores, String model, boolean byLength) {
        Map<String, Row> sums = new HashMap<>();
        for (Row row : spark.read().schema(SCORES).json(scores.toString()).groupBy(col("length"))
                .agg(count("*"), sum("rouge1"), sum("rouge2"), sum("rougeL")).collectAsList()) {
            sums.put(row.getString(0), row);
        }
        List<BucketScore> buckets = new ArrayList<>();
        long all = 0;
        double[] allSums = new double[3];
        for (LengthBucket bucket : LengthBucket.values()) {
            Row row = sums.get(bucket.label());
            long n = row == null ? 0 : row.getLong(1);
            double[] bucketSums = row == null ? new double[3] : new double[] {row.getDouble(2), row.getDouble(3), row.getDouble(4)};
            if (byLength) {
                buckets.add(mean(bucket.label(), n, model, bucketSums));
            }
            all += n;
            for (int k = 0; k < 3; k++) {
                allSums[k] += bucketSums[k];
            }
        }
        buckets.add(mean(LengthBucket.ALL, all, model, allSums));
        return buckets;
    }

    private static BucketScore mean(String label, long rows, String model, double[] sums) {
        return new BucketScore(label, rows, model, sums[0] / rows, sums[1] / rows, sums[2] / rows);
    }
}
