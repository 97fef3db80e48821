package org.instruct4j.serve.schedule;

import java.time.Duration;

/** The waiting queue has no room for a request: the caller should come back after {@link #retryAfter()}. */
public final class QueueFullException extends RuntimeException {
    private final Duration retryAfter;

    public QueueFullException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** The estimated wait until the queue has room. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
