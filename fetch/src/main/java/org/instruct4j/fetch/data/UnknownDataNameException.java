package org.instruct4j.fetch.data;

/** A data name the catalog does not hold: the user's mistake, which a command line reports as a bad option. */
public final class UnknownDataNameException extends IllegalArgumentException {
    UnknownDataNameException(String name) {
        super("unknown data name '" + name + "': `instruct4j data list` shows the names");
    }
}
