package org.instruct4j.cli;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Last line of defence for error messages: replaces the values of environment variables that hold
 * credentials (names ending in KEY, TOKEN, SECRET or PASSWORD) before anything is printed.
 */
public final class Secrets {
    private static final Pattern SECRET_NAME = Pattern.compile(".*(KEY|TOKEN|SECRET|PASSWORD)$");
    private static final int MIN_SECRET_LENGTH = 8;

    private Secrets() {}

    public static String scrub(String text) {
        if (text == null) {
            return "";
        }
        String scrubbed = text;
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            String value = e.getValue();
            if (SECRET_NAME.matcher(e.getKey()).matches() && value != null && value.strip().length() >= MIN_SECRET_LENGTH) {
                scrubbed = scrubbed.replace(value.strip(), "<" + e.getKey() + ">");
            }
        }
        return scrubbed;
    }
}
