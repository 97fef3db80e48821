package org.instruct4j.spark.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.instruct4j.core.io.Json;
import org.instruct4j.spark.io.HadoopFiles;
import org.instruct4j.spark.io.JobPaths;
import org.instruct4j.spark.io.OutputFormat;
import org.instruct4j.spark.io.Results;
import org.instruct4j.spark.io.RunMetadataFile;
import org.instruct4j.teacher.run.RunMetadata;
import org.instruct4j.teacher.usage.PriceTable;

/**
 * One run of a generation job in {@code O/_staging/<run>/}: {@code run.json} (what the run set out to do), the staged
 * input the executors read, and {@code results/}, the {@link Results} that Spark's commit protocol writes in one job.
 * Publishing
 * moves the rows and failure records into their directories and appends the run to {@code O.meta.json}; every step
 * may be repeated, so a run whose Spark job committed but whose driver died before publishing is published by the
 * next run, and one that never committed is discarded.
 */
final class StagedRun {
    private final JobPaths paths;
    private final Path dir;
    private final ObjectNode info;

    private StagedRun(JobPaths paths, Path dir, ObjectNode info) {
        this.paths = paths;
        this.dir = dir;
        this.info = info;
    }

    /**
     * A new run. {@code info} holds the task, endpoint and settings for the metadata, the pending and already-done
     * counts, and, when failed rows are retried, the failure files the run replaces.
     */
    static StagedRun create(JobPaths paths, ObjectNode info) {
        String id = Instant.now().toString().replaceAll("[:.]", "") + "-" + UUID.randomUUID().toString().substring(0, 8);
        info.put("run_id", id);
        info.put("started_at", Instant.now().toString());
        StagedRun run = new StagedRun(paths, new Path(paths.staging(), id), info);
        HadoopFiles.writeString(paths.fs(), new Path(run.dir, "run.json"), Json.line(info));
        return run;
    }

    /** Runs left by earlier drivers, oldest first. */
    static List<StagedRun> leftovers(JobPaths paths) {
        List<StagedRun> runs = new ArrayList<>();
        for (Path dir : HadoopFiles.directories(paths.fs(), paths.staging())) {
            Path runFile = new Path(dir, "run.json");
            if (!HadoopFiles.exists(paths.fs(), runFile)) {
                HadoopFiles.delete(paths.fs(), dir);
                continue;
            }
            try {
                runs.add(new StagedRun(paths, dir, (ObjectNode) Json.MAPPER.readTree(HadoopFiles.readString(paths.fs(), runFile))));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + runFile + ": " + e.getMessage(), e);
            }
        }
        return runs;
    }

    String id() {
        return info.get("run_id").asText();
    }

    /** The staged input rows, read by the executors. */
    Path input() {
        return new Path(dir, "input.jsonl");
    }

    /** Where the run's Spark job commits its results. */
    Path results() {
        return new Path(dir, "results");
    }

    /** Whether the run's Spark job committed (Spark's {@code _SUCCESS} marker). */
    boolean committed() {
        return HadoopFiles.exists(paths.fs(), new Path(results(), "_SUCCESS"));
    }

    /** Publishes the committed results; returns what the run did, or null when it never committed (it is discarded). */
    RunSummary publish(SparkSession spark, OutputFormat format, PriceTable prices) {
        if (!committed()) {
            discard();
            return null;
        }
        format.publish(spark, paths.fs(), Results.of(results(), Results.ROW), paths.rows(), false);
        OutputFormat.JSONL.publish(spark, paths.fs(), Results.of(results(), Results.FAILURE), paths.failures(), false);
        for (JsonNode replaced : info.path("replaces_failures")) {
            HadoopFiles.delete(paths.fs(), new Path(paths.failures(), replaced.asText()));
        }
        RunSummary summary = RunSummary.of(Results.summaries(paths.fs(), results()), info.path("pending").asLong(), info.path("already_done").asLong(),
                info.path("failed_earlier").asLong(), prices);
        ObjectNode run = RunMetadata.describe(info.path("task").asText(), info.path("endpoint").asText(),
                (ObjectNode) info.get("settings"), Instant.parse(info.get("started_at").asText()), summary.result(), summary.usage());
        run.put("run_id", id());
        RunMetadataFile.append(paths.fs(), paths.metadata(), run);
        discard();
        return summary;
    }

    void discard() {
        HadoopFiles.delete(paths.fs(), dir);
    }
}
