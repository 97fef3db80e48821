package org.instruct4j.eval.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.JsonRows;

/**
 * A file of judge outputs: Vicuna pairwise reviews (score [s1, s2]), llm_judge single-answer judgments (score x,
 * judgment) or llm_judge pairwise judgments (g1_winner, g2_winner).
 */
public sealed interface ReviewFile {
    Path file();

    record Pairwise(Path file, List<PairwiseReview> reviews) implements ReviewFile {}

    record Single(Path file, List<SingleJudgment> judgments) implements ReviewFile {}

    record Verdicts(Path file, List<PairVerdict> verdicts) implements ReviewFile {}

    /** Reads and checks every row; the first row decides which kind of file it is. */
    static ReviewFile read(Path file) {
        List<PairwiseReview> reviews = new ArrayList<>();
        List<SingleJudgment> judgments = new ArrayList<>();
        List<PairVerdict> verdicts = new ArrayList<>();
        String kind = null;
        try (JsonRows rows = JsonRows.open(file)) {
            while (rows.hasNext()) {
                JsonRow row = rows.next();
                if (kind == null) {
                    kind = row.node().has("judgment") ? "single" : row.node().has("model_1") ? "verdicts" : "pairwise";
                }
                switch (kind) {
                    case "single" -> judgments.add(SingleJudgment.fromJson(row));
                    case "verdicts" -> verdicts.add(PairVerdict.fromJson(row));
                    default -> reviews.add(PairwiseReview.fromJson(row));
                }
            }
        }
        if (kind == null || kind.equals("pairwise")) {
            return new Pairwise(file, reviews);
        }
        return kind.equals("single") ? new Single(file, judgments) : new Verdicts(file, verdicts);
    }
}
