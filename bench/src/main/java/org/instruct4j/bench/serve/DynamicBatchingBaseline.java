package org.instruct4j.bench.serve;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.generate.Generation;
import org.instruct4j.model.generate.GenerationConfig;
import org.instruct4j.model.generate.Generator;
import org.instruct4j.model.tokenizer.Tokenizer;
import org.instruct4j.serve.schedule.GenerationQueue;
import org.instruct4j.serve.schedule.Job;
import org.instruct4j.serve.schedule.JobResult;
import org.instruct4j.serve.schedule.Ticket;

/**
 * The scheduler {@code serve} had before continuous batching (issue 8's LocalEngine), kept as the benchmark's
 * baseline: one worker takes the oldest waiting job with up to {@code maxBatch - 1} later ones and generates them as
 * one batch until its longest row ends (finished rows leave, none join); jobs that arrive meanwhile wait for the next
 * batch. Two variants: {@code sameSettings} as on main when issue 13 was filed (only jobs with identical settings,
 * max_tokens included, share a batch), or as issue 12 left it (any jobs share a batch, each row with its own
 * settings). No queue bound, no cancellation, no log-probabilities or constraints.
 */
final class DynamicBatchingBaseline implements GenerationQueue {
    private record Waiting(Job job, Ticket ticket) {}

    private final Generator generator;
    private final int maxBatch;
    private final boolean sameSettings;
    private final LinkedList<Waiting> waiting = new LinkedList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Thread worker;
    private volatile int running;
    private boolean closed;

    DynamicBatchingBaseline(InferenceEngine engine, Tokenizer tokenizer, int maxBatch, boolean sameSettings) {
        this.generator = new Generator(engine, tokenizer);
        this.maxBatch = maxBatch;
        this.sameSettings = sameSettings;
        this.worker = Thread.ofPlatform().name("dynamic-batching-baseline").daemon().start(this::work);
    }

    @Override
    public List<Ticket> submit(List<Job> jobs) {
        List<Ticket> tickets = new ArrayList<>();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            for (Job job : jobs) {
                Ticket ticket = new Ticket(t -> {});
                waiting.add(new Waiting(job, ticket));
                tickets.add(ticket);
            }
            arrived.signal();
        } finally {
            lock.unlock();
        }
        return tickets;
    }

    private void work() {
        for (List<Waiting> batch = nextBatch(); batch != null; batch = nextBatch()) {
            running = batch.size();
            run(batch);
            running = 0;
        }
    }

    /** The oldest job and later ones (with the same settings, in that variant), up to maxBatch; null once closed and drained. */
    private List<Waiting> nextBatch() {
        lock.lock();
        try {
            while (waiting.isEmpty()) {
                if (closed) {
                    return null;
                }
                arrived.awaitUninterruptibly();
            }
            List<Waiting> batch = new ArrayList<>();
            GenerationConfig first = waiting.getFirst().job().config();
            for (Iterator<Waiting> it = waiting.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
                Waiting next = it.next();
                if (!sameSettings || next.job().config().equals(first)) {
                    batch.add(next);
                    it.remove();
                }
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    private void run(List<Waiting> batch) {
        int[][] prompts = batch.stream().map(w -> w.job().prompt()).toArray(int[][]::new);
        List<GenerationConfig> configs = batch.stream().map(w -> w.job().config()).toList();
        try {
            List<Generation> results = generator.generateFromIds(prompts, configs,
                    (row, piece) -> batch.get(row).job().listener().onStep(piece, null));
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).ticket().result().complete(new JobResult(results.get(i), null));
            }
        } catch (RuntimeException e) {
            batch.forEach(w -> w.ticket().result().completeExceptionally(e));
        }
    }

    @Override
    public int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int running() {
        return running;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
