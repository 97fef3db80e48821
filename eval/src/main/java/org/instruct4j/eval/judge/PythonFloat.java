package org.instruct4j.eval.judge;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Python's {@code float(str)}: surrounding whitespace is ignored, digits may be any Unicode decimal digits and be
 * grouped with single underscores, and "inf", "infinity" and "nan" are accepted in any case. Java's
 * {@code Double.parseDouble} differs in each of these (and accepts "1d" or hex, which Python refuses).
 */
final class PythonFloat {
    private static final String DIGITS = "\\d(?:_?\\d)*";
    private static final Pattern NUMBER = Pattern.compile(
            "[+-]?(?:(?:" + DIGITS + ")?\\." + DIGITS + "|" + DIGITS + "\\.?)(?:[eE][+-]?" + DIGITS + ")?",
            Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern SPECIAL = Pattern.compile("[+-]?(?:inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

    private PythonFloat() {}

    static OptionalDouble parse(String text) {
        String s = strip(text);
        if (SPECIAL.matcher(s).matches()) {
            boolean negative = s.startsWith("-");
            String word = s.replaceFirst("^[+-]", "").toLowerCase(Locale.ROOT);
            double value = word.equals("nan") ? Double.NaN : Double.POSITIVE_INFINITY;
            return OptionalDouble.of(negative ? -value : value);
        }
        if (!NUMBER.matcher(s).matches()) {
            return OptionalDouble.empty();
        }
        StringBuilder ascii = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (cp != '_') {
                int digit = Character.digit(cp, 10);
                ascii.append(digit >= 0 && !(cp >= '0' && cp <= '9') ? (char) ('0' + digit) : (char) cp);
            }
            i += Character.charCount(cp);
        }
        return OptionalDouble.of(Double.parseDouble(ascii.toString()));
    }

    /** Python's str.strip(): whitespace as Python defines it, which includes no-break spaces. */
    private static String strip(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isPythonWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && isPythonWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isPythonWhitespace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
