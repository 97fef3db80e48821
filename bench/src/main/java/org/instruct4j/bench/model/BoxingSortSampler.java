package org.instruct4j.bench.model;

import java.util.Arrays;
import java.util.Random;

/** The sampler instruct4j had before the CPU engine, kept as the baseline: doubles, boxed ids, a full sort per token. */
final class BoxingSortSampler {
    private final double temperature;
    private final double topP;
    private final int topK;
    private final Random random;

    BoxingSortSampler(double temperature, double topP, int topK, long seed) {
        this.temperature = temperature;
        this.topP = topP;
        this.topK = topK;
        this.random = new Random(seed);
    }

    int next(float[] logits) {
        int vocab = logits.length;
        double[] scores = new double[vocab];
        for (int i = 0; i < vocab; i++) {
            scores[i] = logits[i];
        }
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        int kept = topK > 0 ? Math.min(topK, vocab) : vocab;
        double max = scores[order[0]];
        double[] probs = new double[kept];
        double total = 0;
        for (int i = 0; i < kept; i++) {
            probs[i] = Math.exp((scores[order[i]] - max) / temperature);
            total += probs[i];
        }
        double cumulative = 0;
        int nucleus = kept;
        for (int i = 0; i < kept; i++) {
            cumulative += probs[i] / total;
            if (cumulative >= topP) {
                nucleus = i + 1;
                break;
            }
        }
        double mass = 0;
        for (int i = 0; i < nucleus; i++) {
            mass += probs[i];
        }
        double target = random.nextDouble() * mass;
        for (int i = 0; i < nucleus; i++) {
            target -= probs[i];
            if (target <= 0) {
                return order[i];
            }
        }
        return order[nucleus - 1];
    }
}
