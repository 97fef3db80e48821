package org.instruct4j.core.io;

/**
 * Bad input: names the file, the line (or array index) and the field, and says what is wrong.
 * Commands turn it into a one-line message and a non-zero exit before writing anything.
 */
public final class DataFormatException extends RuntimeException {
    private final Location location;
    private final String field;
    private final String problem;

    public DataFormatException(Location location, String field, String problem) {
        super(location + (field == null ? "" : ": field \"" + field + "\"") + ": " + problem);
        this.location = location;
        this.field = field;
        this.problem = problem;
    }

    /** The same problem found in a copy of the data, reported where the row really is. */
    public DataFormatException at(Location original) {
        return new DataFormatException(original, field, problem);
    }

    public Location location() {
        return location;
    }

    /** The offending field, or null when the problem is the row or file itself. */
    public String field() {
        return field;
    }
}
