package org.instruct4j.model.engine;

import java.util.Arrays;

/**
 * The work of one {@link InferenceEngine#forward} pass: entries of (row, tokens to append, what to return). A row
 * appears at most once per batch; rows may be at any positions and read any number of tokens. A batch is meant to
 * be reused from step to step ({@link #clear()}), so scheduling allocates nothing per step.
 */
public final class Batch {
    /** What an entry returns. */
    public enum Output {
        /** Nothing: a chunk of a prompt whose rest comes later. */
        NONE,
        /** The next-token logits after the entry's last token, in the row's {@link Sequence#logits()}. */
        LAST_LOGITS,
        /** The logits after every token of the entry, [tokens x vocab] in the caller's array (scoring). */
        ALL_LOGITS,
        /** The final hidden state (after the last norm) of the entry's last token, in the caller's array. */
        LAST_HIDDEN
    }

    private Sequence[] sequences = new Sequence[8];
    private int[][] tokens = new int[8][];
    private int[] from = new int[8];
    private int[] to = new int[8];
    private Output[] outputs = new Output[8];
    private float[][] destinations = new float[8][];
    private int[] single = new int[8];
    private int size;
    private int tokenCount;

    /** Removes every entry (keeps the arrays). */
    public Batch clear() {
        Arrays.fill(sequences, 0, size, null);
        Arrays.fill(tokens, 0, size, null);
        Arrays.fill(destinations, 0, size, null);
        size = 0;
        tokenCount = 0;
        return this;
    }

    /** Decodes one token: {@code token} at the row's next position; its logits land in {@link Sequence#logits()}. */
    public Batch add(Sequence sequence, int token) {
        int entry = append(sequence, null, 0, 1, Output.LAST_LOGITS, null);
        single[entry] = token;
        return this;
    }

    /**
     * Appends {@code tokens[from, to)} to the row (a prompt, or a chunk of it); with {@code logits} the logits after
     * the last of them land in {@link Sequence#logits()}.
     */
    public Batch add(Sequence sequence, int[] tokens, int from, int to, boolean logits) {
        append(sequence, tokens, from, to, logits ? Output.LAST_LOGITS : Output.NONE, null);
        return this;
    }

    /**
     * Appends {@code tokens[from, to)} and writes the logits after each of them to {@code logits} (token i's at
     * {@code (i - from) * vocabSize}): what scoring a text (log-likelihood, DPO's reference) needs.
     */
    public Batch addScored(Sequence sequence, int[] tokens, int from, int to, float[] logits) {
        append(sequence, tokens, from, to, Output.ALL_LOGITS, logits);
        return this;
    }

    /**
     * Appends {@code tokens[from, to)} and writes the final hidden state of the last one to {@code hidden}
     * ([hiddenSize]): what a reward model or classifier puts its own head on.
     */
    public Batch addHidden(Sequence sequence, int[] tokens, int from, int to, float[] hidden) {
        append(sequence, tokens, from, to, Output.LAST_HIDDEN, hidden);
        return this;
    }

    private int append(Sequence sequence, int[] ids, int start, int end, Output output, float[] destination) {
        if (end <= start) {
            throw new IllegalArgumentException("an entry needs at least one token, got [" + start + ", " + end + ")");
        }
        for (int i = 0; i < size; i++) {
            if (sequences[i] == sequence) {
                throw new IllegalArgumentException("a row appears at most once in a batch");
            }
        }
        if (size == sequences.length) {
            int grown = size * 2;
            sequences = Arrays.copyOf(sequences, grown);
            tokens = Arrays.copyOf(tokens, grown);
            from = Arrays.copyOf(from, grown);
            to = Arrays.copyOf(to, grown);
            outputs = Arrays.copyOf(outputs, grown);
            destinations = Arrays.copyOf(destinations, grown);
            single = Arrays.copyOf(single, grown);
        }
        sequences[size] = sequence;
        tokens[size] = ids;
        from[size] = start;
        to[size] = end;
        outputs[size] = output;
        destinations[size] = destination;
        tokenCount += end - start;
        return size++;
    }

    /** Entries in the batch. */
    public int size() {
        return size;
    }

    /** Tokens over all entries. */
    public int tokenCount() {
        return tokenCount;
    }

    public Sequence sequence(int entry) {
        return sequences[entry];
    }

    /** Number of tokens entry {@code entry} appends. */
    public int length(int entry) {
        return to[entry] - from[entry];
    }

    /** The {@code i}-th token the entry appends. */
    public int token(int entry, int i) {
        return tokens[entry] == null ? single[entry] : tokens[entry][from[entry] + i];
    }

    public Output output(int entry) {
        return outputs[entry];
    }

    /** The caller's array of an {@link Output#ALL_LOGITS} or {@link Output#LAST_HIDDEN} entry, else null. */
    public float[] destination(int entry) {
        return destinations[entry];
    }
}
