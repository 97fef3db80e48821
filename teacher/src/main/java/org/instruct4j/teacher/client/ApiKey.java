package org.instruct4j.teacher.client;

import org.instruct4j.core.io.BadInputException;

/**
 * An API key read from an environment variable. It is only ever handed to the HTTP client:
 * {@link #toString()} is masked, and {@link #redact(String)} scrubs it from any text that might be
 * logged or stored (error messages echoed by a server, for example).
 */
public final class ApiKey {
    private final String variable;
    private final String value;

    private ApiKey(String variable, String value) {
        this.variable = variable;
        this.value = value;
    }

    /** Reads the key from {@code variable}; fails with a message naming the variable, not its value. */
    public static ApiKey fromEnvironment(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new BadInputException("environment variable " + variable
                    + " is not set; export your API key there (or choose another variable with --api-key-env)");
        }
        return new ApiKey(variable, value.strip());
    }

    public static ApiKey of(String variable, String value) {
        return new ApiKey(variable, value);
    }

    public String variable() {
        return variable;
    }

    String value() {
        return value;
    }

    /** Whether {@code candidate} is this key, compared in constant time (a server checking bearer tokens). */
    public boolean matches(String candidate) {
        return candidate != null && java.security.MessageDigest.isEqual(
                candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8), value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public String redact(String text) {
        if (text == null || value.length() < 4) {
            return text;
        }
        return text.replace(value, "<" + variable + ">");
    }

    @Override
    public String toString() {
        return "$" + variable;
    }
}
