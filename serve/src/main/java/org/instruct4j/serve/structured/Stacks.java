package org.instruct4j.serve.structured;

import java.util.Arrays;

/** The stacks a byte may lead to (usually one; several where alternatives of a union share a prefix), without repeats. */
final class Stacks {
    private Stack[] items = new Stack[2];
    private int size;

    void add(Stack stack) {
        for (int i = 0; i < size; i++) {
            if (items[i].equals(stack)) {
                return;
            }
        }
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = stack;
    }

    int size() {
        return size;
    }

    Stack[] toArray() {
        return Arrays.copyOf(items, size);
    }
}
