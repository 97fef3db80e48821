package org.instruct4j.testkit;

final class Text {
    private Text() {}

    /** At most {@code count} code points of the text, so a surrogate pair is never split. */
    static String firstCodePoints(String text, int count) {
        return text.codePointCount(0, text.length()) <= count
                ? text
                : text.substring(0, text.offsetByCodePoints(0, count));
    }
}
