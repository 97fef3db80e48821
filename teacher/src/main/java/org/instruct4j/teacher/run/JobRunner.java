package org.instruct4j.teacher.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.JsonlAppender;
import org.instruct4j.core.progress.Progress;
import org.instruct4j.teacher.usage.CostGuard;

/**
 * Runs a {@link GenerationTask} against a teacher: {@code concurrency} requests in flight on virtual
 * threads (through {@link TeacherCaller}: limits, retries, usage, cost guard), a progress bar, the crash-safe output.
 * Before the first request it says how many requests the run will make and what they should cost.
 *
 * <p>Resuming: ids already in the rows file are skipped, and so are ids recorded in the failures file
 * unless {@code retryFailed} is set (the result counts them, {@link JobResult#failedEarlier()}). Each finished row
 * is one append of one line, and each paid reply one line of the usage journal ({@link RunRecord}), so
 * {@code kill -9} loses at most the requests in flight, and no id is ever written twice. A row that cannot be
 * written (the disk is full) stops the run with that error.
 */
public final class JobRunner {
    /** Items read ahead of the requests in flight: enough to keep every slot busy, few enough to bound memory. */
    private static final int QUEUED_PER_SLOT = 4;

    private final TeacherCaller caller;
    private final JobOptions options;
    private final Consumer<String> notes;

    /** {@code notes} receives what the user should know before the run pays for anything (the cost estimate). */
    public JobRunner(TeacherCaller caller, JobOptions options, Consumer<String> notes) {
        this.caller = caller;
        this.options = options;
        this.notes = notes;
    }

    public JobRunner(TeacherCaller caller, JobOptions options) {
        this(caller, options, note -> {});
    }

    public <S> JobResult run(GenerationTask<S> task, JobFiles files, ObjectNode settings) {
        Instant started = Instant.now();
        if (options.retryFailed() && Files.exists(files.failures())) {
            AtomicFiles.writeString(files.failures(), "");
        }
        try (JsonlAppender out = JsonlAppender.open(files.rows(), "id");
                RunRecord record = RunRecord.start(files, task.name(), caller.endpointDescription(), settings, caller.usage())) {
            caller.guard().spentBefore(record.spentBefore());
            JobResult result;
            try (JsonlAppender failures = JsonlAppender.open(files.failures(), "id")) {
                Settled settled = Settled.of(out, failures);
                long pending = 0;
                long alreadyDone = 0; // of this task's items: the rows file may hold other tasks' rows too (conversation turns)
                long failedEarlier = 0;
                CostGuard.Estimate estimate = caller.guard().estimate();
                try (Stream<WorkItem<S>> items = task.items()) {
                    for (Iterator<WorkItem<S>> it = items.iterator(); it.hasNext(); ) {
                        WorkItem<S> item = it.next();
                        if (settled.failedBefore(item.id())) {
                            failedEarlier++;
                        } else if (settled.contains(item.id())) {
                            alreadyDone++;
                        } else {
                            pending++;
                            estimate.add(item.call());
                        }
                    }
                }
                String cost = estimate.describe();
                if (cost != null) {
                    notes.accept(task.name() + ": " + cost);
                }
                result = execute(task, out, failures, settled, pending, alreadyDone, failedEarlier);
            }
            Failures.compact(files);
            task.finish();
            record.finish(RunMetadata.describe(task.name(), caller.endpointDescription(), settings, started, result, caller.usage()));
            return result;
        }
    }

    private <S> JobResult execute(GenerationTask<S> task, JsonlAppender out, JsonlAppender failures, Settled settled,
            long pending, long alreadyDone, long failedEarlier) {
        AtomicLong succeeded = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong truncated = new AtomicLong();
        AtomicReference<RuntimeException> broken = new AtomicReference<>();
        Semaphore queued = new Semaphore(QUEUED_PER_SLOT * options.concurrency());
        try (Progress progress = Progress.create(task.name(), pending, "req", options.quiet());
                ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
                Stream<WorkItem<S>> items = task.items()) {
            Iterator<WorkItem<S>> it = items.filter(item -> !settled.contains(item.id())).iterator();
            while (it.hasNext() && !caller.stopped() && broken.get() == null) {
                WorkItem<S> item = it.next();
                queued.acquireUninterruptibly();
                workers.submit(() -> {
                    try {
                        switch (caller.call(item.call(), reply -> task.toRow(item, reply))) {
                            case TeacherCaller.Outcome.Success<ObjectNode> s -> {
                                s.value().put("id", item.id());
                                out.append(s.value());
                                succeeded.incrementAndGet();
                                if (s.reply().truncated()) {
                                    truncated.incrementAndGet();
                                }
                            }
                            case TeacherCaller.Outcome.Failure<ObjectNode> f -> {
                                failures.append(Failures.row(item.id(), f.reason(), f.attempts()));
                                failed.incrementAndGet();
                            }
                            case TeacherCaller.Outcome.Aborted<ObjectNode> a -> {
                                return;
                            }
                        }
                        progress.step();
                        progress.status("retries " + caller.retries() + ", failed " + failed.get());
                    } catch (RuntimeException e) {
                        // a row that cannot be written (the disk is full): no later request may be paid for
                        if (broken.compareAndSet(null, e)) {
                            caller.stop(e.getMessage());
                        }
                    } finally {
                        queued.release();
                    }
                });
            }
        }
        if (broken.get() != null) {
            throw broken.get();
        }
        return new JobResult(pending, alreadyDone, succeeded.get(), failed.get(), truncated.get(), caller.retries(),
                failedEarlier, caller.fatalError(), caller.pausedBy());
    }
}
