package org.instruct4j.spark.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.spark.io.Results;
import org.instruct4j.spark.io.TempFiles;
import org.instruct4j.core.io.Json;
import org.instruct4j.teacher.client.OpenAiChatClient;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.teacher.run.JobOptions;
import org.instruct4j.teacher.run.JobResult;
import org.instruct4j.teacher.run.JobRunner;
import org.instruct4j.teacher.run.RunMetadata;
import org.instruct4j.teacher.run.TeacherCaller;
import org.instruct4j.teacher.usage.PriceTable;
import org.instruct4j.teacher.usage.UsageMeter;
import scala.Tuple2;

/**
 * What one Spark task does with its partition: the rows go to a task-local JSONL file, the command's own task is
 * built over it ({@link TaskRecipe}), and the real {@link JobRunner} runs it (this partition's share of the limits,
 * retries, failure records, usage) into task-local files. The task then emits its {@link Results}: every output row,
 * every failure record and one summary of counts and usage. Nothing
 * reaches the output before Spark commits the task, so a failed or retried attempt leaves no row behind.
 */
final class PartitionJob implements MapPartitionsFunction<String, Tuple2<String, String>> {
    private final TaskRecipe recipe;
    private final Broadcast<Set<String>> pending;
    private final TeacherEndpoint endpoint;
    private final JobOptions options;
    private final Broadcast<SideFiles> sideFiles;
    private final LongAccumulator produced;

    /**
     * @param options this partition's share: the global limits divided by the number of partitions
     */
    PartitionJob(TaskRecipe recipe, Broadcast<Set<String>> pending, TeacherEndpoint endpoint, JobOptions options,
            Broadcast<SideFiles> sideFiles, LongAccumulator produced) {
        this.recipe = recipe;
        this.pending = pending;
        this.endpoint = endpoint;
        this.options = options;
        this.sideFiles = sideFiles;
        this.produced = produced;
    }

    @Override
    public Iterator<Tuple2<String, String>> call(Iterator<String> rows) throws IOException {
        if (!rows.hasNext()) {
            return List.<Tuple2<String, String>>of().iterator();
        }
        Path workDir = TempFiles.createDirectory("instruct4j-partition-");
        TaskContext.get().addTaskCompletionListener((TaskCompletionListener) context -> TempFiles.deleteTree(workDir));
        Path input = workDir.resolve("input.jsonl");
        Files.write(input, (Iterable<String>) () -> rows, StandardCharsets.UTF_8);
        GenerationTask<?> task = new PartitionShare<>(recipe.open(input, sideFiles.value().writeInto(workDir.resolve("side")), workDir), pending.value(), produced);
        JobFiles files = JobFiles.forOutput(workDir.resolve(TaskRecipe.ROWS_FILE));
        ObjectNode summary = run(task, files);
        Stream<Tuple2<String, String>> emitted = Stream.concat(Stream.concat(
                lines(files.rows(), Results.ROW), lines(files.failures(), Results.FAILURE)),
                Stream.of(new Tuple2<>(Results.SUMMARY, Json.line(summary))));
        TaskContext.get().addTaskCompletionListener((TaskCompletionListener) context -> emitted.close());
        return emitted.iterator();
    }

    /** Runs the task; the summary is the run's metadata entry (counts, usage, why it stopped early). */
    private ObjectNode run(GenerationTask<?> task, JobFiles files) {
        Instant started = Instant.now();
        UsageMeter usage = new UsageMeter(PriceTable.free(), 1.0);
        OpenAiChatClient client;
        try {
            client = endpoint.client();
        } catch (BadInputException missingKey) {
            JobResult stopped = new JobResult(0, 0, 0, 0, 0, 0, 0, "on executor " + executorId() + ": " + missingKey.getMessage()
                    + " (on a cluster, pass --conf spark.executorEnv." + endpoint.apiKeyEnv() + "=...)", null);
            return RunMetadata.describe(task.name(), OpenAiChatClient.withoutCredentials(endpoint.baseUrl()), Json.object(),
                    started, stopped, usage);
        }
        try (client) {
            TeacherCaller caller = new TeacherCaller(client, options, usage);
            JobResult result = new JobRunner(caller, options).run(task, files, Json.object());
            return RunMetadata.describe(task.name(), caller.endpointDescription(), Json.object(), started, result, usage);
        }
    }

    private static String executorId() {
        return org.apache.spark.SparkEnv.get().executorId();
    }

    private static Stream<Tuple2<String, String>> lines(Path file, String kind) {
        if (!Files.exists(file)) {
            return Stream.empty();
        }
        try {
            return Files.lines(file, StandardCharsets.UTF_8).filter(line -> !line.isEmpty()).map(line -> new Tuple2<>(kind, line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
