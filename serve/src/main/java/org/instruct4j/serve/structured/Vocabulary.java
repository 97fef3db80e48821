package org.instruct4j.serve.structured;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.instruct4j.model.tokenizer.Tokenizer;

/**
 * A tokenizer's tokens as byte strings in a trie, built once per tokenizer: masking walks the trie from a grammar
 * position, dropping each subtree at the first byte the grammar rejects, so tokens that share a prefix share the
 * work (as lm-format-enforcer and llama.cpp's grammar sampler do). Tokens without bytes (special ones) are never
 * allowed, but for the end-of-sequence token where the output may end.
 */
final class Vocabulary {
    private final int size;
    private final int eosId;
    private final byte[][] bytes;
    private final Node root;

    /** A trie node: children by byte (sorted), and the tokens whose bytes end here. */
    private record Node(byte[] labels, Node[] children, int[] tokens) {}

    Vocabulary(Tokenizer tokenizer) {
        this.size = tokenizer.vocabSize();
        this.eosId = tokenizer.eosId();
        this.bytes = new byte[size][];
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < size; id++) {
            bytes[id] = tokenizer.tokenBytes(id);
            if (bytes[id].length > 0) {
                ids.add(id);
            }
        }
        Integer[] sorted = ids.toArray(Integer[]::new);
        Arrays.sort(sorted, Comparator.comparing((Integer id) -> bytes[id], Arrays::compareUnsigned));
        this.root = build(sorted, 0, sorted.length, 0);
    }

    /** The trie of tokens {@code sorted[from, to)}, which share their first {@code depth} bytes. */
    private Node build(Integer[] sorted, int from, int to, int depth) {
        List<Integer> ending = new ArrayList<>();
        List<Byte> labels = new ArrayList<>();
        List<Node> children = new ArrayList<>();
        int i = from;
        while (i < to && bytes[sorted[i]].length == depth) {
            ending.add(sorted[i++]);
        }
        while (i < to) {
            byte b = bytes[sorted[i]][depth];
            int end = i;
            while (end < to && bytes[sorted[end]][depth] == b) {
                end++;
            }
            labels.add(b);
            children.add(build(sorted, i, end, depth + 1));
            i = end;
        }
        byte[] labelBytes = new byte[labels.size()];
        for (int k = 0; k < labelBytes.length; k++) {
            labelBytes[k] = labels.get(k);
        }
        return new Node(labelBytes, children.toArray(Node[]::new), ending.stream().mapToInt(Integer::intValue).toArray());
    }

    int size() {
        return size;
    }

    byte[] bytes(int token) {
        return bytes[token];
    }

    /** The tokens that keep the output valid from {@code position}, as a bit set over the vocabulary. */
    long[] allowed(Position position) {
        long[] mask = new long[(size + 63) >>> 6];
        for (int i = 0; i < root.labels().length; i++) {
            walk(root.children()[i], position.feed(root.labels()[i] & 0xFF), mask);
        }
        if (eosId >= 0 && position.mayEnd()) {
            mask[eosId >>> 6] |= 1L << eosId;
        }
        return mask;
    }

    private static void walk(Node node, Position position, long[] mask) {
        if (position == null) {
            return;
        }
        for (int token : node.tokens()) {
            mask[token >>> 6] |= 1L << token;
        }
        for (int i = 0; i < node.labels().length; i++) {
            walk(node.children()[i], position.feed(node.labels()[i] & 0xFF), mask);
        }
    }
}
