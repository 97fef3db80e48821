package org.instruct4j.serve.structured;

import java.util.Arrays;

/**
 * Where the output stands in the grammar: the stacks it may be in (one, but for alternatives of a union that share
 * a prefix). A value: equal positions allow the same continuations, so their masks are cached.
 */
final class Position {
    private final Stack[] stacks;
    private final int hash;

    private Position(Stack[] stacks) {
        this.stacks = stacks;
        this.hash = Arrays.hashCode(stacks);
    }

    /** Before the first byte of a value of {@code root}. */
    static Position start(Schema root) {
        return new Position(new Stack[] {Stack.DONE.push(ValueFrame.of(root))});
    }

    /** The position after byte {@code b}, or null if no stack accepts it. */
    Position feed(int b) {
        Stacks out = new Stacks();
        for (Stack stack : stacks) {
            stack.feed(b, out);
        }
        return out.size() == 0 ? null : new Position(out.toArray());
    }

    /** The position after all of {@code bytes}, or null if they break the grammar. */
    Position feed(byte[] bytes) {
        Position position = this;
        for (int i = 0; i < bytes.length && position != null; i++) {
            position = position.feed(bytes[i] & 0xFF);
        }
        return position;
    }

    /** Whether the output may end here (the end-of-sequence token is allowed). */
    boolean mayEnd() {
        for (Stack stack : stacks) {
            if (stack.mayEnd()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the value is complete: nothing may follow. */
    boolean complete() {
        for (Stack stack : stacks) {
            if (stack.done()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Position other && hash == other.hash && Arrays.equals(stacks, other.stacks);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
