package org.instruct4j.serve.structured;

/**
 * Inside an object: at a {@link Phase}, with {@code next} the first declared property not yet considered,
 * {@code current} the property whose value comes (-1 in a free object), {@code keyNode} the position in the trie
 * of the keys that may come, and the whitespace run so far.
 */
record ObjectFrame(ObjectSchema schema, Phase phase, int next, int current, int keyNode, int whitespace) implements Frame {

    enum Phase { OPENED, KEY, AFTER_KEY, AFTER_VALUE, AFTER_COMMA }

    static ObjectFrame opened(ObjectSchema schema) {
        return new ObjectFrame(schema, Phase.OPENED, 0, -1, ByteTrie.ROOT, 0);
    }

    @Override
    public void feed(int b, Stack below, Stacks out) {
        if (phase != Phase.KEY && Frame.whitespace(b)) {
            int run = Frame.afterWhitespace(whitespace, b);
            if (run >= 0) {
                out.add(below.push(new ObjectFrame(schema, phase, next, current, keyNode, run)));
            }
            return;
        }
        switch (phase) {
            case OPENED, AFTER_COMMA -> {
                if (b == '"') {
                    startKey(below, out);
                } else if (b == '}' && phase == Phase.OPENED && schema.mayClose(next)) {
                    out.add(below);
                }
            }
            case KEY -> readKey(b, below, out);
            case AFTER_KEY -> {
                if (b == ':') {
                    Schema value = schema.free() ? schema.values() : schema.propertySchema(current);
                    out.add(below.push(at(Phase.AFTER_VALUE)).push(ValueFrame.of(value)));
                }
            }
            case AFTER_VALUE -> {
                if (b == ',' && schema.hasMore(next)) {
                    out.add(below.push(at(Phase.AFTER_COMMA)));
                } else if (b == '}' && schema.mayClose(next)) {
                    out.add(below);
                }
            }
        }
    }

    /** After a key's opening quote: any string in a free object, else one of the declared keys that may come. */
    private void startKey(Stack below, Stacks out) {
        if (schema.free()) {
            out.add(below.push(at(Phase.AFTER_KEY)).push(StringFrame.opened(StringSchema.ANY)));
        } else if (schema.hasMore(next)) {
            out.add(below.push(new ObjectFrame(schema, Phase.KEY, next, current, ByteTrie.ROOT, 0)));
        }
    }

    private void readKey(int b, Stack below, Stacks out) {
        ByteTrie keys = schema.keys(next);
        int child = keys.child(keyNode, b);
        if (child < 0) {
            return;
        }
        int property = keys.value(child);
        out.add(below.push(property >= 0
                ? new ObjectFrame(schema, Phase.AFTER_KEY, property + 1, property, ByteTrie.ROOT, 0)
                : new ObjectFrame(schema, Phase.KEY, next, current, child, 0)));
    }

    private ObjectFrame at(Phase newPhase) {
        return new ObjectFrame(schema, newPhase, next, current, ByteTrie.ROOT, 0);
    }
}
