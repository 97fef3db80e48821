package org.instruct4j.teacher.batch;

import java.time.Duration;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.teacher.limits.RetryPolicy;

/**
 * How a Batch API job runs: how often open batches are polled, how the requests are split into input
 * files (OpenAI accepts at most 50,000 requests and 200 MB per file), how the Files and Batches calls
 * are retried, whether rows that failed in an earlier run are submitted again, and whether to show
 * progress.
 */
public record BatchOptions(Duration pollInterval, int maxRequestsPerFile, long maxBytesPerFile, RetryPolicy retry,
        boolean retryFailed, boolean quiet) {
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);
    public static final int MAX_REQUESTS_PER_FILE = 50_000;
    public static final long MAX_BYTES_PER_FILE = 200L * 1024 * 1024;

    public BatchOptions {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new BadInputException("the batch poll interval must be positive, got " + pollInterval);
        }
        if (maxRequestsPerFile < 1 || maxRequestsPerFile > MAX_REQUESTS_PER_FILE) {
            throw new BadInputException("requests per batch file must be in [1, " + MAX_REQUESTS_PER_FILE
                    + "], got " + maxRequestsPerFile);
        }
        if (maxBytesPerFile < 1 || maxBytesPerFile > MAX_BYTES_PER_FILE) {
            throw new BadInputException("bytes per batch file must be in [1, " + MAX_BYTES_PER_FILE
                    + "], got " + maxBytesPerFile);
        }
    }

    /** The Batch API's own limits, polled every 30 s. */
    public static BatchOptions defaults(RetryPolicy retry, boolean retryFailed, boolean quiet) {
        return new BatchOptions(DEFAULT_POLL_INTERVAL, MAX_REQUESTS_PER_FILE, MAX_BYTES_PER_FILE, retry, retryFailed, quiet);
    }

    public BatchOptions withPollInterval(Duration interval) {
        return new BatchOptions(interval, maxRequestsPerFile, maxBytesPerFile, retry, retryFailed, quiet);
    }

    public BatchOptions withFileLimits(int maxRequests, long maxBytes) {
        return new BatchOptions(pollInterval, maxRequests, maxBytes, retry, retryFailed, quiet);
    }
}
