package org.instruct4j.serve.structured;

import java.util.List;

/**
 * A compiled JSON Schema (the subset {@link SchemaCompiler} reads): what values may be generated at a point of the
 * output. Nodes compare by identity; a schema may refer to itself ($ref), so it is a graph, not a tree.
 */
abstract class Schema {

    /** The kinds of value this schema allows, unions and references resolved: never a union or reference itself. */
    abstract List<Schema> alternatives();

    /**
     * Starts a value of this (non-union) schema with its first byte {@code b}: adds the resulting stacks (this
     * value's frame over {@code below}, or {@code below} alone if the byte completes it) to {@code out}.
     */
    abstract void start(int b, Stack below, Stacks out);
}
