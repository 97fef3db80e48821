package org.instruct4j.model.engine;

/**
 * The engine API: a causal language model run over independent sequences (rows), one forward pass at a time.
 * It is built for iteration-level scheduling (continuous batching, as Orca and vLLM do):
 * <ul>
 *   <li>every row has its own state ({@link Sequence}: its KV cache, its position, its logits), sized to the row
 *   alone, with no padding to the longest row;</li>
 *   <li>one {@link #forward} call runs any set of open rows, each at its own position: rows still reading their
 *   prompt contribute a chunk of it (prefill, as many chunks as the caller likes), decoding rows contribute their
 *   last sampled token, and both kinds mix freely in one pass;</li>
 *   <li>a row joins by being opened ({@link #newSequence}) and added to the next pass, and leaves by not being
 *   added again and being closed, at any step;</li>
 *   <li>after a pass every row that asked for them has its own next-token logits ({@link Sequence#logits()}),
 *   which the caller may read (log-probabilities) or change (constrained decoding) before sampling with the
 *   row's own settings and seed ({@code org.instruct4j.model.generate.TokenSampler});</li>
 *   <li>a row's results depend only on its own tokens: batched with any other rows, or alone, it gets the same
 *   logits.</li>
 * </ul>
 *
 * <p>One decode loop, for one row:
 * <pre>{@code
 * try (Sequence row = engine.newSequence(prompt.length + maxNewTokens)) {
 *     Batch batch = new Batch();
 *     batch.add(row, prompt, 0, prompt.length, true);      // prefill; logits of the prompt's last token
 *     engine.forward(batch);
 *     for (int i = 0; i < maxNewTokens; i++) {
 *         int token = sampler.next(row.logits());
 *         batch.clear().add(row, token);                    // decode one token at the row's next position
 *         engine.forward(batch);
 *     }
 * }
 * }</pre>
 * {@code org.instruct4j.model.generate.GenerationRow} wraps a row with its sampler, stop strings and incremental
 * detokenization; {@code Generator} runs a set of them to the end.
 *
 * <p>An engine is not thread-safe: one scheduling thread opens rows and calls {@link #forward} (the engine may use
 * more threads inside a pass). Implementations: the pure-Java CPU engine ({@code org.instruct4j.model.cpu.CpuEngine})
 * and libtorch ({@link TorchEngine}).
 */
public interface InferenceEngine extends AutoCloseable {

    /** Size of the logits of every row. */
    int vocabSize();

    /** Width of the hidden states {@link Batch#addHidden} returns. */
    int hiddenSize();

    /** The longest sequence the model was trained for; a row's capacity may not exceed it. */
    int maxPositions();

    /**
     * Opens a row with room for {@code capacity} tokens (prompt and output). Its memory grows with its length up to
     * that bound where the engine can (the CPU engine allocates its KV cache in blocks); close it to free it.
     */
    Sequence newSequence(int capacity);

    /**
     * Runs one forward pass over every entry of {@code batch}: each entry's tokens are appended to its row at the
     * row's next positions, attending to everything the row holds, and the outputs the entry asked for are written
     * (the row's logits, or the caller's arrays). Rows of the batch do not see each other.
     *
     * @throws IllegalArgumentException if a row appears twice, is closed, or would exceed its capacity
     */
    void forward(Batch batch);

    /**
     * Whether rows' keys and values can be copied out ({@link #copyKv}) and into other rows ({@link #appendKv}),
     * which a {@link PrefixCache} needs. The CPU engine can; libtorch cannot (yet).
     */
    default boolean copiesKv() {
        return false;
    }

    /** Bytes of keys and values one position of a row holds (all layers). */
    default long kvBytesPerToken() {
        throw new UnsupportedOperationException(description() + " cannot copy keys and values");
    }

    /** A copy of the keys and values {@code row} holds for positions [from, to). */
    default KvSpan copyKv(Sequence row, int from, int to) {
        throw new UnsupportedOperationException(description() + " cannot copy keys and values");
    }

    /**
     * Appends the first {@code count} positions of {@code span} to {@code row}, which must hold exactly
     * {@code span.from()} tokens: afterwards it holds {@code span.from() + count}, as if it had read their tokens.
     */
    default void appendKv(Sequence row, KvSpan span, int count) {
        throw new UnsupportedOperationException(description() + " cannot copy keys and values");
    }

    /** A short description for logs: engine, weight format, threads. */
    String description();

    /** Releases what the engine holds (threads, mapped weights); rows must not be used afterwards. */
    @Override
    void close();
}
