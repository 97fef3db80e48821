package org.instruct4j.metrics.rouge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scores on real data against rouge_pairs.tsv, written by make_fixtures.py from a transcription of
 * rouge-score's algorithm with NLTK's real Porter stemmer: 432 pairs (all 252 Self-Instruct predictions against
 * their targets, Alpaca outputs and instructions of low and high overlap, non-ASCII outputs), with and
 * without stemming, precision, recall and F of rouge1/2/L/Lsum.
 */
class RougeScorerFixtureTest {
    private static final double TOLERANCE = 1e-9;
    private static final RougeType[] COLUMNS = {
        RougeType.ROUGE_1, RougeType.ROUGE_2, RougeType.ROUGE_L, RougeType.ROUGE_LSUM
    };

    @Test
    void scoresEqualRougeScoreOnRealPairs() throws IOException {
        RougeScorer plain = RougeScorer.builder().types(COLUMNS).stemming(false).build();
        RougeScorer stemmed = RougeScorer.builder().types(COLUMNS).stemming(true).build();
        List<String> mismatches = new ArrayList<>();
        int rows = 0;
        int exact = 0;
        for (String line : fixtureLines()) {
            String[] f = line.split("\t");
            RougeScorer scorer = Boolean.parseBoolean(f[2]) ? stemmed : plain;
            Map<RougeType, RougeScore> scores = scorer.score(SharedTexts.text(f[0]), SharedTexts.text(f[1]));
            for (int t = 0; t < COLUMNS.length; t++) {
                RougeScore actual = scores.get(COLUMNS[t]);
                double[] expected = Arrays.stream(f, 3 + 3 * t, 6 + 3 * t).mapToDouble(Double::parseDouble).toArray();
                double[] got = {actual.precision(), actual.recall(), actual.fmeasure()};
                for (int k = 0; k < 3; k++) {
                    if (Math.abs(got[k] - expected[k]) > TOLERANCE) {
                        mismatches.add(line.substring(0, line.indexOf('\t', line.indexOf('\t') + 1)) + " stem=" + f[2]
                                + " " + COLUMNS[t].key() + "[" + k + "]: expected " + expected[k] + ", got " + got[k]);
                    } else if (got[k] == expected[k]) {
                        exact++;
                    }
                }
            }
            rows++;
        }
        assertThat(rows).isEqualTo(864);
        assertThat(mismatches).isEmpty();
        // Same IEEE operations in the same order as rouge-score: not just close, identical.
        assertThat(exact).isEqualTo(rows * 12);
    }

    private List<String> fixtureLines() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("rouge_pairs.tsv")) {
            List<String> lines = Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
            return lines.subList(1, lines.size());
        }
    }
}
