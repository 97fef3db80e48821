package org.instruct4j.train.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.instruct4j.core.io.BadInputException;

/**
 * One setting of a recipe, declared once: its name (kebab-case on the command line, snake_case accepted in YAML),
 * how text becomes its value and back, its default, its help, the rule its value must follow and whether a resumed
 * run may change it. A recipe's settings are constants of this type; {@link Settings#get} reads them typed.
 */
public final class Setting<T> {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private final String name;
    private final T defaultValue;
    private final String help;
    private final String expected;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;
    private final Predicate<T> rule;
    private final String ruleText;
    private final boolean resumable;

    private Setting(String name, T defaultValue, String help, String expected, Function<String, T> parser,
                    Function<T, String> formatter, Predicate<T> rule, String ruleText, boolean resumable) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.help = help;
        this.expected = expected;
        this.parser = parser;
        this.formatter = formatter;
        this.rule = rule;
        this.ruleText = ruleText;
        this.resumable = resumable;
    }

    private static <T> Setting<T> of(String name, T defaultValue, String help, String expected, Function<String, T> parser,
                                     Function<T, String> formatter) {
        return new Setting<>(name, defaultValue, help, expected, parser, formatter, value -> true, null, false);
    }

    public static Setting<Integer> integer(String name, int defaultValue, String help) {
        return of(name, defaultValue, help, "an integer", Integer::parseInt, String::valueOf);
    }

    public static Setting<Long> longInteger(String name, long defaultValue, String help) {
        return of(name, defaultValue, help, "an integer", Long::parseLong, String::valueOf);
    }

    public static Setting<Double> number(String name, double defaultValue, String help) {
        return of(name, defaultValue, help, "a number", text -> {
            double value = Double.parseDouble(text);
            if (!Double.isFinite(value)) {
                throw new NumberFormatException(text);
            }
            return value;
        }, String::valueOf);
    }

    public static Setting<Boolean> flag(String name, boolean defaultValue, String help) {
        return of(name, defaultValue, help, "true or false", text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException(text);
        }, String::valueOf);
    }

    public static Setting<String> text(String name, String defaultValue, String help) {
        return of(name, defaultValue, help, "text", text -> text, text -> text);
    }

    public static Setting<String> choice(String name, String defaultValue, String help, String... choices) {
        List<String> allowed = List.of(choices);
        return of(name, defaultValue, help, "one of " + String.join(", ", allowed), text -> {
            if (!allowed.contains(text)) {
                throw new IllegalArgumentException(text);
            }
            return text;
        }, text -> text);
    }

    /** A file or directory; no default (null until given). */
    public static Setting<Path> path(String name, String help) {
        return of(name, null, help, "a path", Path::of, Path::toString);
    }

    /** A duration such as 90s, 30m, 2h or 500ms; a bare number is seconds. */
    public static Setting<Duration> duration(String name, Duration defaultValue, String help) {
        return of(name, defaultValue, help, "a duration such as 90s, 30m or 2h (0 = no limit)", Setting::parseDuration,
                d -> d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms");
    }

    /** Comma-separated items (a YAML list also works). */
    public static Setting<List<String>> list(String name, List<String> defaultValue, String help) {
        return of(name, List.copyOf(defaultValue), help, "a comma-separated list", text -> {
            List<String> items = new ArrayList<>();
            for (String item : text.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
            return List.copyOf(items);
        }, items -> String.join(",", items));
    }

    private static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(text);
        }
        double millis = Double.parseDouble(m.group(1)) * switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> 1;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 1_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /** The same setting whose values must satisfy {@code rule}, described as {@code text} ("must be positive"). */
    public Setting<T> must(Predicate<T> rule, String text) {
        return new Setting<>(name, defaultValue, help, expected, parser, formatter, rule, text, resumable);
    }

    /** The same setting with another default: each recipe picks its own. */
    public Setting<T> withDefault(T value) {
        return new Setting<>(name, value, help, expected, parser, formatter, rule, ruleText, resumable);
    }

    public Setting<T> withHelp(String text) {
        return new Setting<>(name, defaultValue, text, expected, parser, formatter, rule, ruleText, resumable);
    }

    /** The same setting, which a resumed run may change because it does not change what is computed. */
    public Setting<T> resumable() {
        return new Setting<>(name, defaultValue, help, expected, parser, formatter, rule, ruleText, true);
    }

    public String name() {
        return name;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String help() {
        return help;
    }

    /** The default as the command line writes it. */
    public String defaultText() {
        return format(defaultValue);
    }

    public boolean isResumable() {
        return resumable;
    }

    /** kebab-case, whatever the spelling given (max_steps, max-steps). */
    public static String normalise(String name) {
        return name.trim().replace('_', '-').toLowerCase(Locale.ROOT);
    }

    /** Parses and checks {@code text}; {@code where} says where it came from ("sft.yaml:4", "--lr") for the error. */
    T parse(String text, String where) {
        String value = text.trim();
        T parsed;
        try {
            parsed = parser.apply(value);
        } catch (RuntimeException e) {
            throw new BadInputException(where + ": " + name + ": '" + value + "' is not " + expected);
        }
        check(parsed, where);
        return parsed;
    }

    void check(T value, String where) {
        if (value != null && !rule.test(value)) {
            throw new BadInputException(where + ": " + name + " " + ruleText + ", got " + format(value));
        }
    }

    /** The value as YAML and the command line write it. */
    public String format(T value) {
        return value == null ? "null" : formatter.apply(value);
    }

    @SuppressWarnings("unchecked")
    String formatAny(Object value) {
        return format((T) value);
    }
}
