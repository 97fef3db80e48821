package org.instruct4j.eval.judge;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How FastChat reads scores out of a judge's review; a review it cannot read gets -1. */
public final class ScoreParser {
    /** FastChat's value for a review whose scores cannot be read. */
    public static final double UNPARSABLE = -1;

    /** llm_judge's {@code one_score_pattern} and its fallback {@code one_score_pattern_backup}. */
    private static final Pattern RATING = Pattern.compile("\\[\\[(\\d+\\.?\\d*)\\]\\]");
    private static final Pattern RATING_BACKUP = Pattern.compile("\\[(\\d+\\.?\\d*)\\]");

    private ScoreParser() {}

    /**
     * FastChat's {@code parse_score} of the Vicuna evaluation ({@code eval_gpt_review.py}): the review's first line,
     * commas turned into spaces, split on single spaces, must give exactly two Python floats; otherwise
     * {@code [-1, -1]}. Non-finite values (Python would accept "nan") are unparsable too, since JSON cannot hold them.
     */
    public static double[] pair(String review) {
        int newline = review.indexOf('\n');
        String firstLine = (newline < 0 ? review : review.substring(0, newline)).replace(',', ' ');
        String[] parts = firstLine.split(" ", -1);
        if (parts.length == 2) {
            OptionalDouble first = PythonFloat.parse(parts[0]);
            OptionalDouble second = PythonFloat.parse(parts[1]);
            if (first.isPresent() && second.isPresent() && Double.isFinite(first.getAsDouble())
                    && Double.isFinite(second.getAsDouble())) {
                return new double[] {first.getAsDouble(), second.getAsDouble()};
            }
        }
        return new double[] {UNPARSABLE, UNPARSABLE};
    }

    /** MT-bench's single-answer rating: the first "[[x]]", else the first "[x]", else -1. */
    public static double rating(String judgment) {
        Matcher m = RATING.matcher(judgment);
        if (!m.find()) {
            m = RATING_BACKUP.matcher(judgment);
            if (!m.find()) {
                return UNPARSABLE;
            }
        }
        return Double.parseDouble(m.group(1));
    }

    /** FastChat's {@code aggregate_scores_from_table.py} leaves a review out when either score is -1. */
    public static boolean failed(double score1, double score2) {
        return score1 == UNPARSABLE || score2 == UNPARSABLE;
    }
}
