package org.instruct4j.eval.judge;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How FastChat reads scores and verdicts out of a judge's review; a review it cannot read gets -1 (or "error"). */
public final class ScoreParser {
    /** FastChat's value for a review whose scores cannot be read. */
    public static final double UNPARSABLE = -1;

    /** llm_judge's {@code one_score_pattern} and its fallback {@code one_score_pattern_backup}. */
    private static final Pattern RATING = Pattern.compile("\\[\\[(\\d+\\.?\\d*)\\]\\]");
    private static final Pattern RATING_BACKUP = Pattern.compile("\\[(\\d+\\.?\\d*)\\]");
    /** llm_judge's {@code two_score_pattern} and {@code two_score_pattern_backup}, for "[[rating_a,rating_b]]" prompts. */
    private static final Pattern TWO_SCORES = Pattern.compile("\\[\\[(\\d+\\.?\\d*),\\s?(\\d+\\.?\\d*)\\]\\]");
    private static final Pattern TWO_SCORES_BACKUP = Pattern.compile("\\[(\\d+\\.?\\d*),\\s?(\\d+\\.?\\d*)\\]");
    /** llm_judge's {@code TIE_DELTA}: two ratings this close are a tie. */
    private static final double TIE_DELTA = 0.1;

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
        String text = ratingText(judgment);
        return text == null ? UNPARSABLE : Double.parseDouble(text);
    }

    /** The text of the rating {@link #rating} reads ({@code ast.literal_eval} turns it into an int or a float), or null. */
    static String ratingText(String judgment) {
        Matcher m = RATING.matcher(judgment);
        if (!m.find()) {
            m = RATING_BACKUP.matcher(judgment);
            if (!m.find()) {
                return null;
            }
        }
        return m.group(1);
    }

    /**
     * {@code run_judge_pair}'s verdict: for "[[A]]" prompts "A" if the judgment contains "[[A]]", else "B" for "[[B]]",
     * else "tie" for "[[C]]", else "error"; for "[[rating_a,rating_b]]" prompts the higher rating wins and ratings
     * within 0.1 of each other tie.
     */
    public static String verdict(String judgment, String outputFormat) {
        if (outputFormat.equals("[[A]]")) {
            return judgment.contains("[[A]]") ? "A" : judgment.contains("[[B]]") ? "B" : judgment.contains("[[C]]") ? "tie" : "error";
        }
        Matcher m = TWO_SCORES.matcher(judgment);
        if (!m.find()) {
            m = TWO_SCORES_BACKUP.matcher(judgment);
            if (!m.find()) {
                return "error";
            }
        }
        double a = Double.parseDouble(m.group(1));
        double b = Double.parseDouble(m.group(2));
        return Math.abs(a - b) <= TIE_DELTA ? "tie" : a > b ? "A" : "B";
    }

    /** FastChat's {@code aggregate_scores_from_table.py} leaves a review out when either score is -1. */
    public static boolean failed(double score1, double score2) {
        return score1 == UNPARSABLE || score2 == UNPARSABLE;
    }
}
