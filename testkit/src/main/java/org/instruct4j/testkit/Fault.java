package org.instruct4j.testkit;

import java.time.Duration;
import java.util.OptionalInt;

/** Something that goes wrong with one chat request instead of (or on top of) a normal answer. */
public sealed interface Fault {

    /** An HTTP error status in the OpenAI error shape, optionally with a {@code Retry-After} header. */
    record Status(int code, OptionalInt retryAfterSeconds, String message) implements Fault {
        public Status {
            if (code < 400 || code > 599) {
                throw new IllegalArgumentException("an error status is 4xx or 5xx, not " + code);
            }
        }
    }

    /** The server accepts the request and stays silent this long, then drops the connection. */
    record Hang(Duration duration) implements Fault {}

    /** A 200 response whose JSON body is cut in the middle. */
    record MalformedJson() implements Fault {}

    /** A normal answer cut in half, with {@code finish_reason "length"}. */
    record Truncated() implements Fault {}

    /** The connection is closed without any response. */
    record DropConnection() implements Fault {}

    static Status status(int code) {
        return new Status(code, OptionalInt.empty(), defaultMessage(code));
    }

    static Status status(int code, int retryAfterSeconds) {
        return new Status(code, OptionalInt.of(retryAfterSeconds), defaultMessage(code));
    }

    static Status status(int code, OptionalInt retryAfterSeconds, String message) {
        return new Status(code, retryAfterSeconds, message);
    }

    /** A 429 with {@code Retry-After: seconds}. */
    static Status rateLimited(int retryAfterSeconds) {
        return status(429, retryAfterSeconds);
    }

    static Hang hang(Duration duration) {
        return new Hang(duration);
    }

    static MalformedJson malformedJson() {
        return new MalformedJson();
    }

    static Truncated truncated() {
        return new Truncated();
    }

    static DropConnection dropConnection() {
        return new DropConnection();
    }

    private static String defaultMessage(int code) {
        return switch (code) {
            case 429 -> "Rate limit reached for requests. Please try again later.";
            case 500 -> "The server had an error while processing your request. Sorry about that!";
            case 502 -> "Bad gateway.";
            case 503 -> "The engine is currently overloaded, please try again later.";
            default -> "Injected error " + code + ".";
        };
    }
}
