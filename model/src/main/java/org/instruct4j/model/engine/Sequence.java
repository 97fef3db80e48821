package org.instruct4j.model.engine;

/**
 * One row's state in an {@link InferenceEngine}: the keys and values of every token it has read (its KV cache),
 * hence its length (the position its next token takes), and the next-token logits of its last forward pass that
 * asked for them. Created by {@link InferenceEngine#newSequence}; used by one thread at a time.
 */
public interface Sequence extends AutoCloseable {

    /** Tokens read so far: the position the next token takes. */
    int length();

    /** Most tokens this row may hold. */
    int capacity();

    /**
     * The next-token logits ([vocabSize], fp32) after the last token of the last entry that asked for them
     * ({@link Batch#add(Sequence, int)}, or {@link Batch#add(Sequence, int[], int, int, boolean)} with logits).
     * The array is the row's own and is overwritten by the next such pass: read it, or change it in place (mask
     * tokens for constrained decoding) before sampling.
     */
    float[] logits();

    /** Frees the row's memory; it may not be used afterwards. Closing twice is harmless. */
    @Override
    void close();
}
