package org.instruct4j.eval.judge;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the score forms judges write when they do not follow the format FastChat's parser expects, but do follow the
 * prompt: the old Vicuna math prompt asks for "a Python tuple containing two numerical scores", and GPT-4 answered
 * with "(1, 7)" at the end, or with lines "Assistant 1: 1/10" and "Assistant 2: 2/10" (FastChat fixed the published
 * scores of such reviews by hand). Only used where {@link ScoreParser} reads nothing.
 */
final class LenientParser {
    private static final String NUMBER = "(\\d+(?:\\.\\d+)?)";
    private static final Pattern TUPLE = Pattern.compile("\\(\\s*" + NUMBER + "\\s*,\\s*" + NUMBER + "\\s*\\)");
    private static final Pattern ASSISTANT_1 = assistant("1");
    private static final Pattern ASSISTANT_2 = assistant("2");
    private static final Pattern RATING = Pattern.compile("Rating:[ \\t]*" + NUMBER + "(?:[ \\t]*/[ \\t]*10)?", Pattern.CASE_INSENSITIVE);
    private static final double MAX_SCORE = 10;

    private LenientParser() {}

    private static Pattern assistant(String n) {
        return Pattern.compile("Assistant " + n + ":[ \\t]*" + NUMBER + "(?:[ \\t]*/[ \\t]*10)?(?![\\d.])");
    }

    /** The last tuple of two scores, else the last "Assistant 1: x" and "Assistant 2: y"; null when there are none. */
    static double[] pair(String review) {
        double[] tuple = null;
        Matcher m = TUPLE.matcher(review);
        while (m.find()) {
            tuple = scores(m.group(1), m.group(2));
        }
        if (tuple != null) {
            return tuple;
        }
        String first = last(ASSISTANT_1, review);
        String second = last(ASSISTANT_2, review);
        return first == null || second == null ? null : scores(first, second);
    }

    /** "Rating: x" (or "x/10") without the brackets the prompt asked for; null when there is none. */
    static String rating(String judgment) {
        Matcher m = RATING.matcher(judgment);
        return m.find() && Double.parseDouble(m.group(1)) <= MAX_SCORE ? m.group(1) : null;
    }

    private static double[] scores(String first, String second) {
        double a = Double.parseDouble(first);
        double b = Double.parseDouble(second);
        return a <= MAX_SCORE && b <= MAX_SCORE ? new double[] {a, b} : null;
    }

    private static String last(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        return found;
    }
}
