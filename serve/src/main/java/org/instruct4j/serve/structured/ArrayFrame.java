package org.instruct4j.serve.structured;

/** Inside an array: just opened, or after {@code count} items (kept only as far as the bounds need), and the whitespace run. */
record ArrayFrame(ArraySchema schema, boolean opened, int count, int whitespace) implements Frame {

    static ArrayFrame opened(ArraySchema schema) {
        return new ArrayFrame(schema, true, 0, 0);
    }

    @Override
    public void feed(int b, Stack below, Stacks out) {
        if (Frame.whitespace(b)) {
            int run = Frame.afterWhitespace(whitespace, b);
            if (run >= 0) {
                out.add(below.push(new ArrayFrame(schema, opened, count, run)));
            }
        } else if (b == ']') {
            if (count >= schema.minItems()) {
                out.add(below);
            }
        } else if (opened) {
            if (schema.maxItems() > 0) {
                item(below).feed(b, out);
            }
        } else if (b == ',' && count < schema.maxItems()) {
            out.add(item(below));
        }
    }

    /** This frame after one more item, with that item's value frame on top. */
    private Stack item(Stack below) {
        return below.push(new ArrayFrame(schema, false, schema.countToKeep(count + 1), 0)).push(ValueFrame.of(schema.items()));
    }
}
