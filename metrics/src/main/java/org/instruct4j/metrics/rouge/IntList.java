package org.instruct4j.metrics.rouge;

import java.util.Arrays;

/** A growable int array, for hot paths and for posting lists where boxed lists would triple the memory. */
final class IntList {
    static final IntList EMPTY = new IntList();

    int[] values = new int[4];
    int size;

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
