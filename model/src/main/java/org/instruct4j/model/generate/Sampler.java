package org.instruct4j.model.generate;

import java.util.Arrays;
import java.util.Random;

/** Picks the next token of one row from its logits: repetition penalty, then greedy or filtered sampling. */
final class Sampler {
    private final GenerationConfig config;
    private final Random random;

    Sampler(GenerationConfig config) {
        this.config = config;
        this.random = new Random(config.seed());
    }

    /** {@code logits[offset, offset + vocab)} are the row's logits; {@code seen} the ids in prompt and output. */
    int next(float[] logits, int offset, int vocab, boolean[] seen) {
        double[] scores = new double[vocab];
        for (int i = 0; i < vocab; i++) {
            double logit = logits[offset + i];
            if (seen[i] && config.repetitionPenalty() != 1) {
                logit = logit > 0 ? logit / config.repetitionPenalty() : logit * config.repetitionPenalty();
            }
            scores[i] = logit;
        }
        if (config.temperature() == 0) {
            return argmax(scores);
        }
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        int kept = config.topK() > 0 ? Math.min(config.topK(), vocab) : vocab;
        double max = scores[order[0]];
        double[] probs = new double[kept];
        double total = 0;
        for (int i = 0; i < kept; i++) {
            probs[i] = Math.exp((scores[order[i]] - max) / config.temperature());
            total += probs[i];
        }
        // top-p: the smallest prefix of the sorted tokens whose probability reaches topP
        double cumulative = 0;
        int nucleus = kept;
        for (int i = 0; i < kept; i++) {
            cumulative += probs[i] / total;
            if (cumulative >= config.topP()) {
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

    /** The first index of the largest score, as torch.argmax and llama2.c do. */
    static int argmax(double[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }
}
