package org.instruct4j.core.io;

/**
 * Bad input or a bad option, as opposed to a bug or a failure of the machine: the data names the file, the line (or
 * array index) and the field and says what is wrong; an option error names the option. Commands turn it into a
 * one-line message and exit code 2 before writing anything.
 */
public final class BadInputException extends RuntimeException {
    private final Location location;
    private final String field;
    private final String problem;

    public BadInputException(Location location, String field, String problem) {
        super(location + (field == null ? "" : ": field \"" + field + "\"") + ": " + problem);
        this.location = location;
        this.field = field;
        this.problem = problem;
    }

    /** A bad option or setting, or bad input that has no row to point at: the message says which and why. */
    public BadInputException(String message) {
        super(message);
        this.location = null;
        this.field = null;
        this.problem = message;
    }

    /** As above, found while reading something that failed with {@code cause}. */
    public BadInputException(String message, Throwable cause) {
        super(message, cause);
        this.location = null;
        this.field = null;
        this.problem = message;
    }

    /** The same problem found in a copy of the data, reported where the row really is. */
    public BadInputException at(Location original) {
        return new BadInputException(original, field, problem);
    }

    /** Where in the input the problem is, or null for an option error. */
    public Location location() {
        return location;
    }

    /** The offending field, or null when the problem is the row, the file or an option. */
    public String field() {
        return field;
    }
}
