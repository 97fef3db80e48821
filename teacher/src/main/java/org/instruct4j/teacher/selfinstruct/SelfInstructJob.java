package org.instruct4j.teacher.selfinstruct;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.instruct4j.core.data.SeedTask;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.core.io.Datasets;
import org.instruct4j.core.io.Json;
import org.instruct4j.core.io.JsonlAppender;
import org.instruct4j.metrics.rouge.RougeLIndex;
import org.instruct4j.teacher.client.ChatCall;
import org.instruct4j.teacher.client.ChatMessage;
import org.instruct4j.teacher.client.Sampling;
import org.instruct4j.teacher.run.JobFiles;
import org.instruct4j.teacher.run.JobOptions;
import org.instruct4j.core.progress.Progress;
import org.instruct4j.teacher.run.RunRecord;
import org.instruct4j.teacher.run.TeacherCaller;

/**
 * Alpaca's Self-Instruct loop: each request shows the teacher 3 random seed tasks and lets it continue
 * the numbered list up to 20; new tasks that pass the filters and whose ROUGE-L against every
 * instruction kept so far (seeds included) is at most 0.7 are appended to the output, until it holds
 * {@code count} tasks. Restarting continues from the tasks already in the output.
 * Output rows: {@code {id, instruction, input, output, model}} with ids "0", "1", ...
 */
public final class SelfInstructJob {
    public static final Sampling DEFAULTS = new Sampling(1.0, 1.0, 3072, List.of("\n20", "20."));
    public static final int EXAMPLES_PER_PROMPT = 3;
    public static final double MAX_ROUGE_L = 0.7;
    /** Requests in a row that may add nothing new before the job stops: the teacher has run dry. */
    public static final int DEFAULT_PATIENCE = 100;

    private final TeacherCaller caller;
    private final JobOptions options;
    private final String model;
    private final Sampling sampling;
    private final String promptText;
    private final List<GeneratedTask> seeds;
    private final Random random;
    private final int patience;

    public SelfInstructJob(TeacherCaller caller, JobOptions options, String model, Sampling sampling, String promptText,
            List<SeedTask> seedTasks, long randomSeed, int patience) {
        if (patience < 1) {
            throw new BadInputException("--patience must be at least 1, got " + patience);
        }
        this.patience = patience;
        if (seedTasks.size() < EXAMPLES_PER_PROMPT) {
            throw new BadInputException("need at least " + EXAMPLES_PER_PROMPT + " seed tasks, got " + seedTasks.size());
        }
        this.caller = caller;
        this.options = options;
        this.model = model;
        this.sampling = sampling;
        this.promptText = promptText;
        this.seeds = seedTasks.stream().map(s -> new GeneratedTask(s.instruction(), s.instances().get(0).input(),
                s.instances().get(0).output())).toList();
        this.random = new Random(randomSeed);
    }

    /** What a run did; {@code pausedBy} is set when the budget stopped it (it can go on later). */
    public record Result(long kept, long keptThisRun, long requests, long rejectedAsSimilar, long filteredOrUnparsable,
            long failedRequests, String fatalError, String pausedBy, boolean ranDry) {}

