package org.instruct4j.model.generate;

import java.util.Arrays;
import java.util.List;
import org.instruct4j.model.tokenizer.Tokenizer;

/**
 * One row's output text, decoded incrementally as tokens arrive, with stop strings. Each token costs the decoding
 * of a few tokens, not of the whole text: the window since the last complete piece is decoded with and without the
 * new token and the difference is the new text (the offsets method of Hugging Face's text-generation-inference and
 * vLLM). The window starts a few tokens into the prompt, so a first output piece keeps the leading space that a
 * SentencePiece decoder drops at the start of a text. Text that could still be the start of a stop string, and
 * bytes of a character not yet complete, are held back; the pieces {@link #append} and {@link #finish} return,
 * joined, are exactly the final {@link #text()}.
 */
public final class TextStream {
    /** Prompt tokens decoded before the output, as vLLM does. */
    private static final int PROMPT_CONTEXT = 5;

    private final Tokenizer tokenizer;
    private final List<String> stopStrings;
    private final int longestStop;
    private int[] ids;
    private int count;
    /** Start of the decoding window: the first token of the last emitted piece's context. */
    private int prefixOffset;
    /** Tokens up to here are in {@link #decoded}. */
    private int readOffset;
    private final StringBuilder decoded = new StringBuilder();
    /** Characters of {@link #decoded} returned to the caller. */
    private int emitted;
    /** Where the first stop string starts, or -1. */
    private int stopAt = -1;

    public TextStream(Tokenizer tokenizer, int[] prompt, List<String> stopStrings) {
        this.tokenizer = tokenizer;
        this.stopStrings = stopStrings;
        this.longestStop = stopStrings.stream().mapToInt(String::length).max().orElse(0);
        int context = Math.min(PROMPT_CONTEXT, prompt.length);
        this.ids = Arrays.copyOfRange(prompt, prompt.length - context, prompt.length + 16);
        this.count = context;
        this.readOffset = context;
        this.prefixOffset = 0;
    }

    /** Adds an output token; returns the text that became certain (often empty). */
    public String append(int token) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
        }
        ids[count++] = token;
        String window = decode(prefixOffset, count);
        String before = decode(prefixOffset, readOffset);
        // a character's bytes span at most 4 tokens: past that the replacement character is the text
        if (window.length() > before.length() && (!window.endsWith("\uFFFD") || count - readOffset >= 4)) {
            addDecoded(window.substring(before.length()));
            prefixOffset = readOffset;
            readOffset = count;
        }
        return release(false);
    }

    /** Whether the text holds a stop string (generation should end). */
    public boolean stopped() {
        return stopAt >= 0;
    }

    /** Decodes what is still pending (a character left incomplete) and returns the text not returned yet. */
    public String finish() {
        if (readOffset < count && stopAt < 0) {
            String window = decode(prefixOffset, count);
            String before = decode(prefixOffset, readOffset);
            if (window.length() > before.length()) {
                addDecoded(window.substring(before.length()));
            }
            readOffset = count;
        }
        return release(true);
    }

    /** The output text so far, cut before the first stop string. */
    public String text() {
        return decoded.substring(0, stopAt >= 0 ? stopAt : decoded.length());
    }

    private String decode(int from, int to) {
        return tokenizer.decode(Arrays.copyOfRange(ids, from, to));
    }

    private void addDecoded(String piece) {
        if (stopAt >= 0) {
            return;
        }
        int searchFrom = Math.max(0, decoded.length() - longestStop + 1);
        decoded.append(piece);
        for (String stop : stopStrings) {
            int at = decoded.indexOf(stop, searchFrom);
            if (at >= 0 && (stopAt < 0 || at < stopAt)) {
                stopAt = at;
            }
        }
    }

    /** The text that is certain now: all of it when finished, else up to a possible stop-string start. */
    private String release(boolean finished) {
        int certain = stopAt >= 0 ? stopAt : decoded.length();
        if (!finished && stopAt < 0) {
            certain -= heldForStop(certain);
        }
        if (certain <= emitted) {
            return "";
        }
        String piece = decoded.substring(emitted, certain);
        emitted = certain;
        return piece;
    }

    /** Length of the longest end of the text that is a proper prefix of some stop string. */
    private int heldForStop(int end) {
        int held = 0;
        for (String stop : stopStrings) {
            for (int keep = Math.min(stop.length() - 1, end - emitted); keep > held; keep--) {
                if (matches(end - keep, stop, keep)) {
                    held = keep;
                    break;
                }
            }
        }
        return held;
    }

    private boolean matches(int at, String stop, int length) {
        for (int i = 0; i < length; i++) {
            if (decoded.charAt(at + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
