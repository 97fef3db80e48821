package org.instruct4j.serve.schedule;

/**
 * Reads one row's log-probabilities from its raw logits before anything masks them: the log-sum-exp of the whole
 * vocabulary and the {@code top} largest logits (kept in a small sorted array: one comparison per token once it is
 * full). Allocates nothing per token but the reported arrays.
 */
final class LogprobReader {
    private final int top;
    private final int[] bestTokens;
    private final float[] bestLogits;
    private double logSumExp;

    LogprobReader(int top) {
        this.top = top;
        this.bestTokens = new int[top];
        this.bestLogits = new float[top];
    }

    /** Reads the row's logits; call before they are masked. */
    void read(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - max);
        }
        logSumExp = max + Math.log(sum);
        int kept = 0;
        for (int token = 0; token < logits.length && top > 0; token++) {
            float logit = logits[token];
            if (kept == top && logit <= bestLogits[top - 1]) {
                continue;
            }
            int at = kept == top ? top - 1 : kept++;
            while (at > 0 && bestLogits[at - 1] < logit) {
                bestLogits[at] = bestLogits[at - 1];
                bestTokens[at] = bestTokens[at - 1];
                at--;
            }
            bestLogits[at] = logit;
            bestTokens[at] = token;
        }
    }

    /** The sampled token's log-probabilities; its logit is read from {@code logits}, which only masking changed. */
    TokenLogprobs of(int token, float[] logits) {
        float[] topLogprobs = new float[top];
        for (int i = 0; i < top; i++) {
            topLogprobs[i] = (float) (bestLogits[i] - logSumExp);
        }
        return new TokenLogprobs(token, (float) (logits[token] - logSumExp), bestTokens.clone(), topLogprobs);
    }
}
