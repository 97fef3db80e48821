package org.instruct4j.metrics.rouge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.instruct4j.metrics.rouge.RougeType.ROUGE_1;
import static org.instruct4j.metrics.rouge.RougeType.ROUGE_2;
import static org.instruct4j.metrics.rouge.RougeType.ROUGE_L;
import static org.instruct4j.metrics.rouge.RougeType.ROUGE_LSUM;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-checkable cases, most from rouge-score's own rouge/rouge_scorer_test.py. */
class RougeScorerTest {
    private final RougeScorer all = RougeScorer.builder().types(ROUGE_1, ROUGE_2, ROUGE_L, ROUGE_LSUM).build();

    @Test
    void rouge1CountsUnigrams() {
        RougeScore score = all.score("testing one two", "testing").get(ROUGE_1);
        assertThat(score).isEqualTo(new RougeScore(1, 1.0 / 3, 0.5));
    }

    @Test
    void rouge2CountsBigrams() {
        RougeScore score = all.score("testing one two", "testing one").get(ROUGE_2);
        assertThat(score.precision()).isEqualTo(1);
        assertThat(score.recall()).isEqualTo(0.5);
        assertThat(score.fmeasure()).isCloseTo(2.0 / 3, within(1e-15));
    }

    @Test
    void rougeLFindsConsecutiveAndNonConsecutiveSubsequences() {
        assertThat(all.score("testing one two", "testing one").get(ROUGE_L).fmeasure()).isCloseTo(0.8, within(1e-15));
        RougeScore gap = all.score("testing one two", "testing two").get(ROUGE_L);
        assertThat(gap.precision()).isEqualTo(1);
        assertThat(gap.recall()).isCloseTo(2.0 / 3, within(1e-15));
    }

    @Test
    void rougeLOfAKnownLcs() {
        // LCS of "a b c d e f" and "a c x e f b": a c e f = 4
        RougeScore score = all.score("a b c d e f", "a c x e f b").get(ROUGE_L);
        assertThat(score).isEqualTo(RougeScore.of(4.0 / 6, 4.0 / 6));
    }

    @Test
    void emptyOrTokenlessSidesScoreZero() {
        for (RougeType type : RougeType.values()) {
            assertThat(all.score("testing one two", "").get(type)).isEqualTo(RougeScore.ZERO);
            assertThat(all.score("", "testing").get(type)).isEqualTo(RougeScore.ZERO);
            assertThat(all.score("", "").get(type)).isEqualTo(RougeScore.ZERO);
            assertThat(all.score("w1 w2 w3 w4 w5", "/").get(type)).isEqualTo(RougeScore.ZERO);
        }
    }

    @Test
    void rougeLsumTakesTheUnionLcsOverSentences() {
        // ref w1..w5; LCS with the first sentence is w1 w2, with the second w1 w3 w5: union 4 hits
        RougeScore score = all.score("w1 w2 w3 w4 w5", "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5").get(ROUGE_LSUM);
        assertThat(score.recall()).isEqualTo(0.8);
        assertThat(score.precision()).isEqualTo(0.4);
        assertThat(score.fmeasure()).isCloseTo(0.5333, within(1e-4));
    }

    @Test
    void rougeLsumClipsHitsByTokenCounts() {
        // printed by make_fixtures.py's transcription: rougeLsum 1.0 where rougeL is 2/3
        Map<RougeType, RougeScore> scores = all.score("a b c\n\nd e a", "a c\nd a b e");
        assertThat(scores.get(ROUGE_LSUM)).isEqualTo(new RougeScore(1, 1, 1));
        assertThat(scores.get(ROUGE_L).fmeasure()).isEqualTo(0.6666666666666666);
        assertThat(scores.get(ROUGE_2).fmeasure()).isEqualTo(0.4000000000000001);
    }

    @Test
    void stemmingMakesInflectionsMatch() {
        RougeScorer stemmed = RougeScorer.builder().types(ROUGE_1).stemming(true).build();
        RougeScorer plain = RougeScorer.builder().types(ROUGE_1).build();
        assertThat(stemmed.score("The cats are running", "the cat runs").get(ROUGE_1).precision()).isEqualTo(1.0);
        assertThat(plain.score("The cats are running", "the cat runs").get(ROUGE_1).precision()).isEqualTo(1.0 / 3);
    }

    @Test
    void quickBrownFoxFromTheRougeScoreDocstring() {
        RougeScorer scorer = RougeScorer.builder().types(ROUGE_1, ROUGE_L).stemming(true).build();
        Map<RougeType, RougeScore> scores =
                scorer.score("The quick brown fox jumps over the lazy dog", "The quick brown dog jumps on the log.");
        assertThat(scores.get(ROUGE_1)).isEqualTo(new RougeScore(0.75, 0.6666666666666666, 0.7058823529411765));
        assertThat(scores.get(ROUGE_L)).isEqualTo(new RougeScore(0.625, 0.5555555555555556, 0.5882352941176471));
        assertThat(scores).containsOnlyKeys(ROUGE_1, ROUGE_L);
    }

    @Test
    void chineseScoresZeroWithRougeScoresTokenizerButNotWithTheUnicodeOne() {
        String target = "我们今天去公园散步";
        String prediction = "今天我们去公园";
        assertThat(all.score(target, prediction).get(ROUGE_L).fmeasure()).isZero();
        RougeScorer unicode = RougeScorer.builder().types(ROUGE_L).tokenizer(RougeTokenizer.UNICODE).build();
        // LCS 今天去公园 = 5 of 7 predicted and 9 reference characters
        assertThat(unicode.score(target, prediction).get(ROUGE_L)).isEqualTo(RougeScore.of(5.0 / 7, 5.0 / 9));
    }

    @Test
    void batchMethodsEqualRowByRowScoring() {
        List<String> targets = SharedTexts.alpacaField("output").subList(0, 600);
        List<String> predictions = SharedTexts.alpacaField("output").subList(1, 601);
        List<Map<RougeType, RougeScore>> batch = all.scoreAll(targets, predictions);
        double[] rougeL = all.fmeasures(ROUGE_L, targets, predictions);
        double[] rougeLsum = all.fmeasures(ROUGE_LSUM, targets, predictions);
        for (int i = 0; i < targets.size(); i++) {
            Map<RougeType, RougeScore> single = all.score(targets.get(i), predictions.get(i));
            assertThat(batch.get(i)).isEqualTo(single);
            assertThat(rougeL[i]).isEqualTo(single.get(ROUGE_L).fmeasure());
            assertThat(rougeLsum[i]).isEqualTo(single.get(ROUGE_LSUM).fmeasure());
        }
    }

    @Test
    void badBatchInputIsNamed() {
        assertThatThrownBy(() -> all.scoreAll(List.of("a", "b"), List.of("a")))
                .hasMessage("targets has 2 rows but predictions has 1");
        assertThatThrownBy(() -> all.fmeasures(ROUGE_L, java.util.Arrays.asList("a", null), List.of("a", "b")))
                .hasMessage("targets[1] is null");
        RougeScorer onlyL = RougeScorer.builder().types(ROUGE_L).build();
        assertThatThrownBy(() -> onlyL.fmeasures(ROUGE_1, List.of("a"), List.of("a")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void typesAreNamedAsInRougeScore() {
        assertThat(RougeType.fromKey("rougeLsum")).isEqualTo(ROUGE_LSUM);
        assertThat(ROUGE_2.key()).isEqualTo("rouge2");
        assertThatThrownBy(() -> RougeType.fromKey("rouge10")).hasMessageContaining("rouge1, rouge2, rougeL, rougeLsum");
    }
}
