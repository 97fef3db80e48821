package org.instruct4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's batches and how a test steers them. A batch advances one stage
 * (validating, in_progress, finalizing, completed) after every {@link #pollsPerStage} retrieves;
 * its requests run when it leaves in_progress. Listing does not advance batches. A cancelled batch
 * runs none of its requests.
 */
public final class Batches {
    private final FileStore files;
    private final BatchExecutor executor;
    private final RequestLog log;
    private final Map<String, BatchJob> jobs = new LinkedHashMap<>();
    private final Set<String> failingCustomIds = ConcurrentHashMap.newKeySet();
    private final Set<String> withoutResults = ConcurrentHashMap.newKeySet();
    private volatile int pollsPerStage = 1;
    private int failNext;
    private int expireNext;
    private int loseResultsNext;

    Batches(FileStore files, BatchExecutor executor, RequestLog log) {
        this.files = files;
        this.executor = executor;
        this.log = log;
    }

    /** Retrieves a batch spends in each stage; 0 runs a batch to its end on the first retrieve. */
    public Batches pollsPerStage(int polls) {
        if (polls < 0) {
            throw new IllegalArgumentException("polls per stage must be >= 0, got " + polls);
        }
        pollsPerStage = polls;
        return this;
    }

    /** The next {@code count} batches created fail validation, whatever their input. */
    public synchronized Batches failNext(int count) {
        failNext += count;
        return this;
    }

    /**
     * The next {@code count} batches created expire: the first half of their requests is answered
     * (output file), the rest fail with {@code batch_expired} (error file).
     */
    public synchronized Batches expireNext(int count) {
        expireNext += count;
        return this;
    }

    /**
     * The next {@code count} batches created run their requests and report {@code completed}, but publish no output
     * or error file, as some OpenAI-compatible servers have done: a client must not take that for a finished job.
     */
    public synchronized Batches loseResultsOfNext(int count) {
        loseResultsNext += count;
        return this;
    }

    /** Requests with these custom_ids, in any batch, fail with status 500 (error file). */
    public Batches failCustomIds(String... customIds) {
        failingCustomIds.addAll(List.of(customIds));
        return this;
    }

    /** Requests fail no longer because of their custom_id. */
    public Batches clearFailingCustomIds() {
        failingCustomIds.clear();
        return this;
    }

    /** Ids of every batch created, oldest first. */
    public synchronized List<String> ids() {
        return new ArrayList<>(jobs.keySet());
    }

    /** A batch's status as the API names it ("in_progress", ...), without advancing it. */
    public Optional<String> status(String id) {
        BatchJob job;
        synchronized (this) {
            job = jobs.get(id);
        }
        if (job == null) {
            return Optional.empty();
        }
        synchronized (job) {
            return Optional.of(job.status.json());
        }
    }

    synchronized BatchJob create(String inputFileId, String endpoint, JsonNode metadata) {
        FileStore.StoredFile input = files.get(inputFileId);
        if (!input.purpose().equals("batch")) {
            throw ApiError.invalidRequest("The input file must be uploaded with purpose 'batch', not '"
                    + input.purpose() + "'.", "input_file_id");
        }
        boolean fails = failNext > 0;
        boolean expires = !fails && expireNext > 0;
        failNext -= fails ? 1 : 0;
        expireNext -= expires ? 1 : 0;
        BatchJob job = new BatchJob(input, endpoint, metadata, fails, expires);
        jobs.put(job.id, job);
        if (!fails && !expires && loseResultsNext > 0) {
            loseResultsNext--;
            withoutResults.add(job.id);
        }
        log.batchCreated();
        return job;
    }

    synchronized BatchJob get(String id) {
        BatchJob job = jobs.get(id);
        if (job == null) {
            throw ApiError.notFound("No batch found with id '" + id + "'.");
        }
        return job;
    }

    synchronized List<BatchJob> newestFirst() {
        return new ArrayList<>(jobs.values()).reversed();
    }

    /** Counts a retrieve and advances the batch when it has spent its polls in the current stage. */
    void poll(BatchJob job) {
        synchronized (job) {
            job.pollsInStage++;
            while (!job.status.terminal() && job.pollsInStage >= pollsPerStage) {
                advance(job);
                if (pollsPerStage > 0) {
                    break;
                }
            }
        }
    }

    void cancel(BatchJob job) {
        synchronized (job) {
            switch (job.status) {
                case VALIDATING, IN_PROGRESS -> job.moveTo(BatchJob.Status.CANCELLING);
                case CANCELLING, CANCELLED -> { }
                default -> throw ApiError.conflict("Cannot cancel a batch with status '" + job.status.json() + "'.");
            }
        }
    }

    private void advance(BatchJob job) {
        switch (job.status) {
            case VALIDATING -> validate(job);
            case IN_PROGRESS -> execute(job);
            case FINALIZING -> {
                publishResults(job);
                job.moveTo(BatchJob.Status.COMPLETED);
            }
            case CANCELLING -> job.moveTo(BatchJob.Status.CANCELLED);
            default -> throw new IllegalStateException("a " + job.status + " batch does not advance");
        }
    }

    private void validate(BatchJob job) {
        BatchInput input = BatchInput.read(job.input, job.endpoint);
        job.model = input.model();
        job.errors = job.failsValidation
                ? List.of(BatchInput.error("invalid_request", "Injected batch failure.", null, null))
                : input.errors();
        if (!job.errors.isEmpty()) {
            job.moveTo(BatchJob.Status.FAILED);
            return;
        }
        job.lines = input.lines();
        job.total = job.lines.size();
        job.moveTo(BatchJob.Status.IN_PROGRESS);
    }

    private void execute(BatchJob job) {
        int expireFrom = job.expires ? job.total / 2 : job.total;
        BatchExecutor.Result result = executor.execute(job.lines, expireFrom, Set.copyOf(failingCustomIds));
        job.lines = List.of();
        job.completed = result.completed();
        job.failed = result.failed();
        job.pendingOutput = result.output();
        job.pendingErrors = result.errors();
        if (job.expires) {
            publishResults(job);
            job.moveTo(BatchJob.Status.EXPIRED);
        } else {
            job.moveTo(BatchJob.Status.FINALIZING);
        }
    }

    private void publishResults(BatchJob job) {
        if (withoutResults.contains(job.id)) {
            return;
        }
        job.outputFileId = publish(job, job.pendingOutput, "output");
        job.errorFileId = publish(job, job.pendingErrors, "error");
    }

    /** Stores a result file when it has any line; OpenAI leaves the id null otherwise. */
    private String publish(BatchJob job, byte[] content, String kind) {
        return content.length == 0 ? null : files.add(job.id + "_" + kind + ".jsonl", "batch_output", content).id();
    }
}
