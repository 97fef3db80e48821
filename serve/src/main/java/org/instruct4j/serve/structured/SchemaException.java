package org.instruct4j.serve.structured;

/** A JSON Schema that structured output cannot follow, with the JSON pointer of the offending place. */
public final class SchemaException extends IllegalArgumentException {
    private final String pointer;

    public SchemaException(String pointer, String problem) {
        super((pointer.isEmpty() ? "the schema" : "the schema at " + pointer) + ": " + problem);
        this.pointer = pointer;
    }

    /** Where in the schema (a JSON pointer, "" for its root). */
    public String pointer() {
        return pointer;
    }
}
