package org.instruct4j.serve.structured;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small immutable trie over byte strings (literal values, object keys): node {@link #ROOT} and its descendants,
 * each with its children by byte and, where a string ends, that string's value.
 */
final class ByteTrie {
    static final int ROOT = 0;

    private final byte[][] labels;
    private final int[][] targets;
    private final int[] values;

    private ByteTrie(byte[][] labels, int[][] targets, int[] values) {
        this.labels = labels;
        this.targets = targets;
        this.values = values;
    }

    /** The child of {@code node} along byte {@code b}, or -1. */
    int child(int node, int b) {
        byte[] bytes = labels[node];
        for (int i = 0; i < bytes.length; i++) {
            if ((bytes[i] & 0xFF) == b) {
                return targets[node][i];
            }
        }
        return -1;
    }

    boolean hasChildren(int node) {
        return labels[node].length > 0;
    }

    /** The value of the string ending at {@code node}, or -1 if none ends there. */
    int value(int node) {
        return values[node];
    }

    static final class Builder {
        private final List<byte[]> labels = new ArrayList<>(List.of(new byte[0]));
        private final List<int[]> targets = new ArrayList<>(List.of(new int[0]));
        private final List<Integer> values = new ArrayList<>(List.of(-1));

        /** Adds {@code bytes} with its {@code value} (>= 0); the first value added for a string stays. */
        Builder add(byte[] bytes, int value) {
            int node = ROOT;
            for (byte b : bytes) {
                int next = find(node, b);
                if (next < 0) {
                    next = labels.size();
                    labels.add(new byte[0]);
                    targets.add(new int[0]);
                    values.add(-1);
                    byte[] l = Arrays.copyOf(labels.get(node), labels.get(node).length + 1);
                    l[l.length - 1] = b;
                    int[] t = Arrays.copyOf(targets.get(node), l.length);
                    t[t.length - 1] = next;
                    labels.set(node, l);
                    targets.set(node, t);
                }
                node = next;
            }
            if (values.get(node) < 0) {
                values.set(node, value);
            }
            return this;
        }

        private int find(int node, byte b) {
            byte[] l = labels.get(node);
            for (int i = 0; i < l.length; i++) {
                if (l[i] == b) {
                    return targets.get(node)[i];
                }
            }
            return -1;
        }

        ByteTrie build() {
            return new ByteTrie(labels.toArray(byte[][]::new), targets.toArray(int[][]::new),
                    values.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
