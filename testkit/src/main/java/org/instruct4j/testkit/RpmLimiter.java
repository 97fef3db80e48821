package org.instruct4j.testkit;

import java.util.ArrayDeque;
import java.util.OptionalLong;

/** Server-side requests-per-minute enforcement over a sliding 60-second window, as OpenAI does. */
final class RpmLimiter {
    private static final long WINDOW_NANOS = 60_000_000_000L;
    private final int limit;
    private final ArrayDeque<Long> accepted = new ArrayDeque<>();

    RpmLimiter(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("rpm must be >= 1, got " + limit);
        }
        this.limit = limit;
    }

    /** Accepts a request now, or returns the milliseconds to wait before one fits in the window. */
    synchronized OptionalLong tryAcquire() {
        long now = System.nanoTime();
        while (!accepted.isEmpty() && now - accepted.peekFirst() >= WINDOW_NANOS) {
            accepted.pollFirst();
        }
        if (accepted.size() < limit) {
            accepted.addLast(now);
            return OptionalLong.empty();
        }
        long waitNanos = WINDOW_NANOS - (now - accepted.peekFirst());
        return OptionalLong.of(Math.max(1, (waitNanos + 999_999L) / 1_000_000L));
    }
}
