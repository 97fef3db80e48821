package org.instruct4j.spark.generate;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Json;
import org.instruct4j.spark.io.HadoopFiles;
import org.instruct4j.spark.io.JobPaths;
import org.instruct4j.spark.io.OutputFormat;
import org.instruct4j.spark.io.OutputLock;
import org.instruct4j.spark.io.Partitions;
import org.instruct4j.spark.io.Results;
import org.instruct4j.spark.io.RowProgress;
import org.instruct4j.spark.io.RunMetadataFile;
import org.instruct4j.spark.io.StagedInput;
import org.instruct4j.spark.io.TempFiles;
import org.instruct4j.teacher.client.OpenAiChatClient;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.JobOptions;
import org.instruct4j.teacher.run.JobResult;
import org.instruct4j.teacher.run.RunMetadata;
import org.instruct4j.teacher.run.WorkItem;
import org.instruct4j.teacher.usage.PriceTable;
import org.instruct4j.teacher.usage.UsageMeter;
import scala.Tuple2;

/**
 * A generate command as a Spark job, for any {@link TaskRecipe}. On the driver: the input is staged with ids and
 * checked by the stage's own code (bad input fails before anything is written), the ids already in the output (and
 * in the failure records, unless failed rows are retried) are skipped, and what remains is spread over
 * {@code partitions} Spark tasks. Each task runs the real job runner over its rows with this share of the limits:
 * {@code --rpm} and {@code --tpm} divided by the number of partitions, so the partitions running at once stay within
 * the global limits, and {@code --concurrency} requests in flight. The results are committed by Spark and then
 * published ({@link StagedRun}), so a failed or retried task never leaves a row behind and no id is written twice.
 */
public final class GenerationJob {
    /** What to run: the input, the output and its format, the partitions, the teacher and the job's global options. */
    public record Request(String input, long limit, String output, OutputFormat format, int partitions,
            TeacherEndpoint endpoint, JobOptions options, PriceTable prices, ObjectNode settings) {
        public Request {
            if (partitions < 1) {
                throw new BadInputException("--partitions must be at least 1, got " + partitions);
            }
        }
    }

    /** What the run did and used; {@code paths} tells where everything went. */
    public record Outcome(JobResult result, UsageMeter usage, JobPaths paths) {}

    private final SparkSession spark;
    private final TaskRecipe recipe;
    private final Request request;

    public GenerationJob(SparkSession spark, TaskRecipe recipe, Request request) {
        this.spark = spark;
        this.recipe = recipe;
        this.request = request;
    }

    public Outcome run(PrintWriter err) {
        if (Boolean.parseBoolean(spark.conf().get("spark.speculation", "false"))) {
            throw new BadInputException("spark.speculation runs some tasks twice, which would ask the teacher twice and"
                    + " exceed the rate limits; turn it off for instruct4j jobs");
        }
        JobPaths paths = JobPaths.of(spark, request.output(), recipe.assembles() ? "." + recipe.name() : null);
        java.nio.file.Path local = TempFiles.createDirectory("instruct4j-spark-");
        try {
            StagedInput input = StagedInput.stage(spark, request.input(), request.limit(), recipe.numbersRows(), local);
            List<java.nio.file.Path> sideFiles = recipe.sideFiles().stream().map(java.nio.file.Path::of).toList();
            GenerationTask<?> task = input.check(() -> recipe.open(input.file(), sideFiles, local));
            List<String> itemIds = itemIds(task);
            try (OutputLock lock = OutputLock.acquire(paths)) {
                publishLeftovers(paths, err);
                Outcome outcome = runPending(paths, input, itemIds);
                if (recipe.assembles()) {
                    assemble(paths, task, local);
                }
                return outcome;
            }
        } finally {
            TempFiles.deleteTree(local);
        }
    }

    private static List<String> itemIds(GenerationTask<?> task) {
        try (var items = task.items()) {
            return items.map(WorkItem::id).toList();
        }
    }

    /** Publishes the runs an earlier driver left behind after Spark had committed them; discards uncommitted ones. */
    private void publishLeftovers(JobPaths paths, PrintWriter err) {
        for (StagedRun leftover : StagedRun.leftovers(paths)) {
            RunSummary summary = leftover.publish(spark, request.format(), request.prices());
            if (summary != null) {
                err.printf("%s: published run %s, which an earlier driver left after its Spark job had committed: %,d rows%n",
                        recipe.name(), leftover.id(), summary.result().succeeded());
            }
        }
    }

