package org.instruct4j.serve.structured;

/**
 * One value being generated, as far as it has been read: a record (compared by value), so equal positions are
 * recognised. Frames move by bytes: each byte replaces the frame, pushes a child value's frame, pops the frame
 * (the value ended with that byte), or pops it without consuming the byte (a number ended just before it), handing
 * the byte to the frame below.
 */
interface Frame {
    /** Longest run of whitespace generated between tokens of the JSON text (a degenerate model cannot loop on it). */
    int MAX_WHITESPACE = 24;

    /** Feeds byte {@code b} to this frame, which sits on {@code below}; adds the stacks it may lead to to {@code out}. */
    void feed(int b, Stack below, Stacks out);

    /** Whether the value may end here without another byte (a number does; an object waits for its brace). */
    default boolean mayEnd() {
        return false;
    }

    static boolean whitespace(int b) {
        return b == ' ' || b == '\n' || b == '\t' || b == '\r';
    }

    /** The frame's value ended just before {@code b}: the frame below takes the byte. */
    static void handDown(int b, Stack below, Stacks out) {
        below.feed(b, out);
    }
}
