package org.instruct4j.serve.schedule;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.engine.Batch;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.PrefixCache;
import org.instruct4j.model.tokenizer.Tokenizer;

/**
 * Continuous batching (iteration-level scheduling, as Orca and vLLM do) over an {@link InferenceEngine}. One thread
 * runs the engine step after step; at every step
 * <ol>
 *   <li>waiting jobs join the running batch, oldest first, while there is a free row and the batch's KV budget
 *   holds their prompt and max_tokens; each starts from the longest start of its prompt the {@link PrefixCache}
 *   holds (rows submitted with the prompt of a row that has not read it yet, such as the other choices of a
 *   request, wait for that row to read it, then copy it);</li>
 *   <li>cancelled rows leave;</li>
 *   <li>every decoding row adds its last token, and rows still reading their prompt add the next chunk of it, up to
 *   {@code prefillChunk} prompt tokens in all, so a long prompt never stalls the others;</li>
 *   <li>the engine runs them all in one forward pass, each row at its own position with its own KV cache;</li>
 *   <li>every row with fresh logits samples its next token with its own settings and seed (after its constraint, if
 *   any, masks what would break it); rows that finish leave.</li>
 * </ol>
 * A row's tokens depend only on its own prompt, settings and seed: the same as if it ran alone. Jobs are submitted
 * from any thread; the waiting line is bounded ({@link QueueFullException} past it).
 */
public final class Scheduler implements GenerationQueue {
    private final InferenceEngine engine;
    private final Tokenizer tokenizer;
    private final SchedulerOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    /** Guarded by {@link #lock}. */
    private final ArrayDeque<Row> waiting = new ArrayDeque<>();
    /** The scheduler thread's own, but for its size. */
    private final List<Row> running = new ArrayList<>();
    private volatile int runningCount;
    private int reservedTokens;
    private boolean closed;
    private final SchedulerCounters counters = new SchedulerCounters();
    /** The scheduler thread's own; null when off or when the engine cannot copy keys and values. */
    private final PrefixCache prefixCache;
    /**
     * Guarded by {@link #lock}: by prompt, the row that reads it first while it has not sampled yet. Rows submitted
     * with the same prompt meanwhile (the n choices of a request, best-of-n samples) wait for it, then copy it.
     */
    private final Map<PromptKey, Row> firstReaders = new HashMap<>();
    private final Thread worker;

    public Scheduler(InferenceEngine engine, Tokenizer tokenizer, SchedulerOptions options) {
        this.engine = engine;
        this.tokenizer = tokenizer;
        this.options = options;
        this.prefixCache = options.prefixCacheBytes() > 0 && engine.copiesKv() ? new PrefixCache(engine, options.prefixCacheBytes()) : null;
        this.worker = Thread.ofPlatform().name("instruct4j-scheduler").daemon().start(this::loop);
    }

