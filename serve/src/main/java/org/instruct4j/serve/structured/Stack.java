package org.instruct4j.serve.structured;

/**
 * The frames of the values being generated, innermost on top: a persistent list, so the many positions tried while
 * masking a vocabulary share their lower frames. {@link #DONE} is the bottom: the whole value is complete. Equal
 * stacks behave alike (frames are values), which lets masks be cached by position.
 */
final class Stack {
    static final Stack DONE = new Stack(null, null);

    private final Frame top;
    private final Stack below;
    private final int hash;

    private Stack(Frame top, Stack below) {
        this.top = top;
        this.below = below;
        this.hash = top == null ? 0 : 31 * below.hash + top.hashCode();
    }

    Stack push(Frame frame) {
        return new Stack(frame, this);
    }

    boolean done() {
        return top == null;
    }

    /** Feeds byte {@code b} to the top frame: the stacks it may lead to go to {@code out} (none: rejected). */
    void feed(int b, Stacks out) {
        if (top != null) {
            top.feed(b, below, out);
        }
    }

    /** Whether the output may end here: complete, or a top-level value (a number) that may stop where it is. */
    boolean mayEnd() {
        return top == null || below.top == null && top.mayEnd();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Stack other) || hash != other.hash) {
            return false;
        }
        Stack a = this;
        Stack b = other;
        while (a != b) {
            if (a.top == null || b.top == null || !a.top.equals(b.top)) {
                return false;
            }
            a = a.below;
            b = b.below;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
