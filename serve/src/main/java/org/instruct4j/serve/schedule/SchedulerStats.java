package org.instruct4j.serve.schedule;

/**
 * The scheduler's own counters since it started: forward passes ({@code steps}), rows summed over them
 * ({@code rowSteps}: rowSteps / steps is the mean batch), the widest step, prompt tokens read, tokens generated,
 * jobs finished and cancelled, and the steps cancelled rows still took part in after their cancellation
 * ({@code stepsAfterCancel}: at most one per cancelled row, the step already running when it came), and the prompt
 * tokens looked up in the prefix cache and found there (their keys and values copied, not computed).
 */
public record SchedulerStats(long steps, long rowSteps, int widestStep, long promptTokens, long generatedTokens,
                             long finished, long cancelled, long stepsAfterCancel, PrefixHits prefixHits) {}
