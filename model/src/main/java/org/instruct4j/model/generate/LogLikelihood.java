package org.instruct4j.model.generate;

import org.instruct4j.model.engine.Batch;
import org.instruct4j.model.engine.InferenceEngine;
import org.instruct4j.model.engine.Sequence;

/** How likely a model finds a text: the log-probabilities of its tokens given the ones before. */
public final class LogLikelihood {
    private LogLikelihood() {}

    /**
     * log p(tokens[from], ..., tokens[n - 1] | the tokens before each), summed in double: the tokens before
     * {@code from} (at least one, BOS) are read without the output head, the rest are scored.
     */
    public static double sum(InferenceEngine engine, int[] tokens, int from) {
        if (from < 1 || from > tokens.length) {
            throw new IllegalArgumentException("the first scored token must be one of tokens[1, " + tokens.length + "], got " + from);
        }
        int vocab = engine.vocabSize(), scored = tokens.length - from;
        if (scored == 0) {
            return 0;
        }
        float[] logits = new float[scored * vocab];
        try (Sequence row = engine.newSequence(tokens.length)) {
            if (from > 1) {
                engine.forward(new Batch().add(row, tokens, 0, from - 1, false));
            }
            engine.forward(new Batch().addScored(row, tokens, from - 1, tokens.length - 1, logits));
        }
        double total = 0;
        for (int i = 0; i < scored; i++) {
            total += logProbability(logits, i * vocab, vocab, tokens[from + i]);
        }
        return total;
    }

    /** log softmax(logits[offset, offset + vocab))[token], in double. */
    static double logProbability(float[] logits, int offset, int vocab, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            max = Math.max(max, logits[offset + v]);
        }
        double sum = 0;
        for (int v = 0; v < vocab; v++) {
            sum += Math.exp(logits[offset + v] - max);
        }
        return logits[offset + token] - max - Math.log(sum);
    }
}
