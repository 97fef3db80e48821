package org.instruct4j.teacher.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.JsonlAppender;
import org.instruct4j.core.progress.Progress;
import org.instruct4j.teacher.client.OpenAiChatClient;
import org.instruct4j.teacher.client.TeacherException;
import org.instruct4j.teacher.run.Failures;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.teacher.run.JobResult;
import org.instruct4j.teacher.run.RunMetadata;
import org.instruct4j.teacher.run.WorkItem;
import org.instruct4j.teacher.usage.UsageMeter;

/**
 * Runs a {@link GenerationTask} through the OpenAI Batch API (half the price of live requests): the pending
 * requests are written into input files of at most 50,000 requests and 200 MB, uploaded, turned into batches,
 * polled until they end, and their output and error files merged into the same rows and failure records the
 * live {@link org.instruct4j.teacher.run.JobRunner} writes.
 *
 * <p>Never paying twice: every upload, batch and merge is recorded in {@code O.batches.json} as soon as it
 * happens, each batch carries the SHA-256 of its input file in its metadata, and a batch is only created after
 * looking for one with that digest. A process killed at any point and started again picks up the batches
 * already submitted; their requests are not sent again. Requests a batch never ran (it expired or was
 * cancelled) stay pending and go into a new batch on the next run.
 */
public final class BatchRunner {
    private static final Set<String> ENDED = Set.of("completed", "failed", "expired", "cancelled");

    private final BatchApi api;
    private final BatchOptions options;
    private final UsageMeter usage;
    private final String endpoint;
    private Consumer<BatchStep> steps = step -> {};

    /** {@code usage} should price tokens at the Batch API's rate (factor 0.5). */
    public BatchRunner(OpenAiChatClient client, BatchOptions options, UsageMeter usage) {
        this.api = new BatchApi(client, options.retry());
        this.options = options;
        this.usage = usage;
        this.endpoint = client.endpointDescription() + " (Batch API)";
    }

    /** Called after each durable step; tests throw from it to stop the job at that point. */
    BatchRunner onStep(Consumer<BatchStep> listener) {
        this.steps = listener;
        return this;
    }

    public <S> JobResult run(GenerationTask<S> task, JobFiles files, ObjectNode settings) {
        Instant started = Instant.now();
        if (options.retryFailed() && Files.exists(files.failures())) {
            AtomicFiles.writeString(files.failures(), "");
        }
        BatchState state = BatchState.load(BatchState.fileFor(files));
        JobResult result;
        try (JsonlAppender out = JsonlAppender.open(files.rows(), "id");
                JsonlAppender failures = JsonlAppender.open(files.failures(), "id")) {
            Set<String> finished = new HashSet<>(out.ids());
            long alreadyDone = finished.size();
            finished.addAll(failures.ids());
            Set<String> submitted = state.submittedIds();
            Map<String, WorkItem<S>> items = new HashMap<>();
            List<WorkItem<S>> fresh = new ArrayList<>();
            try (Stream<WorkItem<S>> all = task.items()) {
                all.filter(item -> !finished.contains(item.id())).forEach(item -> {
                    items.put(item.id(), item);
                    if (!submitted.contains(item.id())) {
                        fresh.add(item);
                    }
                });
            }
            BatchMerger<S> merger = new BatchMerger<>(task, out, failures, usage);
            String stoppedBy = null;
            try {
                createMissingBatches(state);
                submit(task.name(), fresh, state, files);
                collect(task.name(), state, items, merger);
            } catch (TeacherException e) {
                stoppedBy = e.getMessage() + " (progress is kept in " + state.file().getFileName()
                        + "; run the same command again to continue)";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stoppedBy = "interrupted";
            }
            result = new JobResult(items.size(), alreadyDone, merger.succeeded(), merger.failed(), merger.truncated(),
                    api.retries(), stoppedBy);
        }
        Failures.compact(files);
        task.finish();
        RunMetadata.appendRun(files.metadata(), RunMetadata.describe(task.name(), endpoint, settings, started, result, usage));
        return result;
    }

    /** Uploads recorded by a process that stopped before it created their batch. */
    private void createMissingBatches(BatchState state) throws TeacherException, InterruptedException {
        for (BatchRecord record : state.records()) {
            if (!record.collected() && !record.hasBatch()) {
                createBatch(record, state);
            }
        }
    }

