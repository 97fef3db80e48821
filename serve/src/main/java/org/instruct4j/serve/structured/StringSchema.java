package org.instruct4j.serve.structured;

import java.util.List;

/** A string of {@code minLength} to {@code maxLength} characters (Unicode code points, as JSON Schema counts). */
final class StringSchema extends Schema {
    static final StringSchema ANY = new StringSchema(0, Integer.MAX_VALUE);

    private final int minLength;
    private final int maxLength;

    StringSchema(int minLength, int maxLength) {
        this.minLength = minLength;
        this.maxLength = maxLength;
    }

    int minLength() {
        return minLength;
    }

    int maxLength() {
        return maxLength;
    }

    /** Whether the length matters at all: an unbounded string keeps no count, so its states repeat (cached masks). */
    boolean counts() {
        return minLength > 0 || maxLength < Integer.MAX_VALUE;
    }

    @Override
    List<Schema> alternatives() {
        return List.of(this);
    }

    @Override
    void start(int b, Stack below, Stacks out) {
        if (b == '"') {
            out.add(below.push(StringFrame.opened(this)));
        }
    }
}
