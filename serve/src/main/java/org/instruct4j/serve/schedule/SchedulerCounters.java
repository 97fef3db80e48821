package org.instruct4j.serve.schedule;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** The scheduler's counters (written by its thread, read by any) and its estimate of when a full queue has room. */
final class SchedulerCounters {
    private static final Duration SHORTEST_RETRY = Duration.ofMillis(100);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(60);
    /** Weight of the newest job in the running mean of the time a job spends in the batch. */
    private static final double SMOOTHING = 0.2;

    private final AtomicLong steps = new AtomicLong();
    private final AtomicLong rowSteps = new AtomicLong();
    private volatile int widestStep;
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong generatedTokens = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong stepsAfterCancel = new AtomicLong();
    /** The running mean of the seconds from a job's admission to its end (a first guess until one finishes). */
    private volatile double secondsInBatch = 1.0;

    void step(int rows) {
        steps.incrementAndGet();
        rowSteps.addAndGet(rows);
        widestStep = Math.max(widestStep, rows);
    }

    void promptTokens(int count) {
        promptTokens.addAndGet(count);
    }

    void generated() {
        generatedTokens.incrementAndGet();
    }

    void finished(long nanosInBatch) {
        finished.incrementAndGet();
        secondsInBatch = (1 - SMOOTHING) * secondsInBatch + SMOOTHING * nanosInBatch / 1e9;
    }

    void cancelled(int stepsTakenAfterCancel) {
        cancelled.incrementAndGet();
        stepsAfterCancel.addAndGet(stepsTakenAfterCancel);
    }

    /**
     * The time until a row is free for one more job: with {@code rows} rows busy, one frees every
     * {@code secondsInBatch / rows} seconds, and the {@code waiting} jobs take theirs first.
     */
    Duration retryAfter(int waiting, int rows) {
        long millis = (long) ((waiting + 1) * secondsInBatch / rows * 1000);
        return Duration.ofMillis(Math.clamp(millis, SHORTEST_RETRY.toMillis(), LONGEST_RETRY.toMillis()));
    }

    SchedulerStats snapshot() {
        return new SchedulerStats(steps.get(), rowSteps.get(), widestStep, promptTokens.get(), generatedTokens.get(),
                finished.get(), cancelled.get(), stepsAfterCancel.get());
    }
}