    private <S> void submit(String taskName, List<WorkItem<S>> fresh, BatchState state, JobFiles files)
            throws TeacherException, InterruptedException {
        int index = 0;
        while (index < fresh.size()) {
            int number = state.nextChunk();
            Path temp = tempFile(files);
            ChunkFile.Chunk chunk;
            try (ChunkFile file = ChunkFile.create(number, temp)) {
                while (index < fresh.size()) {
                    WorkItem<S> item = fresh.get(index);
                    byte[] line = BatchRequestLine.of(item);
                    if (!file.fits(line.length, options.maxRequestsPerFile(), options.maxBytesPerFile())) {
                        break;
                    }
                    file.add(item.id(), line);
                    index++;
                }
                chunk = file.finish();
            }
            if (chunk.customIds().isEmpty()) {
                throw new IllegalArgumentException("request " + fresh.get(index).id() + " alone is larger than "
                        + options.maxBytesPerFile() + " bytes, the Batch API's limit for an input file");
            }
            try {
                String fileId = api.upload(chunk.file(), files.stem() + "-" + taskName + "-" + number + ".jsonl");
                steps.accept(BatchStep.UPLOADED);
                BatchRecord record = BatchRecord.uploaded(number, chunk.digest(), chunk.customIds(), fileId,
                        Instant.now().toString());
                state.put(record);
                steps.accept(BatchStep.UPLOAD_RECORDED);
                createBatch(record, state);
            } finally {
                deleteQuietly(chunk.file());
            }
        }
    }

    private void createBatch(BatchRecord record, BatchState state) throws TeacherException, InterruptedException {
        Batch batch = api.createOrFind(record.inputFileId(), Map.of(BatchApi.DIGEST_KEY, record.digest()), state.batchIds());
        steps.accept(BatchStep.BATCH_CREATED);
        state.put(record.withBatch(batch.id(), batch.inputFileId(), batch.status().asString()));
        steps.accept(BatchStep.BATCH_RECORDED);
    }

    /** Polls the open batches until every one has ended and its results are merged. */
    private <S> void collect(String taskName, BatchState state, Map<String, WorkItem<S>> items, BatchMerger<S> merger)
            throws TeacherException, InterruptedException {
        List<BatchRecord> open = state.records().stream().filter(r -> !r.collected()).toList();
        long total = open.stream().mapToLong(r -> r.customIds().size()).sum();
        long doneBefore = 0;
        try (Progress progress = Progress.create(taskName + " (batch)", total, "req", options.quiet())) {
            while (!open.isEmpty()) {
                long done = doneBefore;
                Map<String, Integer> statuses = new HashMap<>();
                List<BatchRecord> stillOpen = new ArrayList<>();
                for (BatchRecord record : open) {
                    Batch batch = api.retrieve(record.batchId());
                    String status = batch.status().asString();
                    if (!status.equals(record.status())) {
                        record = record.withStatus(status);
                        state.put(record);
                    }
                    statuses.merge(status, 1, Integer::sum);
                    if (ENDED.contains(status)) {
                        merge(record, batch, items, merger);
                        state.put(record.asCollected());
                        steps.accept(BatchStep.RESULTS_MERGED);
                        doneBefore += record.customIds().size();
                        done += record.customIds().size();
                    } else {
                        done += batch.requestCounts().map(c -> c.completed() + c.failed()).orElse(0L);
                        stillOpen.add(record);
                    }
                }
                progress.stepTo(done);
                progress.status(statuses.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                        .sorted().collect(Collectors.joining(", ")) + ", failed " + merger.failed());
                open = stillOpen;
                if (!open.isEmpty()) {
                    Thread.sleep(options.pollInterval());
                }
            }
        }
    }

    private <S> void merge(BatchRecord record, Batch batch, Map<String, WorkItem<S>> items, BatchMerger<S> merger)
            throws TeacherException, InterruptedException {
        Map<String, WorkItem<S>> own = new HashMap<>();
        for (String id : record.customIds()) {
            WorkItem<S> item = items.get(id);
            if (item != null) {
                own.put(id, item);
            }
        }
        for (String fileId : Stream.of(batch.outputFileId(), batch.errorFileId()).flatMap(java.util.Optional::stream).toList()) {
            api.download(fileId, line -> {
                merger.merge(ResultLine.parse(line), own, batch.id());
                steps.accept(BatchStep.RESULT_MERGED);
            });
        }
        if (batch.status().asString().equals("failed")) {
            String reason = "the batch failed: " + validationErrors(batch);
            for (String id : record.customIds()) {
                if (own.containsKey(id)) {
                    merger.fail(id, reason, batch.id());
                }
            }
        }
    }

    private static String validationErrors(Batch batch) {
        List<BatchError> errors = batch.errors().flatMap(e -> e.data()).orElse(List.of());
        if (errors.isEmpty()) {
            return "no reason given";
        }
        return errors.stream().limit(3).map(e -> e.code().orElse("error") + ": " + e.message().orElse("")
                + e.line().map(line -> " (line " + line + ")").orElse("")).collect(Collectors.joining("; "));
    }

    private static Path tempFile(JobFiles files) {
        try {
            Path dir = files.metadata().toAbsolutePath().getParent();
            return Files.createTempFile(dir, "." + files.stem() + ".batch-", ".jsonl");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a batch input file beside " + files.metadata(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stray hidden temporary file is harmless; the job's own state is what matters
        }
    }
}
