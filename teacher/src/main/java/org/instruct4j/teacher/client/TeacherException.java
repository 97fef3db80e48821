package org.instruct4j.teacher.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed call, classified by what the caller should do about it. Messages never contain the API key.
 */
public final class TeacherException extends Exception {
    /** What a failure means for the run. */
    public enum Kind {
        /** Worth another attempt: 429, 5xx, timeouts, connection drops, malformed or unusable replies. */
        RETRYABLE,
        /** This request will not succeed as sent (400, 422, content filter): record it as failed. */
        REJECTED,
        /** No request can succeed (bad key, unknown model or endpoint): stop the whole run. */
        FATAL
    }

    private final Kind kind;
    private final transient Duration retryAfter;

    public TeacherException(Kind kind, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public static TeacherException retryable(String message) {
        return new TeacherException(Kind.RETRYABLE, message, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The server's Retry-After, when it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
