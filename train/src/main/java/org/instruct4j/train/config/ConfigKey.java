package org.instruct4j.train.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.instruct4j.core.io.BadInputException;

/**
 * One setting of a recipe: its name (kebab-case on the command line, snake_case accepted in YAML), type,
 * default, allowed values and help text. Values are parsed from text with an error that names the setting
 * and where it came from.
 */
public record ConfigKey(String name, Type type, Object defaultValue, String description, List<String> choices) {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    public enum Type { INT, LONG, DOUBLE, BOOLEAN, TEXT, PATH, DURATION, LIST }

    public ConfigKey {
        choices = List.copyOf(choices);
    }

    public static ConfigKey of(String name, Type type, Object defaultValue, String description) {
        return new ConfigKey(name, type, defaultValue, description, List.of());
    }

    public static ConfigKey choice(String name, String defaultValue, String description, String... choices) {
        return new ConfigKey(name, Type.TEXT, defaultValue, description, List.of(choices));
    }

    /** kebab-case, whatever the spelling given (max_steps, max-steps). */
    public static String normalise(String name) {
        return name.trim().replace('_', '-').toLowerCase(Locale.ROOT);
    }

    /** Parses {@code text}; {@code where} says where it came from ("sft.yaml:4", "--lr") for the error. */
    public Object parse(String text, String where) {
        String value = text.trim();
        try {
            return switch (type) {
                case INT -> Integer.parseInt(value);
                case LONG -> Long.parseLong(value);
                case DOUBLE -> {
                    double d = Double.parseDouble(value);
                    if (!Double.isFinite(d)) {
                        throw new NumberFormatException();
                    }
                    yield d;
                }
                case BOOLEAN -> switch (value.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on", "1" -> true;
                    case "false", "no", "off", "0" -> false;
                    default -> throw bad(value, where, "true or false");
                };
                case TEXT -> {
                    if (!choices.isEmpty() && !choices.contains(value)) {
                        throw bad(value, where, "one of " + String.join(", ", choices));
                    }
                    yield value;
                }
                case PATH -> Path.of(value);
                case DURATION -> parseDuration(value, where);
                case LIST -> {
                    List<String> items = new ArrayList<>();
                    for (String item : value.split(",")) {
                        if (!item.isBlank()) {
                            items.add(item.trim());
                        }
                    }
                    yield List.copyOf(items);
                }
            };
        } catch (NumberFormatException e) {
            throw bad(value, where, type == Type.DOUBLE ? "a number" : "an integer");
        }
    }

    private Duration parseDuration(String value, String where) {
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw bad(value, where, "a duration such as 90s, 30m or 2h (0 = no limit)");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = amount * switch (unit) {
            case "ms" -> 1;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 1_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    private BadInputException bad(String value, String where, String expected) {
        return new BadInputException(where + ": " + name + ": '" + value + "' is not " + expected);
    }

    /** The value as YAML writes it back. */
    public static String format(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }
}
