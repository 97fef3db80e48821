package org.instruct4j.train.data;

/**
 * One training example as token ids: BOS, prompt, response, EOS (cut at the length limit). The first
 * {@code promptTokens} ids are the prompt: they are input but never a target, so the loss only sees the
 * response and its EOS. {@code row} is the example's 0-based position in the data file.
 */
public record EncodedExample(int[] tokens, int promptTokens, boolean responseTruncated, long row) {
    public static final int IGNORE = -100;

    /** Positions trained on: tokens[i + 1] is the target of input position i. */
    public int inputLength() {
        return tokens.length - 1;
    }

    /** The target of input position i, or {@link #IGNORE} for a prompt position. */
    public int target(int i) {
        return i + 1 < promptTokens ? IGNORE : tokens[i + 1];
    }

    public int targetCount() {
        return Math.max(0, tokens.length - Math.max(promptTokens, 1));
    }
}
