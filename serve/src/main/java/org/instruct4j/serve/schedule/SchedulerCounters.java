package org.instruct4j.serve.schedule;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The scheduler's counters (written by its thread, read by any) and its estimate of when a full queue has room. */
final class SchedulerCounters {
    private static final Duration SHORTEST_RETRY = Duration.ofMillis(100);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(60);
    /** Finished jobs whose time in the batch the estimate averages. */
    private static final int RECENT_JOBS = 16;
    /** The guess before any job has finished. */
    private static final double FIRST_GUESS_SECONDS = 1.0;

    private final AtomicLong steps = new AtomicLong();
    private final AtomicLong rowSteps = new AtomicLong();
    private volatile int widestStep;
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong generatedTokens = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong stepsAfterCancel = new AtomicLong();
    private final AtomicLong prefixQueried = new AtomicLong();
    private final AtomicLong prefixHit = new AtomicLong();
    /** Seconds from admission to end of the last {@link #RECENT_JOBS} finished jobs (a ring). */
    private final double[] recentSeconds = new double[RECENT_JOBS];
    private int recentCount;

    void step(int rows) {
        steps.incrementAndGet();
        rowSteps.addAndGet(rows);
        widestStep = Math.max(widestStep, rows);
    }

    void promptTokens(int count) {
        promptTokens.addAndGet(count);
    }

    /** A row looked up {@code queried} prompt tokens in the prefix cache and found {@code hit} of them. */
    void prefixLookup(int queried, int hit) {
        prefixQueried.addAndGet(queried);
        prefixHit.addAndGet(hit);
    }

    PrefixHits prefixHits() {
        return new PrefixHits(prefixQueried.get(), prefixHit.get());
    }

    void generated() {
        generatedTokens.incrementAndGet();
    }

    void finished(long nanosInBatch) {
        long count = finished.incrementAndGet();
        synchronized (recentSeconds) {
            recentSeconds[(int) ((count - 1) % RECENT_JOBS)] = nanosInBatch / 1e9;
            recentCount = (int) Math.min(count, RECENT_JOBS);
        }
    }

    void cancelled(int stepsTakenAfterCancel) {
        cancelled.incrementAndGet();
        stepsAfterCancel.addAndGet(stepsTakenAfterCancel);
    }

    /**
     * The time until a row is free for one more job: with {@code rows} rows busy, one frees every
     * {@code s / rows} seconds (s: the mean time recent jobs spent in the batch), and the {@code waiting} jobs take
     * theirs first.
     */
    Duration retryAfter(int waiting, int rows) {
        double secondsInBatch;
        synchronized (recentSeconds) {
            secondsInBatch = recentCount == 0 ? FIRST_GUESS_SECONDS
                    : java.util.Arrays.stream(recentSeconds, 0, recentCount).average().orElseThrow();
        }
        long millis = (long) ((waiting + 1) * secondsInBatch / rows * 1000);
        return Duration.ofMillis(Math.clamp(millis, SHORTEST_RETRY.toMillis(), LONGEST_RETRY.toMillis()));
    }

    SchedulerStats snapshot() {
        return new SchedulerStats(steps.get(), rowSteps.get(), widestStep, promptTokens.get(), generatedTokens.get(),
                finished.get(), cancelled.get(), stepsAfterCancel.get(), prefixHits());
    }
}
