package org.instruct4j.model.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * SentencePiece BPE as used by Llama 1/2 and llama2.c: a dummy-prefix space, one symbol per UTF-8 character
 * (bytes as {@code <0xNN>} pieces when the character is not in the vocabulary), then repeatedly merge the
 * adjacent pair whose concatenation has the highest score (leftmost on ties), as llama2.c's encode() does.
 * Pieces hold plain spaces where the .model file has U+2581.
 */
public final class SentencePieceBpe implements Tokenizer {
    /** How SentencePiece writes the unknown piece in decoded text. */
    private static final String UNKNOWN = " \u2047 ";

    private final String[] pieces;
    private final float[] scores;
    private final boolean[] special;
    private final Map<String, Integer> mergeable;
    private final int[] byteIds = new int[256];
    private final int unkId;
    private final int bosId;
    private final int eosId;
    private final int padId;

    /**
     * {@code special[i]} marks control pieces (BOS, EOS, padding), which decode to nothing; {@code matchable[i]}
     * says whether piece i may be produced by merging text (false for control, byte and unused pieces).
     */
    SentencePieceBpe(String[] pieces, float[] scores, boolean[] special, boolean[] matchable,
                     int unkId, int bosId, int eosId, int padId) {
        this.pieces = pieces;
        this.scores = scores;
        this.special = special;
        this.unkId = unkId;
        this.bosId = bosId;
        this.eosId = eosId;
        this.padId = padId;
        this.mergeable = new HashMap<>(pieces.length * 2);
        java.util.Arrays.fill(byteIds, unkId);
        for (int id = 0; id < pieces.length; id++) {
            if (matchable[id]) {
                mergeable.putIfAbsent(pieces[id], id);
            }
            int value = byteValue(pieces[id]);
            if (value >= 0) {
                byteIds[value] = id;
            }
        }
    }

    /** The byte a {@code <0xNN>} piece stands for, or -1. */
    private static int byteValue(String piece) {
        if (piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">")) {
            try {
                return Integer.parseInt(piece.substring(3, 5), 16);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        int[] symbols = initialSymbols(text);
        int count = symbols.length;
        int[] next = new int[count];
        int[] prev = new int[count];
        for (int i = 0; i < count; i++) {
            next[i] = i + 1 < count ? i + 1 : -1;
            prev[i] = i - 1;
        }
        PriorityQueue<Merge> queue = new PriorityQueue<>();
        for (int i = 0; i + 1 < count; i++) {
            offer(queue, symbols, i, i + 1);
        }
        boolean[] gone = new boolean[count];
        while (!queue.isEmpty()) {
            Merge m = queue.poll();
            if (gone[m.left] || gone[m.right] || next[m.left] != m.right
                    || symbols[m.left] != m.leftId || symbols[m.right] != m.rightId) {
                continue; // stale: one side was merged into something else since this pair was queued
            }
            symbols[m.left] = m.mergedId;
            gone[m.right] = true;
            next[m.left] = next[m.right];
            if (next[m.right] >= 0) {
                prev[next[m.right]] = m.left;
            }
            if (prev[m.left] >= 0) {
                offer(queue, symbols, prev[m.left], m.left);
            }
            if (next[m.left] >= 0) {
                offer(queue, symbols, m.left, next[m.left]);
            }
        }
        int[] ids = new int[count + (addBos && bosId >= 0 ? 1 : 0)];
        int n = 0;
        if (addBos && bosId >= 0) {
            ids[n++] = bosId;
        }
        for (int i = count == 0 ? -1 : 0; i >= 0; i = next[i]) {
            ids[n++] = symbols[i];
        }
        return java.util.Arrays.copyOf(ids, n);
    }

    private int[] initialSymbols(String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String prefixed = " " + text;
        int[] out = new int[prefixed.length() * 4];
        int n = 0;
        for (int i = 0; i < prefixed.length(); ) {
            int codePoint = prefixed.codePointAt(i);
            String character = new String(Character.toChars(codePoint));
            Integer id = mergeable.get(character);
            if (id != null) {
                out[n++] = id;
            } else {
                for (byte b : character.getBytes(StandardCharsets.UTF_8)) {
                    out[n++] = byteIds[b & 0xFF];
                }
            }
            i += Character.charCount(codePoint);
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private void offer(PriorityQueue<Merge> queue, int[] symbols, int left, int right) {
        Integer merged = mergeable.get(pieces[symbols[left]] + pieces[symbols[right]]);
        if (merged != null) {
            queue.add(new Merge(scores[merged], left, right, symbols[left], symbols[right], merged));
        }
    }

    /** A candidate merge; the best has the highest score, then the leftmost position. */
    private record Merge(float score, int left, int right, int leftId, int rightId, int mergedId)
            implements Comparable<Merge> {
        @Override
        public int compareTo(Merge other) {
            int byScore = Float.compare(other.score, score);
            return byScore != 0 ? byScore : Integer.compare(left, other.left);
        }
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id < 0 || id >= pieces.length) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + pieces.length);
            }
            if (special[id]) {
                continue;
            }
            int value = byteValue(pieces[id]);
            if (value >= 0) {
                bytes.write(value);
                continue;
            }
            String piece = id == unkId ? UNKNOWN : pieces[id];
            if (bytes.size() == 0 && piece.startsWith(" ")) {
                piece = piece.substring(1); // the dummy prefix added by encode
            }
            bytes.writeBytes(piece.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] tokenBytes(int id) {
        if (special[id]) {
            return new byte[0];
        }
        int value = byteValue(pieces[id]);
        if (value >= 0) {
            return new byte[] {(byte) value};
        }
        return (id == unkId ? UNKNOWN : pieces[id]).getBytes(StandardCharsets.UTF_8);
    }

    /** The piece of {@code id} as stored (spaces for U+2581). */
    public String piece(int id) {
        return pieces[id];
    }

    /**
     * The piece's SentencePiece type, as GGUF's tokenizer.ggml.token_type stores it: 1 normal, 2 unknown, 3 control
     * (BOS, EOS, padding), 6 byte ({@code <0xNN>}).
     */
    public int tokenType(int id) {
        if (id == unkId) {
            return 2;
        }
        if (special[id]) {
            return 3;
        }
        return byteValue(pieces[id]) >= 0 ? 6 : 1;
    }

    public int unkId() {
        return unkId;
    }

    public float score(int id) {
        return scores[id];
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    @Override
    public int bosId() {
        return bosId;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    @Override
    public int padId() {
        return padId >= 0 ? padId : eosId;
    }
}
