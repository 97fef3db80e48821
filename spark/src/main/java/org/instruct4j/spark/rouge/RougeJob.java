package org.instruct4j.spark.rouge;

import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.eval.rouge.BucketScore;
import org.instruct4j.eval.rouge.RougeEvaluation;
import org.instruct4j.metrics.rouge.RougeTokenizer;
import org.instruct4j.spark.io.JobPaths;
import org.instruct4j.spark.io.OutputFormat;
import org.instruct4j.spark.io.StagedInput;
import org.instruct4j.spark.io.TempFiles;
import org.instruct4j.spark.io.TotalledJob;

/**
 * {@code eval rouge} as a Spark job: the rows (checked on the driver first) are spread over the partitions, each
 * scored by eval's own evaluation; the per-row scores are committed by Spark and replace {@code O/}, and the means per
 * reference-length bucket are summed by Spark and written to {@code O.result.json} in GPT-4-LLM's result format. The
 * means equal the single-machine ones up to the order of floating-point additions.
 */
public final class RougeJob {
    /** What to score and how; {@code modelName} null takes the rows' model field or the input's name. */
    public record Request(String input, String output, OutputFormat format, int partitions, String predictionField,
            String referenceField, boolean stemming, String tokenizer, String modelName, boolean byLength, boolean quiet) {}

    /** The buckets (the four lengths with {@code byLength}, then ALL), and where the scores and the result went. */
    public record Outcome(List<BucketScore> buckets, JobPaths paths, Path result) {}

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
            TotalledJob.Totals<List<BucketScore>> totals = TotalledJob.run(spark, paths, input, request.partitions(), request.format(),
                    "rouge " + model, request.quiet(), done -> new RougePartition(request.predictionField(), request.referenceField(),
                            request.stemming(), request.tokenizer(), model, done), summaries -> BucketSums.means(summaries, model, request.byLength()), BucketScore::json);
            return new Outcome(totals.value(), paths, totals.result());
        } finally {
            TempFiles.deleteTree(local);
        }
    }
}
