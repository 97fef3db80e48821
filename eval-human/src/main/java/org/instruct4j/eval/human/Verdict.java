package org.instruct4j.eval.human;

import java.util.Locale;
import org.instruct4j.core.io.BadInputException;

/** Which of a pair's answers is better on a criterion: model A's, model B's, or neither. */
public enum Verdict {
    A, B, TIE;

    /** The stored and exported form: "A", "B" or "tie". */
    public String key() {
        return this == TIE ? "tie" : name();
    }

    public static Verdict ofKey(String key) {
        return switch (key) {
            case "A" -> A;
            case "B" -> B;
            case "tie" -> TIE;
            default -> throw new BadInputException("unknown verdict '" + key + "'");
        };
    }

    /**
     * The verdict for what an annotator chose on screen ("left", "right" or "tie"), given whether model A's answer
     * was the one on the left.
     */
    public static Verdict fromScreen(String choice, boolean aOnLeft) {
        return switch (choice.toLowerCase(Locale.ROOT)) {
            case "left" -> aOnLeft ? A : B;
            case "right" -> aOnLeft ? B : A;
            case "tie" -> TIE;
            default -> throw new BadInputException("a choice must be left, right or tie, got '" + choice + "'");
        };
    }
}
