package org.instruct4j.teacher.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.instruct4j.core.io.AtomicFiles;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonlAppender;
import org.instruct4j.core.progress.Progress;

/**
 * Runs a {@link GenerationTask} against a teacher: {@code concurrency} requests in flight on virtual
 * threads (through {@link TeacherCaller}: limits, retries, usage), a progress bar, the crash-safe output.
 *
 * <p>Resuming: ids already in the rows file are skipped, and so are ids recorded in the failures file
 * unless {@code retryFailed} is set. Each finished row is one append of one line, so {@code kill -9}
 * loses at most the requests in flight, and no id is ever written twice.
 */
public final class JobRunner {
    /** Items read ahead of the requests in flight: enough to keep every slot busy, few enough to bound memory. */
    private static final int QUEUED_PER_SLOT = 4;

    private final TeacherCaller caller;
    private final JobOptions options;

    public JobRunner(TeacherCaller caller, JobOptions options) {
        this.caller = caller;
        this.options = options;
    }

    public <S> JobResult run(GenerationTask<S> task, JobFiles files, ObjectNode settings) {
        Instant started = Instant.now();
        if (options.retryFailed() && Files.exists(files.failures())) {
            AtomicFiles.writeString(files.failures(), "");
        }
        JobResult result;
        try (JsonlAppender out = JsonlAppender.open(files.rows(), "id");
                JsonlAppender failures = JsonlAppender.open(files.failures(), "id")) {
            Set<String> written = new HashSet<>(out.ids());
            Set<String> done = new HashSet<>(written);
            done.addAll(failures.ids());
            long pending = 0;
            long alreadyDone = 0;
            try (Stream<WorkItem<S>> items = task.items()) {
                for (Iterator<WorkItem<S>> it = items.iterator(); it.hasNext(); ) {
                    String id = it.next().id();
                    if (written.contains(id)) {
                        alreadyDone++;
                    } else if (!done.contains(id)) {
                        pending++;
                    }
                }
            }
            result = execute(task, out, failures, done, pending, alreadyDone);
        }
        Failures.compact(files);
        task.finish();
        RunMetadata.appendRun(files.metadata(), RunMetadata.describe(task.name(), caller.endpointDescription(), settings,
                started, result, caller.usage()));
        return result;
    }

    private <S> JobResult execute(GenerationTask<S> task, JsonlAppender out, JsonlAppender failures, Set<String> done,
            long pending, long alreadyDone) {
        AtomicLong succeeded = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong truncated = new AtomicLong();
        Semaphore queued = new Semaphore(QUEUED_PER_SLOT * options.concurrency());
        try (Progress progress = Progress.create(task.name(), pending, "req", options.quiet());
                ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
                Stream<WorkItem<S>> items = task.items()) {
            Iterator<WorkItem<S>> it = items.filter(item -> !done.contains(item.id())).iterator();
            while (it.hasNext() && caller.fatalError() == null) {
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
                    } finally {
                        queued.release();
                    }
                });
            }
        }
        return new JobResult(pending, alreadyDone, succeeded.get(), failed.get(), truncated.get(), caller.retries(),
                caller.fatalError());
    }
}
