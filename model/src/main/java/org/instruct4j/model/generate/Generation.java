package org.instruct4j.model.generate;

/** One generated continuation: its token ids (without the prompt), its text, and why it ended. */
public record Generation(int[] tokenIds, String text, FinishReason finishReason) {

    public enum FinishReason {
        /** The model produced its end-of-sequence token (not included in the ids or text). */
        EOS,
        /** The text reached a stop string (the text is cut before it). */
        STOP_STRING,
        /** maxNewTokens were generated. */
        LENGTH
    }
}