    @Override
    public List<Ticket> submit(List<Job> jobs) {
        List<Row> rows = new ArrayList<>();
        for (Job job : jobs) {
            checkFits(job);
            rows.add(new Row(job, new Ticket(this::cancelled)));
        }
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the scheduler is closed");
            }
            int room = options.maxQueue() + options.maxRows() - runningCount - waiting.size();
            if (rows.size() > room) {
                throw new QueueFullException(waiting.size() + " jobs are waiting and " + runningCount
                        + " running; the queue holds " + options.maxQueue() + " beyond the free rows", counters.retryAfter(waiting.size(), options.maxRows()));
            }
            if (prefixCache != null) {
                rows.forEach(this::followFirstReader);
            }
            waiting.addAll(rows);
            workArrived.signal();
        } finally {
            lock.unlock();
        }
        return rows.stream().map(Row::ticket).toList();
    }

    private void checkFits(Job job) {
        if (job.capacity() > engine.maxPositions()) {
            throw new BadInputException("the prompt has " + job.prompt().length + " tokens and asks for "
                    + job.config().maxNewTokens() + " more, beyond the model's " + engine.maxPositions() + " positions");
        }
        if (job.capacity() > options.maxBatchTokens()) {
            throw new BadInputException("the prompt has " + job.prompt().length + " tokens and asks for "
                    + job.config().maxNewTokens() + " more, beyond the batch's budget of " + options.maxBatchTokens() + " tokens");
        }
    }

    /**
     * Under the lock: {@code row} follows the row that will read the same prompt first (an earlier choice of its
     * request, or another request's row that has not sampled yet), or becomes that row itself.
     */
    private void followFirstReader(Row row) {
        Row first = firstReaders.putIfAbsent(new PromptKey(row.job().prompt()), row);
        if (first != null) {
            row.follow(first);
        }
    }

    /**
     * {@code row} has read its prompt (the cache has it), or has left: later rows with its prompt need not wait. Takes
     * the lock (it is reentrant: callers may hold it).
     */
    private void forgetFirstReader(Row row) {
        if (prefixCache == null) {
            return;
        }
        lock.lock();
        try {
            firstReaders.remove(new PromptKey(row.job().prompt()), row);
        } finally {
            lock.unlock();
        }
    }

    /** A ticket was cancelled: a waiting job leaves the line now; a running row leaves before the next step. */
    private void cancelled(Ticket ticket) {
        lock.lock();
        try {
            for (Iterator<Row> it = waiting.iterator(); it.hasNext(); ) {
                Row row = it.next();
                if (row.ticket() == ticket) {
                    it.remove();
                    row.close(); // rows that follow it stop waiting for it
                    forgetFirstReader(row);
                    counters.cancelled(0);
                    ticket.abandon();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        Batch batch = new Batch();
        while (admit()) {
            leaveCancelled();
            if (running.isEmpty()) {
                continue;
            }
            fill(batch.clear());
            try {
                engine.forward(batch);
            } catch (RuntimeException e) {
                failAll(e);
                continue;
            }
            counters.step(batch.size());
            sampleAll();
        }
    }

    /**
     * Moves waiting jobs into the running batch, oldest first, while a row is free and the KV budget holds them;
     * waits while there is nothing to run. False once closed with nothing left to do.
     */
    private boolean admit() {
        List<Row> joined = new ArrayList<>();
        lock.lock();
        try {
            runningCount = running.size();
            while (running.isEmpty() && waiting.isEmpty()) {
                if (closed) {
                    return false;
                }
                workArrived.awaitUninterruptibly();
            }
            while (!waiting.isEmpty() && running.size() < options.maxRows() && !waiting.peek().waitsForLeader()
                    && reservedTokens + waiting.peek().job().capacity() <= options.maxBatchTokens()) {
                Row row = waiting.poll();
                reservedTokens += row.job().capacity();
                running.add(row);
                joined.add(row);
            }
            runningCount = running.size();
        } finally {
            lock.unlock();
        }
        for (Row row : joined) { // opened outside the lock: copying a cached prefix takes a while
            int restored = row.start(engine, tokenizer, prefixCache, System.nanoTime());
            counters.prefixLookup(prefixCache == null ? 0 : row.job().prompt().length - 1, restored);
        }
        return true;
    }

    private void leaveCancelled() {
        for (Iterator<Row> it = running.iterator(); it.hasNext(); ) {
            Row row = it.next();
            if (row.ticket().cancelled()) {
                counters.cancelled(row.stepsSinceCancel());
                release(row);
                it.remove();
                row.ticket().abandon();
            }
        }
    }

    /** Decoding rows add their last token; rows reading their prompt share the prefill chunk, oldest first. */
    private void fill(Batch batch) {
        int prefillLeft = options.prefillChunk();
        for (Row row : running) {
            if (row.readingPrompt()) {
                int read = row.addPromptChunk(batch, prefillLeft);
                prefillLeft -= read;
                counters.promptTokens(read);
            } else {
                row.addLastToken(batch);
            }
            if (row.ticket().cancelled()) {
                row.countStepAfterCancel();
            }
        }
    }

    private void sampleAll() {
        for (Iterator<Row> it = running.iterator(); it.hasNext(); ) {
            Row row = it.next();
            if (!row.readyToSample()) {
                continue;
            }
            boolean first = !row.sampled();
            try {
                row.sample();
                if (first) {
                    forgetFirstReader(row);
                }
            } catch (RuntimeException e) { // the row's own listener or stop condition failed: that row ends, the batch goes on
                release(row);
                it.remove();
                row.ticket().fail(e);
                continue;
            }
            counters.generated();
            if (row.finished()) {
                counters.finished(System.nanoTime() - row.startNanos());
                release(row);
                it.remove();
                row.complete();
            }
        }
    }

    private void failAll(RuntimeException error) {
        for (Row row : running) {
            release(row);
            row.ticket().fail(error);
        }
        running.clear();
    }

    private void release(Row row) {
        forgetFirstReader(row);
        row.close();
        reservedTokens -= row.job().capacity();
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
        return runningCount;
    }

    /** A prompt as a map key (by its tokens). */
    private record PromptKey(int[] tokens) {
        @Override
        public boolean equals(Object other) {
            return other instanceof PromptKey key && Arrays.equals(tokens, key.tokens);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(tokens);
        }
    }

    @Override
    public PrefixHits prefixHits() {
        return counters.prefixHits();
    }

    public SchedulerStats stats() {
        return counters.snapshot();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            workArrived.signalAll();
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
