package org.instruct4j.metrics.rouge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The index against a brute-force scan with RougeScorer, on the real seed tasks and Alpaca instructions. */
class RougeLIndexTest {
    private static final RougeScorer SCORER = RougeScorer.builder().types(RougeType.ROUGE_L).build();
    private static List<String> kept;
    private static List<String> candidates;
    private static RougeLIndex index;

    @BeforeAll
    static void buildIndex() {
        List<String> alpaca = SharedTexts.alpacaField("instruction");
        kept = new ArrayList<>(SharedTexts.seedInstructions());
        kept.addAll(alpaca.subList(0, 1500));
        index = new RougeLIndex();
        kept.forEach(index::add);
        candidates = new ArrayList<>(alpaca.subList(1500, 1800));
        Random random = new Random(7);
        // near-duplicates of kept instructions: word-shuffled, truncated, recombined
        for (int i = 0; i < 150; i++) {
            List<String> words = new ArrayList<>(List.of(kept.get(random.nextInt(kept.size())).split(" ")));
            switch (i % 3) {
                case 0 -> Collections.swap(words, 0, words.size() - 1);
                case 1 -> words = words.subList(0, Math.max(1, words.size() - 2));
                default -> words.addAll(List.of(kept.get(random.nextInt(kept.size())).split(" ")).subList(0, 2));
            }
            candidates.add(String.join(" ", words));
        }
        candidates.addAll(List.of("", "???", "我爱北京", kept.get(3), kept.get(200).toUpperCase()));
    }

    /** Alpaca: rouge_scorer._score_lcs(new_instruction_tokens, existing_tokens).fmeasure for every kept one. */
    private static double[] bruteForce(String candidate) {
        return kept.stream().mapToDouble(k -> SCORER.score(candidate, k).get(RougeType.ROUGE_L).fmeasure()).toArray();
    }

    @Test
    void maxRougeLEqualsTheBruteForceMaximum() {
        for (String candidate : candidates) {
            double expected = 0;
            for (double score : bruteForce(candidate)) {
                expected = Math.max(expected, score);
            }
            assertThat(index.maxRougeL(candidate)).as(candidate).isEqualTo(expected);
        }
    }

    @Test
    void anyAboveEqualsTheBruteForceAtAlpacasAndOtherThresholds() {
        int rejected = 0;
        for (String candidate : candidates) {
            double[] scores = bruteForce(candidate);
            for (double threshold : new double[] {0.0, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0}) {
                boolean expected = false;
                for (double score : scores) {
                    expected |= score > threshold;
                }
                assertThat(index.anyAbove(candidate, threshold)).as("%s > %s", candidate, threshold).isEqualTo(expected);
                if (threshold == 0.7 && expected) {
                    rejected++;
                }
            }
        }
        // the test data exercises both outcomes
        assertThat(rejected).isBetween(50, candidates.size() - 50);
    }

    @Test
    void scoresAndSimilarityEqualTheBruteForce() {
        for (String candidate : candidates.subList(candidates.size() - 60, candidates.size())) {
            double[] expected = bruteForce(candidate);
            assertThat(index.scores(candidate)).containsExactly(expected);
            RougeLIndex.Similarity similarity = index.similarity(candidate, 10);
            assertThat(similarity.mostSimilar()).hasSize(10);
            assertThat(similarity.max()).isEqualTo(similarity.mostSimilar().get(0).fmeasure());
            assertThat(similarity.mean()).isCloseTo(java.util.Arrays.stream(expected).average().orElseThrow(),
                    within(1e-12));
            for (RougeLIndex.Match match : similarity.mostSimilar()) {
                assertThat(match.fmeasure()).isEqualTo(expected[match.index()]);
                assertThat(match.instruction()).isEqualTo(kept.get(match.index()));
            }
            double tenth = similarity.mostSimilar().get(9).fmeasure();
            assertThat(java.util.Arrays.stream(expected).filter(s -> s > tenth).count()).isLessThan(10);
        }
    }

    @Test
    void exactDuplicateScoresOne() {
        assertThat(index.maxRougeL(kept.get(42))).isEqualTo(1.0);
        assertThat(index.anyAbove(kept.get(42), 0.7)).isTrue();
    }

    @Test
    void addIfNoneAboveKeepsOnlyNewInstructionsAndEmptyIndexAcceptsAll() {
        RougeLIndex fresh = new RougeLIndex();
        assertThat(fresh.maxRougeL("anything")).isZero();
        assertThat(fresh.anyAbove("anything", 0.7)).isFalse();
        assertThat(fresh.addIfNoneAbove("Give three tips for staying healthy.", 0.7)).isTrue();
        assertThat(fresh.addIfNoneAbove("Give three tips for staying very healthy.", 0.7)).isFalse();
        assertThat(fresh.addIfNoneAbove("Translate the sentence into French.", 0.7)).isTrue();
        assertThat(fresh.size()).isEqualTo(2);
        assertThat(fresh.instruction(1)).isEqualTo("Translate the sentence into French.");
        // tokens no kept instruction has can never match
        assertThat(fresh.anyAbove("zebra quokka", 0.0)).isFalse();
        assertThat(fresh.anyAbove("zebra quokka", -1)).isTrue();
    }

    @Test
    void anIndexGrownOneByOneEqualsTheBruteForceLoopOfAlpaca() {
        RougeLIndex grown = new RougeLIndex();
        List<String> accepted = new ArrayList<>();
        for (String instruction : SharedTexts.alpacaField("instruction").subList(0, 400)) {
            boolean duplicate = accepted.stream()
                    .anyMatch(a -> SCORER.score(instruction, a).get(RougeType.ROUGE_L).fmeasure() > 0.7);
            assertThat(grown.addIfNoneAbove(instruction, 0.7)).isEqualTo(!duplicate);
            if (!duplicate) {
                accepted.add(instruction);
            }
        }
        assertThat(grown.size()).isEqualTo(accepted.size());
    }
}
