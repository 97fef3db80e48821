package org.instruct4j.serve.structured;

import java.util.List;

/** An array of items of one schema, with at least {@code minItems} and at most {@code maxItems} of them. */
final class ArraySchema extends Schema {
    private final Schema items;
    private final int minItems;
    private final int maxItems;

    ArraySchema(Schema items, int minItems, int maxItems) {
        this.items = items;
        this.minItems = minItems;
        this.maxItems = maxItems;
    }

    Schema items() {
        return items;
    }

    int minItems() {
        return minItems;
    }

    int maxItems() {
        return maxItems;
    }

    /** The count a frame keeps: counts past both bounds behave alike, so they share one state (and one cached mask). */
    int countToKeep(int count) {
        return Math.min(count, maxItems == Integer.MAX_VALUE ? minItems : maxItems);
    }

    @Override
    List<Schema> alternatives() {
        return List.of(this);
    }

    @Override
    void start(int b, Stack below, Stacks out) {
        if (b == '[') {
            out.add(below.push(ArrayFrame.opened(this)));
        }
    }
}
