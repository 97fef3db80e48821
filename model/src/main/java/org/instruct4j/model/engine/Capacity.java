package org.instruct4j.model.engine;

/** The checks every engine makes before a row takes more tokens. */
public final class Capacity {
    private Capacity() {}

    /** Fails unless an open row holding {@code length} of {@code capacity} tokens can take {@code tokens} more. */
    public static void check(boolean closed, int length, int tokens, int capacity) {
        if (closed) {
            throw new IllegalArgumentException("the row is closed");
        }
        if (length + tokens > capacity) {
            throw new IllegalArgumentException("the row holds " + length + " tokens and cannot take " + tokens
                    + " more: its capacity is " + capacity);
        }
    }
}
