package org.instruct4j.model.tensor;

import org.instruct4j.core.io.BadInputException;

/** A thread count from an environment variable: a positive integer, or a default when unset. */
public final class ThreadCount {
    private ThreadCount() {}

    /** {@code value} (the variable's value, may be null) as a positive count, {@code fallback} when unset or blank. */
    public static int parse(String variable, String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int threads = Integer.parseInt(value.trim());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadInputException(variable + " must be a positive number of threads, got '" + value + "'");
    }
}
