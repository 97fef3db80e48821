package org.instruct4j.teacher.run;

import java.io.Serializable;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.teacher.limits.RetryPolicy;

/**
 * How a job runs: requests in flight, client-side limits (0 = none), retries, whether to retry rows
 * that failed in an earlier run, and whether to show progress.
 */
public record JobOptions(int concurrency, double requestsPerMinute, double tokensPerMinute, RetryPolicy retry,
        boolean retryFailed, boolean quiet) implements Serializable {

    public JobOptions {
        if (concurrency < 1) {
            throw new BadInputException("--concurrency must be at least 1, got " + concurrency);
        }
        if (requestsPerMinute < 0 || tokensPerMinute < 0) {
            throw new BadInputException("--rpm and --tpm must not be negative");
        }
    }
}
