package org.instruct4j.serve.structured;

import java.util.List;

/** A JSON number, or an integer (no fraction, no exponent). */
final class NumberSchema extends Schema {
    static final NumberSchema NUMBER = new NumberSchema(false);
    static final NumberSchema INTEGER = new NumberSchema(true);

    private final boolean integer;

    private NumberSchema(boolean integer) {
        this.integer = integer;
    }

    boolean integer() {
        return integer;
    }

    @Override
    List<Schema> alternatives() {
        return List.of(this);
    }

    @Override
    void start(int b, Stack below, Stacks out) {
        NumberFrame.start(this, b, below, out);
    }
}
