package org.instruct4j.model.tokenizer;

/** Text to token ids and back, with the model's special tokens. */
public interface Tokenizer {

    /** The ids of {@code text}, preceded by BOS when {@code addBos} (and the tokenizer has one). */
    int[] encode(String text, boolean addBos);

    /** The text of {@code ids}, leaving out special tokens (BOS, EOS, padding). */
    String decode(int[] ids);

    int vocabSize();

    /**
     * The bytes token {@code id} adds to a text it does not start (a SentencePiece piece keeps its leading space, a
     * byte-fallback or byte-level token is its raw byte(s), which may be part of a UTF-8 character), empty for
     * special tokens: what constrained decoding matches against a grammar, and the bytes of a token's logprob.
     */
    byte[] tokenBytes(int id);

    /** -1 when the tokenizer has none. */
    int bosId();

    /** -1 when the tokenizer has none. */
    int eosId();

    /** The padding id, or EOS when the tokenizer defines no padding token (as Llama's does not). */
    int padId();
}
