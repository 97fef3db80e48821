package org.instruct4j.serve.structured;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** One of a fixed set of values, each written exactly as its compact JSON (enum, const, true/false, null). */
final class LiteralSchema extends Schema {
    static final LiteralSchema BOOLEAN = of(List.of("true", "false"));
    static final LiteralSchema NULL = of(List.of("null"));

    private final ByteTrie values;

    private LiteralSchema(ByteTrie values) {
        this.values = values;
    }

    /** The values given as their compact JSON texts. */
    static LiteralSchema of(List<String> jsonTexts) {
        ByteTrie.Builder values = new ByteTrie.Builder();
        for (int i = 0; i < jsonTexts.size(); i++) {
            values.add(jsonTexts.get(i).getBytes(StandardCharsets.UTF_8), i);
        }
        return new LiteralSchema(values.build());
    }

    @Override
    List<Schema> alternatives() {
        return List.of(this);
    }

    @Override
    void start(int b, Stack below, Stacks out) {
        LiteralFrame.step(values, ByteTrie.ROOT, b, below, out);
    }
}
