package org.instruct4j.bench.metrics;

import java.util.List;
import org.instruct4j.metrics.rouge.RougeScore;

/**
 * The baseline: rouge-score's {@code _score_lcs} ported literally (string tokens, full (n+1) x (m+1) table), as a
 * straightforward Java port would do it. Scores are identical to the optimised scorer; only speed differs.
 */
final class TableLcsBaseline {
    private TableLcsBaseline() {}

    static double fmeasure(List<String> target, List<String> prediction) {
        if (target.isEmpty() || prediction.isEmpty()) {
            return 0;
        }
        int[][] table = new int[target.size() + 1][prediction.size() + 1];
        for (int i = 1; i <= target.size(); i++) {
            for (int j = 1; j <= prediction.size(); j++) {
                table[i][j] = target.get(i - 1).equals(prediction.get(j - 1))
                        ? table[i - 1][j - 1] + 1
                        : Math.max(table[i - 1][j], table[i][j - 1]);
            }
        }
        int lcs = table[target.size()][prediction.size()];
        return RougeScore.fmeasure((double) lcs / prediction.size(), (double) lcs / target.size());
    }
}
