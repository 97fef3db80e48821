package org.instruct4j.model.generate;

import java.util.Arrays;
import java.util.Random;
import org.instruct4j.model.cpu.VectorMath;

/**
 * Picks one row's next tokens from its logits with the row's own settings and seed: repetition penalty (on the
 * tokens {@link #observe observed}: prompt and output, as transformers does), then greedy (temperature 0) or
 * sampling from the softmax at the temperature, restricted to the top k (partial selection, no full sort) and to
 * the top-p nucleus (sorted among a pre-filtered candidate set, as llama2.c does: a token whose probability is
 * below (1 - p) / (n - 1) can never be in the nucleus). One uniform draw per token, from the seeded generator, so
 * the same seed gives the same tokens. Nothing is allocated per token once the scratch arrays have grown.
 */
public final class TokenSampler {
    private final GenerationConfig config;
    private final int vocab;
    private final Random random;
    private final long[] seen;
    private final float[] scores;
    private int[] candidates = new int[64];
    private long[] keys = new long[64];

    public TokenSampler(GenerationConfig config, int vocabSize) {
        this.config = config;
        this.vocab = vocabSize;
        this.random = new Random(config.seed());
        this.seen = new long[(vocabSize + 63) >>> 6];
        this.scores = config.temperature() == 0 ? null : new float[vocabSize];
    }

    /** Marks {@code token} as seen, for the repetition penalty. */
    public void observe(int token) {
        seen[token >>> 6] |= 1L << token;
    }

    public void observe(int[] tokens) {
        for (int token : tokens) {
            observe(token);
        }
    }

    private boolean wasSeen(int token) {
        return (seen[token >>> 6] & (1L << token)) != 0;
    }

    /** The next token for {@code logits} ([vocab]; left unchanged). */
    public int next(float[] logits) {
        return config.temperature() == 0 ? greedy(logits) : sample(logits);
    }

    private float penalized(float logit) {
        double penalty = config.repetitionPenalty();
        return (float) (logit > 0 ? logit / penalty : logit * penalty);
    }

    /** The first index of the largest (penalized) logit, as torch.argmax and llama2.c pick. */
    private int greedy(float[] logits) {
        if (config.repetitionPenalty() == 1) {
            return VectorMath.argmax(logits, vocab);
        }
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            float value = wasSeen(i) ? penalized(logits[i]) : logits[i];
            if (value > bestValue || i == 0) {
                best = i;
                bestValue = value;
            }
        }
        return best;
    }

    private int sample(float[] logits) {
        System.arraycopy(logits, 0, scores, 0, vocab);
        if (config.repetitionPenalty() != 1) {
            for (int word = 0; word < seen.length; word++) {
                for (long bits = seen[word]; bits != 0; bits &= bits - 1) {
                    int token = (word << 6) + Long.numberOfTrailingZeros(bits);
                    scores[token] = penalized(scores[token]);
                }
            }
        }
        float inverseTemperature = (float) (1 / config.temperature());
        float max = VectorMath.max(scores, 0, vocab);
        int topK = config.topK() > 0 && config.topK() < vocab ? config.topK() : 0;
        int count;
        double total;
        if (topK > 0) {
            count = topCandidates(topK);
            total = 0;
            for (int i = 0; i < count; i++) {
                int token = candidates[i];
                scores[token] = VectorMath.exp((scores[token] - max) * inverseTemperature);
                total += scores[token];
            }
        } else {
            total = VectorMath.expInPlace(scores, 0, vocab, max, inverseTemperature);
            if (config.topP() >= 1) {
                return draw(total);
            }
            count = nucleusCandidates((float) ((1 - config.topP()) / (vocab - 1) * total));
        }
        sortByProbability(count);
        return drawFromNucleus(count, total);
    }

    /** Samples from the whole vocabulary, whose unnormalized probabilities are in {@code scores}. */
    private int draw(double total) {
        double target = random.nextDouble() * total;
        for (int i = 0; i < vocab; i++) {
            target -= scores[i];
            if (target <= 0) {
                return i;
            }
        }
        return lastNonZero();
    }

    private int lastNonZero() {
        for (int i = vocab - 1; i > 0; i--) {
            if (scores[i] > 0) {
                return i;
            }
        }
        return 0;
    }

    /** The smallest prefix of the sorted candidates holding top-p of {@code total}, then one draw within it. */
    private int drawFromNucleus(int count, double total) {
        double wanted = config.topP() * total;
        double cumulative = 0;
        int nucleus = count;
        for (int i = 0; i < count; i++) {
            cumulative += scores[candidates[i]];
            if (cumulative >= wanted) {
                nucleus = i + 1;
                break;
            }
        }
        double mass = 0;
        for (int i = 0; i < nucleus; i++) {
            mass += scores[candidates[i]];
        }
        double target = random.nextDouble() * mass;
        for (int i = 0; i < nucleus; i++) {
            target -= scores[candidates[i]];
            if (target <= 0) {
                return candidates[i];
            }
        }
        return candidates[nucleus - 1];
    }

    /** Tokens whose probability reaches {@code cutoff}: a superset of the nucleus. */
    private int nucleusCandidates(float cutoff) {
        int count = 0;
        for (int i = 0; i < vocab; i++) {
            if (scores[i] >= cutoff) {
                if (count == candidates.length) {
                    candidates = Arrays.copyOf(candidates, count * 2);
                }
                candidates[count++] = i;
            }
        }
        return count;
    }

    /** The {@code k} best tokens by score (ties: the lower id), in no particular order, by quickselect. */
    private int topCandidates(int k) {
        if (candidates.length < vocab) {
            candidates = new int[vocab];
        }
        for (int i = 0; i < vocab; i++) {
            candidates[i] = i;
        }
        int left = 0, right = vocab - 1;
        while (left < right) {
            int pivot = partition(left, right, left + (right - left) / 2);
            if (pivot == k - 1) {
                break;
            }
            if (pivot < k - 1) {
                left = pivot + 1;
            } else {
                right = pivot - 1;
            }
        }
        return k;
    }

    /** Moves the candidates ranked before the pivot's to its left; returns the pivot's final index. */
    private int partition(int left, int right, int pivotIndex) {
        int pivot = candidates[pivotIndex];
        swap(pivotIndex, right);
        int store = left;
        for (int i = left; i < right; i++) {
            if (ranksBefore(candidates[i], pivot)) {
                swap(i, store++);
            }
        }
        swap(store, right);
        return store;
    }

    private boolean ranksBefore(int a, int b) {
        return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
    }

    private void swap(int i, int j) {
        int t = candidates[i];
        candidates[i] = candidates[j];
        candidates[j] = t;
    }

    /** Sorts the first {@code count} candidates by probability, highest first (ties: the lower id first). */
    private void sortByProbability(int count) {
        if (keys.length < count) {
            keys = new long[Math.max(count, keys.length * 2)];
        }
        for (int i = 0; i < count; i++) {
            int token = candidates[i];
            // probabilities are non-negative, so their bits order like the values; ~token puts low ids last
            keys[i] = ((long) Float.floatToRawIntBits(scores[token]) << 32) | (~token & 0xFFFFFFFFL);
        }
        Arrays.sort(keys, 0, count);
        for (int i = 0; i < count; i++) {
            candidates[i] = ~(int) keys[count - 1 - i];
        }
    }
}
