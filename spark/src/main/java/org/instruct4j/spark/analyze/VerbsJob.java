package org.instruct4j.spark.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.instruct4j.analysis.input.DatasetTexts;
import org.instruct4j.analysis.report.AnalysisJson;
import org.instruct4j.analysis.verbs.VerbNounCounts;
import org.instruct4j.core.io.Json;
import org.instruct4j.spark.io.JobPaths;
import org.instruct4j.spark.io.OutputFormat;
import org.instruct4j.spark.io.StagedInput;
import org.instruct4j.spark.io.TempFiles;
import org.instruct4j.spark.io.TotalledJob;

/**
 * {@code analyze verbs} as a Spark job: the rows (checked on the driver first) are spread over the partitions, each
 * applying the analysis module's verb-noun rule; the per-row results are committed by Spark and replace {@code O/},
 * and the partitions' counts are added up into {@code O.result.json}, the JSON that {@code analyze verbs --output}
 * writes. Counts are exact, so they equal the single-machine run's.
 */
public final class VerbsJob {
    /** What to analyse; {@code field} null takes the first of output, text, response; {@code name} null the input's name. */
    public record Request(String input, String output, OutputFormat format, int partitions, String field, String name,
            long limit, int top, boolean quiet) {}

    /** The dataset as named in the result, the counts, and where the rows and the result went. */
    public record Outcome(DatasetTexts dataset, VerbNounCounts counts, JobPaths paths, Path result) {}

    private VerbsJob() {}

    public static Outcome run(SparkSession spark, Request request) {
        JobPaths paths = JobPaths.of(spark, request.output(), null);
        java.nio.file.Path local = TempFiles.createDirectory("instruct4j-spark-verbs-");
        try {
            StagedInput input = StagedInput.stage(spark, request.input(), request.limit(), true, local);
            String field = input.check(() -> DatasetTexts.read(input.file(), null, request.field())).field();
            String name = request.name() != null ? request.name()
                    : DatasetTexts.defaultName(java.nio.file.Path.of(new Path(request.input()).getName()));
            DatasetTexts dataset = new DatasetTexts(name, java.nio.file.Path.of(request.input()), field, List.of());
            TotalledJob.Totals<VerbNounCounts> totals = TotalledJob.run(spark, paths, input, request.partitions(), request.format(),
                    "verbs " + name, request.quiet(), done -> new VerbsPartition(field, done), VerbsJob::add, counts -> {
                        ObjectNode json = Json.object();
                        json.putArray("datasets").add(AnalysisJson.verbs(dataset, counts, request.top()));
                        return json.toPrettyString() + "\n";
                    });
            return new Outcome(dataset, totals.value(), paths, totals.result());
        } finally {
            TempFiles.deleteTree(local);
        }
    }

    private static VerbNounCounts add(List<JsonNode> summaries) {
        VerbNounCounts counts = new VerbNounCounts();
        summaries.forEach(summary -> counts.add(VerbNounCounts.fromJson(summary)));
        return counts;
    }
}
