package org.instruct4j.teacher.limits;

import java.io.Serializable;
import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.instruct4j.core.io.BadInputException;

/**
 * Exponential backoff with full jitter, honouring the server's Retry-After when it gives one:
 * attempt k waits a random time in [0, min(max, base * 2^k)], or Retry-After plus a little jitter.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) implements Serializable {
    public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(60));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new BadInputException("max attempts must be at least 1, got " + maxAttempts);
        }
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed attempts (1-based). */
    public Duration delay(int attempt, Optional<Duration> retryAfter, RandomGenerator random) {
        if (retryAfter.isPresent()) {
            long jitter = (long) (random.nextDouble() * Math.min(1000, baseDelay.toMillis()));
            return retryAfter.get().plusMillis(jitter);
        }
        double ceiling = Math.min(maxDelay.toMillis(), baseDelay.toMillis() * Math.pow(2, attempt - 1));
        return Duration.ofMillis((long) (random.nextDouble() * ceiling));
    }

    public boolean canRetry(int attemptsMade) {
        return attemptsMade < maxAttempts;
    }
}
