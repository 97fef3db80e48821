package org.instruct4j.serve.structured;

/**
 * One value being generated, as far as it has been read: a record (compared by value), so equal positions are
 * recognised. Frames move by bytes: each byte replaces the frame, pushes a child value's frame, pops the frame
 * (the value ended with that byte), or pops it without consuming the byte (a number ended just before it), handing
 * the byte to the frame below.
 */
interface Frame {
    /** Most spaces or tabs of indentation after a newline between tokens of the JSON text. */
    int MAX_INDENT = 20;

    /** Feeds byte {@code b} to this frame, which sits on {@code below}; adds the stacks it may lead to to {@code out}. */
    void feed(int b, Stack below, Stacks out);

    /** Whether the value may end here without another byte (a number does; an object waits for its brace). */
    default boolean mayEnd() {
        return false;
    }

    static boolean whitespace(int b) {
        return b == ' ' || b == '\n' || b == '\t' || b == '\r';
    }

    /**
     * The whitespace allowed between tokens, as llama.cpp's JSON grammar allows it: nothing, one space, or a newline
     * and up to {@link #MAX_INDENT} spaces or tabs (so a model cannot spend its tokens on blank lines). {@code run}
     * is 0 before any, 1 after the space, 2 + the indentation after the newline; returns the run after byte
     * {@code b}, or -1 if {@code b} may not come.
     */
    static int afterWhitespace(int run, int b) {
        if (run == 0) {
            return b == ' ' ? 1 : b == '\n' ? 2 : -1;
        }
        return run >= 2 && (b == ' ' || b == '\t') && run - 2 < MAX_INDENT ? run + 1 : -1;
    }

    /** The frame's value ended just before {@code b}: the frame below takes the byte. */
    static void handDown(int b, Stack below, Stacks out) {
        below.feed(b, out);
    }
}
