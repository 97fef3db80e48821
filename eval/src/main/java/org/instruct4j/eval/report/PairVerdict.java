package org.instruct4j.eval.report;

import java.util.Set;
import org.instruct4j.core.io.JsonRow;

/**
 * A FastChat llm_judge pairwise judgment: the winners of game 1 (model 1's answer shown first) and game 2 (model 2's
 * first), each "model_1", "model_2", "tie" or "error" (FastChat's older files may hold one {@code winner} instead).
 */
public record PairVerdict(String questionKey, String model1, String model2, String g1Winner, String g2Winner, int turn,
                          String category) {
    private static final Set<String> WINNERS = Set.of("model_1", "model_2", "tie", "error");

    static PairVerdict fromJson(JsonRow row) {
        if (!row.node().has("question_id")) {
            throw row.error("question_id", "missing");
        }
        String g1 = row.node().has("winner") ? winner(row, "winner") : winner(row, "g1_winner");
        String g2 = row.node().has("winner") ? g1 : winner(row, "g2_winner");
        int turn = row.node().has("turn") ? (int) row.integer("turn") : 1;
        return new PairVerdict(row.id("question_id"), row.string("model_1"), row.string("model_2"), g1, g2, turn,
                row.optionalString("category", null));
    }

    private static String winner(JsonRow row, String field) {
        String value = row.string(field);
        if (!WINNERS.contains(value)) {
            throw row.error(field, "expected one of " + WINNERS + ", got \"" + value + "\"");
        }
        return value;
    }

    /** Either game's judgment could not be read: FastChat's show_result leaves the match out. */
    public boolean error() {
        return g1Winner.equals("error") || g2Winner.equals("error");
    }

    /**
     * The match as show_result counts it, from model 1's side: 1 when both games say model 1 won, 0 when both say
     * model 2, 0.5 for a tie or for games that disagree.
     */
    public double preference() {
        if (g1Winner.equals("tie") || !g1Winner.equals(g2Winner)) {
            return 0.5;
        }
        return g1Winner.equals("model_1") ? 1 : 0;
    }
}
