package org.instruct4j.eval.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.instruct4j.core.io.JsonRow;
import org.instruct4j.core.io.JsonRows;

/** A file of judge outputs: pairwise reviews (score [s1, s2]) or single-answer judgments (score x, judgment). */
public sealed interface ReviewFile {
    Path file();

    record Pairwise(Path file, List<PairwiseReview> reviews) implements ReviewFile {}

    record Single(Path file, List<SingleJudgment> judgments) implements ReviewFile {}

    /** Reads and checks every row; the first row decides which kind of file it is. */
    static ReviewFile read(Path file) {
        List<PairwiseReview> reviews = new ArrayList<>();
        List<SingleJudgment> judgments = new ArrayList<>();
        try (JsonRows rows = JsonRows.open(file)) {
            Boolean single = null;
            while (rows.hasNext()) {
                JsonRow row = rows.next();
                if (single == null) {
                    single = row.node().has("judgment");
                }
                if (single) {
                    judgments.add(SingleJudgment.fromJson(row));
                } else {
                    reviews.add(PairwiseReview.fromJson(row));
                }
            }
            return Boolean.TRUE.equals(single) ? new Single(file, judgments) : new Pairwise(file, reviews);
        }
    }
}
