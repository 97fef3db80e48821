package org.instruct4j.serve.structured;

/** A JSON Schema that structured output cannot follow, with the JSON pointer of the offending place. */
public final class SchemaException extends IllegalArgumentException {
    /** {@code pointer}: where in the schema ("" for its root). */
    public SchemaException(String pointer, String problem) {
        super((pointer.isEmpty() ? "the schema" : "the schema at " + pointer) + ": " + problem);
    }
}
