package org.instruct4j.teacher.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.JsonlAppender;
import org.instruct4j.core.io.WriteFailure;
import org.instruct4j.core.progress.Progress;
import org.instruct4j.teacher.client.OpenAiChatClient;
import org.instruct4j.teacher.client.TeacherException;
import org.instruct4j.teacher.run.Failures;
import org.instruct4j.teacher.run.GenerationTask;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.teacher.run.JobResult;
import org.instruct4j.teacher.run.RunMetadata;
import org.instruct4j.teacher.run.RunRecord;
import org.instruct4j.teacher.run.Settled;
import org.instruct4j.teacher.run.WorkItem;
import org.instruct4j.teacher.usage.CostGuard;
import org.instruct4j.teacher.usage.UsageMeter;

/**
 * Runs a {@link GenerationTask} through the OpenAI Batch API (half the price of live requests): the pending
 * requests are written into input files of at most 50,000 requests and 200 MB, uploaded, turned into batches,
 * polled until they end, and their output and error files merged into the same rows and failure records the
 * live {@link org.instruct4j.teacher.run.JobRunner} writes.
 *
 * <p>Never paying twice: every upload, batch and merge is recorded in {@code O.batches.json} as soon as it
 * happens, and each batch carries the SHA-256 of its input file in its metadata. A process killed at any point and
 * started again picks up the batches already submitted; their requests are not sent again. Only a process killed
 * between creating a batch and recording it leaves a batch the state file does not name: the next run looks for it
 * among the account's batches when the server can list them, and otherwise creates it anew. Requests a batch never
 * ran (it expired, was cancelled, or ended without a result for them) stay pending and go into a new batch on the
 * next run. Upload files are removed once uploaded, and those a killed process left are removed at the next start.
 *
 * <p>Before anything is uploaded the run says how many requests it will send and what they should cost; a prompt
 * larger than the model's context is recorded as a failure, not sent, and with a budget ({@link CostGuard}) no
 * request is submitted that could take the job past it.
 */
public final class BatchRunner {
    private static final Set<String> ENDED = Set.of("completed", "failed", "expired", "cancelled");

    private final BatchApi api;
    private final BatchOptions options;
    private final UsageMeter usage;
    private final CostGuard guard;
    private final Consumer<String> notes;
    private final String endpoint;
    private Consumer<BatchStep> steps = step -> {};

    /** {@code usage} should price tokens at the Batch API's rate (factor 0.5); {@code notes} receives the cost estimate. */
    public BatchRunner(OpenAiChatClient client, BatchOptions options, UsageMeter usage, CostGuard guard, Consumer<String> notes) {
        this.api = new BatchApi(client, options.retry());
        this.options = options;
        this.usage = usage;
        this.guard = guard;
        this.notes = notes;
        this.endpoint = client.endpointDescription() + " (Batch API)";
    }

    public BatchRunner(OpenAiChatClient client, BatchOptions options, UsageMeter usage) {
        this(client, options, usage, CostGuard.unlimited(usage), note -> {});
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
        try (JsonlAppender out = JsonlAppender.open(files.rows(), "id");
                RunRecord record = RunRecord.start(files, task.name(), endpoint, settings, usage)) {
            guard.spentBefore(record.spentBefore());
            removeLeftoverUploads(files);
            BatchState state = BatchState.load(files.batchState());
            JobResult result;
            try (JsonlAppender failures = JsonlAppender.open(files.failures(), "id")) {
                Settled settled = Settled.of(out, failures);
                Set<String> submitted = state.submittedIds();
                Map<String, WorkItem<S>> items = new HashMap<>();
                List<WorkItem<S>> fresh = new ArrayList<>();
                long failedEarlier = 0;
                CostGuard.Estimate estimate = guard.estimate();
                try (Stream<WorkItem<S>> all = task.items()) {
                    for (Iterator<WorkItem<S>> it = all.iterator(); it.hasNext(); ) {
                        WorkItem<S> item = it.next();
                        if (settled.failedBefore(item.id())) {
                            failedEarlier++;
                        } else if (!settled.contains(item.id())) {
                            items.put(item.id(), item);
                            if (submitted.contains(item.id())) {
                                guard.commitSubmitted(item.call());
                            } else {
                                fresh.add(item);
                                estimate.add(item.call());
                            }
                        }
                    }
                }
                String cost = estimate.describe();
                if (cost != null) {
                    notes.accept(task.name() + " (batch): " + cost);
                }
                BatchMerger<S> merger = new BatchMerger<>(task, out, failures, usage);
                String stoppedBy = null;
                try {
                    createMissingBatches(state);
                    submit(task.name(), fresh, state, files, merger);
                    collect(task.name(), state, items, merger);
                } catch (TeacherException e) {
                    stoppedBy = e.getMessage() + " (progress is kept in " + state.file().getFileName()
                            + "; run the same command again to continue)";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stoppedBy = "interrupted";
                }
                result = new JobResult(items.size(), settled.alreadyDone(), merger.succeeded(), merger.failed(), merger.truncated(),
                        api.retries(), failedEarlier, stoppedBy, guard.stoppedBy());
            }
            Failures.compact(files);
            task.finish();
            record.finish(RunMetadata.describe(task.name(), endpoint, settings, started, result, usage));
            return result;
        }
    }

