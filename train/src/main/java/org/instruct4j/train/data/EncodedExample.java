package org.instruct4j.train.data;

import java.util.Arrays;

/**
 * One training example as token ids: a conversation with its replies (BOS first where the format writes one, cut at the
 * length limit). {@code trained[i]} says whether token i is a target: the tokens of the assistant's replies and the
 * end token of each; everything else (system prompt, user turns, the template's role markers) is input but never a
 * target, so the loss only sees what the model should write. {@code row} is the example's 0-based position in the
 * data file.
 */
public record EncodedExample(int[] tokens, boolean[] trained, boolean responseTruncated, long row) {
    public static final int IGNORE = -100;

    public EncodedExample {
        if (trained.length != tokens.length || trained.length > 0 && trained[0]) {
            throw new IllegalArgumentException("one mask entry per token, and the first token has nothing before it to predict it");
        }
    }

    /** An example whose first {@code promptTokens} tokens are the prompt and the rest the response trained on. */
    public static EncodedExample afterPrompt(int[] tokens, int promptTokens, boolean responseTruncated, long row) {
        boolean[] trained = new boolean[tokens.length];
        Arrays.fill(trained, Math.min(Math.max(promptTokens, 1), tokens.length), tokens.length, true);
        return new EncodedExample(tokens, trained, responseTruncated, row);
    }

    /** Positions trained on: tokens[i + 1] is the target of input position i. */
    public int inputLength() {
        return tokens.length - 1;
    }

    /** The target of input position i, or {@link #IGNORE} where the next token is not trained on. */
    public int target(int i) {
        return trained[i + 1] ? tokens[i + 1] : IGNORE;
    }

    public int targetCount() {
        int count = 0;
        for (boolean t : trained) {
            count += t ? 1 : 0;
        }
        return count;
    }

    /** How many tokens come before the first target: the prompt of a one-reply example. */
    public int promptTokens() {
        int i = 0;
        while (i < trained.length && !trained[i]) {
            i++;
        }
        return i;
    }
}