    public Result run(Path output, long count, ObjectNode settings) {
        Instant started = Instant.now();
        RougeLIndex index = new RougeLIndex();
        seeds.forEach(seed -> index.add(seed.instruction()));
        JobFiles files = JobFiles.forOutput(output);
        AtomicLong requests = new AtomicLong();
        AtomicLong similar = new AtomicLong();
        AtomicLong unusable = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicInteger barren = new AtomicInteger();
        AtomicReference<RuntimeException> broken = new AtomicReference<>();
        try (JsonlAppender out = JsonlAppender.open(output, "id");
                RunRecord record = RunRecord.start(files, "instructions", caller.endpointDescription(), settings, caller.usage())) {
            caller.guard().spentBefore(record.spentBefore());
            if (out.ids().size() > 0) {
                Datasets.forEach(output, row -> row.string("instruction"), index::add);
            }
            long keptBefore = out.ids().size();
            Keeper keeper = new Keeper(out, index, count, model);
            try (Progress progress = Progress.create("instructions", count, "task", options.quiet());
                    ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int w = 0; w < options.concurrency(); w++) {
                    workers.submit(() -> {
                        try {
                            while (!keeper.full() && barren.get() < patience && !caller.stopped()
                                    && !Thread.currentThread().isInterrupted()) {
                                ChatCall call = new ChatCall(model, List.of(ChatMessage.user(
                                        SelfInstructPrompt.encode(promptText, sampleSeeds()))), sampling);
                                requests.incrementAndGet();
                                switch (caller.call(call, reply -> reply)) {
                                    case TeacherCaller.Outcome.Success<?> s -> {
                                        var parsed = SelfInstructPrompt.parse(EXAMPLES_PER_PROMPT, s.reply().content(), s.reply().truncated());
                                        unusable.addAndGet(parsed.discarded());
                                        boolean keptAny = false;
                                        for (GeneratedTask task : parsed.tasks()) {
                                            switch (keeper.offer(task)) {
                                                case KEPT -> {
                                                    progress.step();
                                                    keptAny = true;
                                                }
                                                case TOO_SIMILAR -> similar.incrementAndGet();
                                                case FULL -> { }
                                            }
                                        }
                                        if (keptAny) {
                                            barren.set(0);
                                        } else {
                                            barren.incrementAndGet();
                                        }
                                    }
                                    case TeacherCaller.Outcome.Failure<?> f -> {
                                        failed.incrementAndGet();
                                        barren.incrementAndGet();
                                    }
                                    case TeacherCaller.Outcome.Aborted<?> a -> { return; }
                                }
                                progress.status("requests " + requests.get() + ", too similar " + similar.get() + ", retries " + caller.retries());
                            }
                        } catch (RuntimeException e) {
                            // an instruction that cannot be written (the disk is full): no later request may be paid for
                            if (broken.compareAndSet(null, e)) {
                                caller.stop(e.getMessage());
                            }
                        }
                    });
                }
            }
            if (broken.get() != null) {
                throw broken.get();
            }
            long kept = out.ids().size();
            Result result = new Result(kept, kept - keptBefore, requests.get(), similar.get(), unusable.get(), failed.get(),
                    caller.fatalError(), caller.pausedBy(), kept < count && barren.get() >= patience);
            record.finish(describe(settings, started, result));
            return result;
        }
    }

    private List<GeneratedTask> sampleSeeds() {
        List<GeneratedTask> pool = new ArrayList<>(seeds);
        List<GeneratedTask> chosen = new ArrayList<>(EXAMPLES_PER_PROMPT);
        synchronized (random) {
            for (int i = 0; i < EXAMPLES_PER_PROMPT; i++) {
                chosen.add(pool.remove(random.nextInt(pool.size())));
            }
        }
        return chosen;
    }

    private ObjectNode describe(ObjectNode settings, Instant started, Result result) {
        ObjectNode run = Json.object();
        run.put("task", "instructions");
        run.put("endpoint", caller.endpointDescription());
        run.set("settings", settings);
        run.put("started_at", started.toString());
        run.put("finished_at", Instant.now().toString());
        ObjectNode counts = run.putObject("counts");
        counts.put("kept_total", result.kept());
        counts.put("kept_this_run", result.keptThisRun());
        counts.put("requests", result.requests());
        counts.put("rejected_rouge_l_above_0.7", result.rejectedAsSimilar());
        counts.put("unparsable_or_filtered", result.filteredOrUnparsable());
        counts.put("failed_requests", result.failedRequests());
        counts.put("retries", caller.retries());
        if (result.ranDry()) {
            run.put("stopped_by", patience + " requests in a row added no new instruction");
        }
        if (result.fatalError() != null) {
            run.put("stopped_by", result.fatalError());
        } else if (result.pausedBy() != null) {
            run.put("stopped_by", result.pausedBy());
        }
        run.set("usage", caller.usage().toJson());
        return run;
    }

    private enum Offer { KEPT, TOO_SIMILAR, FULL }

    /** Keeps tasks one at a time, so the ROUGE-L check always sees every task kept before it. */
    private static final class Keeper {
        private final JsonlAppender out;
        private final RougeLIndex index;
        private final long count;
        private final String model;
        private long kept;

        Keeper(JsonlAppender out, RougeLIndex index, long count, String model) {
            this.out = out;
            this.index = index;
            this.count = count;
            this.model = model;
            this.kept = out.ids().size();
        }

        synchronized boolean full() {
            return kept >= count;
        }

        synchronized Offer offer(GeneratedTask task) {
            if (kept >= count) {
                return Offer.FULL;
            }
            if (!index.addIfNoneAbove(task.instruction(), MAX_ROUGE_L)) {
                return Offer.TOO_SIMILAR;
            }
            ObjectNode row = Json.object();
            row.put("id", Long.toString(kept));
            row.put("instruction", task.instruction());
            row.put("input", task.input());
            row.put("output", task.output());
            row.put("model", model);
            out.append(row);
            kept++;
            return Offer.KEPT;
        }
    }
}