    private Outcome runPending(JobPaths paths, StagedInput input, List<String> itemIds) {
        Set<String> done = request.format().ids(spark, paths.fs(), paths.rows());
        Set<String> failed = request.options().retryFailed() ? Set.of() : OutputFormat.JSONL.ids(spark, paths.fs(), paths.failures());
        Set<String> pending = new HashSet<>();
        long failedEarlier = 0;
        for (String id : itemIds) {
            if (done.contains(id)) {
                continue;
            }
            if (failed.contains(id)) {
                failedEarlier++;
            } else {
                pending.add(id);
            }
        }
        ObjectNode info = Json.object();
        info.put("task", recipe.name());
        info.put("endpoint", OpenAiChatClient.withoutCredentials(request.endpoint().baseUrl()));
        info.set("settings", request.settings());
        info.put("pending", pending.size());
        info.put("already_done", done.size());
        info.put("failed_earlier", failedEarlier);
        if (pending.isEmpty()) {
            UsageMeter nothing = new UsageMeter(request.prices(), 1.0);
            JobResult result = new JobResult(0, done.size(), 0, 0, 0, 0, failedEarlier, null, null);
            ObjectNode entry = RunMetadata.describe(recipe.name(), info.get("endpoint").asText(), request.settings(), Instant.now(),
                    result, nothing);
            entry.put("run_id", "nothing-to-do-" + Instant.now());
            RunMetadataFile.append(paths.fs(), paths.metadata(), entry);
            return new Outcome(result, nothing, paths);
        }
        if (request.options().retryFailed()) {
            ArrayNode replaced = info.putArray("replaces_failures");
            HadoopFiles.dataFiles(paths.fs(), paths.failures()).forEach(f -> replaced.add(f.getPath().getName()));
        }
        StagedRun run = StagedRun.create(paths, info);
        HadoopFiles.copyFromLocal(paths.fs(), input.file(), run.input());
        compute(run, pending);
        RunSummary summary = run.publish(spark, request.format(), request.prices());
        return new Outcome(summary.result(), summary.usage(), paths);
    }

    /** The Spark job: staged rows, spread over the partitions, through {@link PartitionJob}, committed into the run. */
    private void compute(StagedRun run, Set<String> pending) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<Set<String>> pendingIds = context.broadcast(pending);
        LongAccumulator produced = spark.sparkContext().longAccumulator("instruct4j " + recipe.name() + " rows");
        JobOptions global = request.options();
        int partitions = request.partitions();
        JobOptions share = new JobOptions(global.concurrency(), global.requestsPerMinute() / partitions,
                global.tokensPerMinute() / partitions, global.retry(), false, true);
        Broadcast<SideFiles> sideFiles = context.broadcast(SideFiles.read(recipe.sideFiles()));
        PartitionJob job = new PartitionJob(recipe, pendingIds, request.endpoint(), share, sideFiles, produced);
        Dataset<Tuple2<String, String>> results = Partitions.exactly(spark.read().textFile(run.input().toString()), partitions)
                .mapPartitions(job, Encoders.tuple(Encoders.STRING(), Encoders.STRING()));
        spark.sparkContext().setJobDescription("instruct4j " + recipe.name() + ": " + pending.size() + " requests");
        try (RowProgress progress = RowProgress.start(spark.sparkContext(), produced, recipe.name(), pending.size(), global.quiet())) {
            Results.write(results, run.results());
        } finally {
            spark.sparkContext().setJobDescription(null);
            pendingIds.destroy();
            sideFiles.destroy();
        }
    }

    /**
     * Assembles the output from every row of the job (ratings into comparison data) with the task's own
     * {@code finish()}, on the driver, and publishes it in place of the previous one.
     */
    private void assemble(JobPaths paths, GenerationTask<?> task, java.nio.file.Path local) {
        java.nio.file.Path rows = local.resolve(TaskRecipe.ROWS_FILE);
        try (BufferedWriter out = Files.newBufferedWriter(rows, StandardCharsets.UTF_8)) {
            if (!HadoopFiles.dataFiles(paths.fs(), paths.rows()).isEmpty()) {
                for (Iterator<String> lines = request.format().jsonLines(spark, paths.fs(), paths.rows()).toLocalIterator(); lines.hasNext(); ) {
                    out.write(lines.next());
                    out.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + rows + ": " + e.getMessage(), e);
        }
        task.finish();
        Path staged = new Path(paths.staging(), "assembled");
        HadoopFiles.delete(paths.fs(), staged);
        HadoopFiles.copyFromLocal(paths.fs(), local.resolve(TaskRecipe.ASSEMBLED_FILE), new Path(staged, "part-00000.jsonl"));
        request.format().publish(spark, paths.fs(), staged, paths.output(), true);
        HadoopFiles.delete(paths.fs(), staged);
    }

}
