package org.instruct4j.model.cpu;

import java.util.ArrayDeque;

/**
 * The blocks every row's KV cache is made of: for the keys or the values of one layer, {@value #POSITIONS} positions
 * of every key/value dimension. Keys are laid out [kvDim][positions], so the scores of many positions are one vector
 * (a multiply-add per dimension, no lane sums); values [positions][kvDim], so the weighted sum of a head is vectors
 * across its dimensions (a multiply-add per position, no lane sums). A row takes blocks as it
 * grows and gives them back when it closes, so rows of any lengths share memory without padding, and closed rows'
 * blocks are reused without garbage. A block is a float[] (float32), or with a bfloat16 cache a short[] ({@link Bf16}):
 * half the bytes to hold and to read every step, for values rounded to bfloat16 as they are stored.
 */
final class KvPages {
    /** Positions per block. */
    static final int POSITIONS = 64;
    static final int SHIFT = 6;
    /** Where a block's floats begin in its array: on a cache line ({@link Alignment}), and so do its rows. */
    static final int START = Alignment.FLOAT_START;

    /** Whether blocks are short[] of bfloat16 rather than float[]. */
    final boolean bf16;
    private final int elements;
    private final ArrayDeque<Object> free = new ArrayDeque<>();
    private long inUse;

    KvPages(int kvDim, boolean bf16) {
        this.bf16 = bf16;
        this.elements = START + POSITIONS * kvDim;
    }

    /** A float32 block (a cache that is not {@link #bf16}). */
    float[] takeFloats() {
        return (float[]) take();
    }

    /** A bfloat16 block (a {@link #bf16} cache). */
    short[] takeShorts() {
        return (short[]) take();
    }

    private Object take() {
        inUse++;
        Object page = free.poll();
        return page != null ? page : bf16 ? new short[elements] : new float[elements];
    }

    void give(Object page) {
        inUse--;
        free.push(page);
    }

    /** Blocks held by open rows. */
    long inUse() {
        return inUse;
    }
}
