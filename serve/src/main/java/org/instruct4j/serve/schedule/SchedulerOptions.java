package org.instruct4j.serve.schedule;

/**
 * The scheduler's bounds: rows in the running batch ({@code maxRows}), tokens their KV caches may hold together
 * ({@code maxBatchTokens}: each row reserves its prompt plus its max_tokens, so a running row never runs out of
 * room), prompt tokens read in one step across all rows ({@code prefillChunk}: long prompts are read in chunks so
 * the decoding rows do not stall), and jobs waiting beyond the free rows ({@code maxQueue}; past it, 429).
 */
public record SchedulerOptions(int maxRows, int maxBatchTokens, int prefillChunk, int maxQueue) {
    public static final int DEFAULT_MAX_ROWS = 32;
    public static final int DEFAULT_MAX_BATCH_TOKENS = 65_536;
    public static final int DEFAULT_PREFILL_CHUNK = 512;
    public static final int DEFAULT_MAX_QUEUE = 256;

    public SchedulerOptions {
        if (maxRows < 1 || maxBatchTokens < 1 || prefillChunk < 1 || maxQueue < 0) {
            throw new IllegalArgumentException("need max rows, max batch tokens and prefill chunk >= 1 and max queue >= 0, got "
                    + maxRows + ", " + maxBatchTokens + ", " + prefillChunk + ", " + maxQueue);
        }
    }

    public static SchedulerOptions defaults() {
        return new SchedulerOptions(DEFAULT_MAX_ROWS, DEFAULT_MAX_BATCH_TOKENS, DEFAULT_PREFILL_CHUNK, DEFAULT_MAX_QUEUE);
    }

    public SchedulerOptions withMaxRows(int value) {
        return new SchedulerOptions(value, maxBatchTokens, prefillChunk, maxQueue);
    }

    public SchedulerOptions withMaxQueue(int value) {
        return new SchedulerOptions(maxRows, maxBatchTokens, prefillChunk, value);
    }
}
