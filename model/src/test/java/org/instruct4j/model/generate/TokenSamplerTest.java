package org.instruct4j.model.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenSamplerTest {
    private static final float[] LOGITS = {1.0f, 3.0f, 2.9f, -1.0f, 0.5f};
    /** 4.753 standard deviations: the normal quantile whose upper tail is 1e-6. */
    private static final double Z_ONE_IN_A_MILLION = 4.753;

    private static int[] counts(GenerationConfig config, float[] logits, int draws) {
        TokenSampler sampler = new TokenSampler(config, logits.length);
        int[] counts = new int[logits.length];
        for (int i = 0; i < draws; i++) {
            counts[sampler.next(logits)]++;
        }
        return counts;
    }

    @Test
    void greedyTakesTheArgmaxAndTheRepetitionPenaltyCanChangeIt() {
        GenerationConfig greedy = GenerationConfig.greedy(1);
        assertThat(new TokenSampler(greedy, 5).next(LOGITS)).isEqualTo(1);

        TokenSampler penalized = new TokenSampler(greedy.withRepetitionPenalty(1.2), 5);
        penalized.observe(1);
        assertThat(penalized.next(LOGITS)).isEqualTo(2);
    }

    @Test
    void topKAndTopPRestrictTheCandidates() {
        int[] topTwo = counts(GenerationConfig.greedy(1).withSampling(1.0, 1.0, 2, 1), LOGITS, 2000);
        assertThat(topTwo[0] + topTwo[3] + topTwo[4]).isZero();
        assertThat(topTwo[1]).isGreaterThan(800);
        assertThat(topTwo[2]).isGreaterThan(800);

        // softmax(LOGITS) puts ~0.47 on token 1 and ~0.43 on token 2: top-p 0.4 keeps only token 1
        int[] nucleus = counts(GenerationConfig.greedy(1).withSampling(1.0, 0.4, 0, 1), LOGITS, 500);
        assertThat(nucleus[1]).isEqualTo(500);
    }

    @Test
    void aSeedRepeatsItsSamplesAndAnotherSeedDoesNot() {
        float[] logits = randomLogits(1000, 3);
        GenerationConfig sampling = GenerationConfig.greedy(1).withSampling(0.8, 0.95, 0, 42);
        assertThat(counts(sampling, logits, 3000)).containsExactly(counts(sampling, logits, 3000));
        assertThat(counts(sampling, logits, 3000)).isNotEqualTo(counts(sampling.withSampling(0.8, 0.95, 0, 43), logits, 3000));
    }

    /**
     * Pearson's chi-square of 200,000 draws against the softmax, below its one-in-a-million quantile; the same
     * draws against the softmax at another temperature (what a sampler ignoring the temperature would give) are far
     * above it, so the bound separates right from wrong.
     */
    @Test
    void frequenciesMatchTheSoftmaxAtTheTemperature() {
        float[] logits = randomLogits(1000, 5);
        int draws = 200_000;
        int[] counts = counts(GenerationConfig.greedy(1).withSampling(0.7, 1.0, 0, 7), logits, draws);

        assertThat(chiSquareExcess(counts, softmax(logits, 0.7, logits.length), draws)).isLessThan(0);
        assertThat(chiSquareExcess(counts, softmax(logits, 1.0, logits.length), draws)).isGreaterThan(0);
    }

    @Test
    void topKAndTopPFrequenciesMatchTheRenormalizedSoftmax() {
        float[] logits = randomLogits(1000, 9);
        int draws = 100_000;
        int[] topK = counts(GenerationConfig.greedy(1).withSampling(1.0, 1.0, 50, 11), logits, draws);
        assertThat(chiSquareExcess(topK, softmax(logits, 1.0, 50), draws)).isLessThan(0);

        int[] topP = counts(GenerationConfig.greedy(1).withSampling(1.0, 0.9, 0, 13), logits, draws);
        assertThat(chiSquareExcess(topP, nucleus(softmax(logits, 1.0, logits.length), 0.9), draws)).isLessThan(0);
    }

    private static float[] randomLogits(int vocab, long seed) {
        Random random = new Random(seed);
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            logits[i] = (float) (random.nextGaussian() * 2.5);
        }
        return logits;
    }

    /** softmax(logits / temperature) over the {@code keep} largest logits, zero elsewhere. */
    private static double[] softmax(float[] logits, double temperature, int keep) {
        float[] sorted = logits.clone();
        Arrays.sort(sorted);
        float threshold = sorted[sorted.length - keep];
        double[] p = new double[logits.length];
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = logits[i] >= threshold ? Math.exp(logits[i] / temperature) : 0;
            total += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= total;
        }
        return p;
    }

    /** {@code p} restricted to its smallest most-probable set holding {@code topP}, renormalized. */
    private static double[] nucleus(double[] p, double topP) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        double[] kept = new double[p.length];
        double cumulative = 0;
        for (int i = 0; i < p.length && cumulative < topP; i++) {
            kept[order[i]] = p[order[i]];
            cumulative += p[order[i]];
        }
        for (int i = 0; i < p.length; i++) {
            kept[i] /= cumulative;
        }
        return kept;
    }

    /**
     * Pearson's statistic minus its 1e-6 upper quantile (Wilson-Hilferty), over bins expecting at least 5 draws
     * plus one bin for the rest; a draw where zero was expected counts as an infinite excess.
     */
    private static double chiSquareExcess(int[] counts, double[] p, int draws) {
        double statistic = 0, restExpected = 0, restObserved = 0;
        int bins = 0;
        for (int i = 0; i < p.length; i++) {
            double expected = p[i] * draws;
            if (expected == 0 && counts[i] > 0) {
                return Double.POSITIVE_INFINITY;
            }
            if (expected >= 5) {
                statistic += (counts[i] - expected) * (counts[i] - expected) / expected;
                bins++;
            } else {
                restExpected += expected;
                restObserved += counts[i];
            }
        }
        if (restExpected > 0) {
            statistic += (restObserved - restExpected) * (restObserved - restExpected) / restExpected;
            bins++;
        }
        double df = bins - 1;
        double h = 2 / (9 * df);
        double quantile = df * Math.pow(1 - h + Z_ONE_IN_A_MILLION * Math.sqrt(h), 3);
        return statistic - quantile;
    }
}
