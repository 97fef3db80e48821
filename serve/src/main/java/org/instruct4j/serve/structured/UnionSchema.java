package org.instruct4j.serve.structured;

import java.util.ArrayList;
import java.util.List;

/**
 * Any of several schemas (anyOf, oneOf, a list of types, a $ref): a value of one of their alternatives. Resolved once
 * the whole schema is read ({@link #resolve}), since a reference may point forward or back to itself.
 */
final class UnionSchema extends Schema {
    private final List<Schema> members = new ArrayList<>();
    private List<Schema> alternatives;

    UnionSchema add(Schema member) {
        members.add(member);
        return this;
    }

    /**
     * Flattens the members into their alternatives. A union that reaches itself through unions and references only
     * (no value in between) could never start a value: that is an error.
     */
    List<Schema> resolve(List<UnionSchema> path) {
        if (alternatives != null) {
            return alternatives;
        }
        if (path.contains(this)) {
            throw new IllegalArgumentException("a schema refers to itself without any value in between");
        }
        path.add(this);
        List<Schema> flat = new ArrayList<>();
        for (Schema member : members) {
            for (Schema alternative : member instanceof UnionSchema union ? union.resolve(path) : member.alternatives()) {
                if (!flat.contains(alternative)) {
                    flat.add(alternative);
                }
            }
        }
        path.remove(this);
        alternatives = List.copyOf(flat);
        return alternatives;
    }

    @Override
    List<Schema> alternatives() {
        if (alternatives == null) {
            throw new IllegalStateException("the union was not resolved");
        }
        return alternatives;
    }

    @Override
    void start(int b, Stack below, Stacks out) {
        throw new IllegalStateException("a union starts through its alternatives");
    }
}
