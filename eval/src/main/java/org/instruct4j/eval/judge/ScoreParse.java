package org.instruct4j.eval.judge;

import java.util.Locale;
import org.instruct4j.core.io.BadInputException;

/**
 * How scores are read from a judge's text: {@link #FASTCHAT} exactly as FastChat does (the default, so results compare
 * with FastChat's), or {@link #LENIENT}, which also reads the forms the prompts asked for but FastChat's parser misses
 * (a score tuple, "Assistant 1: n/10", "Rating: n") and marks what it recovered.
 */
public enum ScoreParse {
    FASTCHAT,
    LENIENT;

    /** Scores of both answers; {@code recovered} when only the lenient parser could read them. */
    public record PairScores(double first, double second, boolean recovered) {}

    /** A 1-10 rating as the number Python's {@code ast.literal_eval} gives (an int or a float; -1 when unreadable). */
    public record Rating(Number score, boolean recovered) {
        public double value() {
            return score.doubleValue();
        }
    }

    public static ScoreParse parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("unknown --parse '" + name + "'; expected fastchat or lenient");
        }
    }

    /** The Vicuna protocol's pair of scores. */
    public PairScores pair(String review) {
        double[] scores = ScoreParser.pair(review);
        if (this == LENIENT && ScoreParser.failed(scores[0], scores[1])) {
            double[] recovered = LenientParser.pair(review);
            if (recovered != null) {
                return new PairScores(recovered[0], recovered[1], true);
            }
        }
        return new PairScores(scores[0], scores[1], false);
    }

    /** MT-bench's single-answer rating. */
    public Rating rating(String judgment) {
        String text = ScoreParser.ratingText(judgment);
        boolean recovered = false;
        if (text == null && this == LENIENT) {
            text = LenientParser.rating(judgment);
            recovered = text != null;
        }
        return new Rating(text == null ? (Number) (int) ScoreParser.UNPARSABLE : literal(text), recovered);
    }

    /** Python's {@code ast.literal_eval} of FastChat's rating group: "7" is the int 7, "7.5" and "7." are floats. */
    private static Number literal(String text) {
        if (!text.contains(".")) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException beyondInt) {
                return Double.parseDouble(text);
            }
        }
        return Double.parseDouble(text);
    }
}
