package org.instruct4j.serve.structured;

/** Before a value: whitespace, then a first byte that starts one of the schema's alternatives. */
record ValueFrame(Schema schema, int whitespace) implements Frame {

    static ValueFrame of(Schema schema) {
        return new ValueFrame(schema, 0);
    }

    @Override
    public void feed(int b, Stack below, Stacks out) {
        if (Frame.whitespace(b)) {
            int run = Frame.afterWhitespace(whitespace, b);
            if (run >= 0) {
                out.add(below.push(new ValueFrame(schema, run)));
            }
            return;
        }
        for (Schema alternative : schema.alternatives()) {
            alternative.start(b, below, out);
        }
    }
}
