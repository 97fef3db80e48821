package org.instruct4j.core.io;

/** Turns one JSON object of a dataset file into a typed record, or throws {@link BadInputException}. */
@FunctionalInterface
public interface RowDecoder<T> {
    T decode(JsonRow row);
}