    /** Upload files a killed process left beside the output ({@code .O.batch-*.jsonl}); the job's lock is held. */
    private static void removeLeftoverUploads(JobFiles files) {
        Path dir = files.metadata().toAbsolutePath().getParent();
        String prefix = files.uploadPrefix();
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, path -> {
            String name = path.getFileName().toString();
            return name.startsWith(prefix) && name.endsWith(".jsonl");
        })) {
            leftovers.forEach(BatchRunner::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Uploads recorded by a process that stopped before it recorded their batch, which it may have created. */
    private void createMissingBatches(BatchState state) throws TeacherException, InterruptedException {
        for (BatchRecord record : state.records()) {
            if (!record.collected() && !record.hasBatch()) {
                Instant uploaded = record.uploadedAt() == null ? Instant.now().minus(Duration.ofDays(1))
                        : Instant.parse(record.uploadedAt());
                Optional<Batch> created = api.findUnrecorded(record.inputFileId(), record.digest(), state.batchIds(), uploaded);
                recordBatch(record, state, created.isPresent() ? created.get() : createBatch(record));
            }
        }
    }

    /**
     * Writes the fresh requests into input files, uploads them and creates their batches. A prompt larger than the
     * model's context, or a request larger than an input file may be, is a failure; a request that could take the
     * job past its budget stops the submission, and it and the requests after it stay pending.
     */
    private <S> void submit(String taskName, List<WorkItem<S>> fresh, BatchState state, JobFiles files, BatchMerger<S> merger)
            throws TeacherException, InterruptedException {
        List<WorkItem<S>> sendable = new ArrayList<>();
        for (WorkItem<S> item : fresh) {
            Optional<String> oversized = guard.oversized(item.call());
            if (oversized.isPresent()) {
                merger.fail(item.id(), oversized.get(), null);
            } else if (guard.commit(item.call())) {
                sendable.add(item);
            } else {
                break;
            }
        }
        int index = 0;
        while (index < sendable.size()) {
            int number = state.nextChunk();
            ChunkFile.Chunk chunk;
            try (ChunkFile file = ChunkFile.create(number, tempFile(files))) {
                while (index < sendable.size()) {
                    WorkItem<S> item = sendable.get(index);
                    byte[] line = BatchRequestLine.of(item);
                    if (file.fits(line.length, options.maxRequestsPerFile(), options.maxBytesPerFile())) {
                        file.add(item.id(), line);
                    } else if (file.isEmpty()) {
                        merger.fail(item.id(), "not sent: the request alone is larger than " + options.maxBytesPerFile()
                                + " bytes, the Batch API's limit for an input file", null);
                    } else {
                        break;
                    }
                    index++;
                }
                chunk = file.finish();
            }
            if (chunk.customIds().isEmpty()) {
                deleteQuietly(chunk.file());
                continue;
            }
            String fileId;
            try {
                fileId = api.upload(chunk.file(), files.stem() + "-" + taskName + "-" + number + ".jsonl");
            } finally {
                deleteQuietly(chunk.file());
            }
            steps.accept(BatchStep.UPLOADED);
            BatchRecord record = BatchRecord.uploaded(number, chunk.digest(), chunk.customIds(), fileId, Instant.now().toString());
            state.put(record);
            steps.accept(BatchStep.UPLOAD_RECORDED);
            recordBatch(record, state, createBatch(record));
        }
    }

    private Batch createBatch(BatchRecord record) throws TeacherException, InterruptedException {
        Batch batch = api.create(record.inputFileId(), Map.of(BatchApi.DIGEST_KEY, record.digest()));
        steps.accept(BatchStep.BATCH_CREATED);
        return batch;
    }

    private void recordBatch(BatchRecord record, BatchState state, Batch batch) {
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
        long unanswered = own.keySet().stream().filter(id -> !merger.settled(id)).count();
        if (unanswered > 0) {
            notes.accept(String.format("batch %s ended %s without a result for %,d of its requests; they stay pending, and the"
                    + " next run submits them again", batch.id(), batch.status().asString(), unanswered));
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
        Path dir = files.metadata().toAbsolutePath().getParent();
        try {
            return Files.createTempFile(dir, files.uploadPrefix(), ".jsonl");
        } catch (IOException e) {
            throw WriteFailure.of("create a batch input file in", dir, e);
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
