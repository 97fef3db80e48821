package org.instruct4j.serve.schedule;

/**
 * The scheduler's bounds: rows in the running batch ({@code maxRows}), tokens their KV caches may hold together
 * ({@code maxBatchTokens}: each row reserves its prompt plus its max_tokens, so a running row never runs out of
 * room), prompt tokens read in one step across all rows ({@code prefillChunk}: long prompts are read in chunks so
 * the decoding rows do not stall), jobs waiting beyond the free rows ({@code maxQueue}; past it, 429), and the memory
 * the prefix cache may hold ({@code prefixCacheBytes}; 0 turns it off, and so does an engine that cannot copy keys
 * and values).
 */
public record SchedulerOptions(int maxRows, int maxBatchTokens, int prefillChunk, int maxQueue, long prefixCacheBytes) {
    public static final int DEFAULT_MAX_ROWS = 32;
    public static final int DEFAULT_MAX_BATCH_TOKENS = 65_536;
    public static final int DEFAULT_PREFILL_CHUNK = 512;
    public static final int DEFAULT_MAX_QUEUE = 256;
    public static final long DEFAULT_PREFIX_CACHE_BYTES = 256L << 20;

    public SchedulerOptions {
        if (maxRows < 1 || maxBatchTokens < 1 || prefillChunk < 1 || maxQueue < 0 || prefixCacheBytes < 0) {
            throw new IllegalArgumentException("need max rows, max batch tokens and prefill chunk >= 1 and max queue and prefix "
                    + "cache bytes >= 0, got " + maxRows + ", " + maxBatchTokens + ", " + prefillChunk + ", " + maxQueue + ", "
                    + prefixCacheBytes);
        }
    }

    public static SchedulerOptions defaults() {
        return new SchedulerOptions(DEFAULT_MAX_ROWS, DEFAULT_MAX_BATCH_TOKENS, DEFAULT_PREFILL_CHUNK, DEFAULT_MAX_QUEUE,
                DEFAULT_PREFIX_CACHE_BYTES);
    }

    public SchedulerOptions withMaxRows(int value) {
        return new SchedulerOptions(value, maxBatchTokens, prefillChunk, maxQueue, prefixCacheBytes);
    }

    public SchedulerOptions withMaxQueue(int value) {
        return new SchedulerOptions(maxRows, maxBatchTokens, prefillChunk, value, prefixCacheBytes);
    }

    public SchedulerOptions withPrefixCacheBytes(long value) {
        return new SchedulerOptions(maxRows, maxBatchTokens, prefillChunk, maxQueue, value);
    }
}
