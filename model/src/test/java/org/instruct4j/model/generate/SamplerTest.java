package org.instruct4j.model.generate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final float[] LOGITS = {1.0f, 3.0f, 2.9f, -1.0f, 0.5f};
    private static final boolean[] NONE_SEEN = new boolean[5];

    private static int[] counts(GenerationConfig config, boolean[] seen, int draws) {
        Sampler sampler = new Sampler(config);
        int[] counts = new int[LOGITS.length];
        for (int i = 0; i < draws; i++) {
            counts[sampler.next(LOGITS, 0, LOGITS.length, seen)]++;
        }
        return counts;
    }

    @Test
    void greedyTakesTheArgmaxAndTheRepetitionPenaltyCanChangeIt() {
        GenerationConfig greedy = GenerationConfig.greedy(1);
        assertThat(new Sampler(greedy).next(LOGITS, 0, 5, NONE_SEEN)).isEqualTo(1);

        boolean[] seen = {false, true, false, false, false};
        assertThat(new Sampler(greedy.withRepetitionPenalty(1.2)).next(LOGITS, 0, 5, seen)).isEqualTo(2);
    }

    @Test
    void topKAndTopPRestrictTheCandidates() {
        GenerationConfig sampling = GenerationConfig.greedy(1).withSampling(1.0, 1.0, 2, 1);
        int[] topTwo = counts(sampling, NONE_SEEN, 2000);
        assertThat(topTwo[0] + topTwo[3] + topTwo[4]).isZero();
        assertThat(topTwo[1]).isGreaterThan(800);
        assertThat(topTwo[2]).isGreaterThan(800);

        // softmax(LOGITS) puts ~0.47 on token 1 and ~0.43 on token 2: top-p 0.4 keeps only token 1
        int[] nucleus = counts(GenerationConfig.greedy(1).withSampling(1.0, 0.4, 0, 1), NONE_SEEN, 500);
        assertThat(nucleus[1]).isEqualTo(500);
    }

    @Test
    void fullSamplingVisitsEveryTokenInProportionAndASeedRepeats() {
        GenerationConfig sampling = GenerationConfig.greedy(1).withSampling(1.0, 1.0, 0, 42);
        int[] counts = counts(sampling, NONE_SEEN, 20000);
        double total = 0;
        for (float logit : LOGITS) {
            total += Math.exp(logit);
        }
        for (int i = 0; i < LOGITS.length; i++) {
            assertThat(counts[i] / 20000.0).as("token %d", i).isCloseTo(Math.exp(LOGITS[i]) / total,
                    org.assertj.core.data.Offset.offset(0.02));
        }
        assertThat(counts(sampling, NONE_SEEN, 20000)).containsExactly(counts);
    }
}
