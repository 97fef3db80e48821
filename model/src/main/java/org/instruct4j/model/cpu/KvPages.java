package org.instruct4j.model.cpu;

import java.util.ArrayDeque;

/**
 * The blocks every row's KV cache is made of: for the keys or the values of one layer, {@value #POSITIONS} positions
 * of every key/value dimension. Keys are laid out [kvDim][positions], so the scores of many positions are one vector
 * (a multiply-add per dimension, no lane sums); values [positions][kvDim], so the weighted sum of a head is vectors
 * across its dimensions (a multiply-add per position, no lane sums). A row takes blocks as it
 * grows and gives them back when it closes, so rows of any lengths share memory without padding, and closed rows'
 * blocks are reused without garbage.
 */
final class KvPages {
    /** Positions per block. */
    static final int POSITIONS = 64;
    static final int SHIFT = 6;
    /** Where a block's floats begin in its array: on a cache line ({@link Alignment}), and so do its rows. */
    static final int START = Alignment.FLOAT_START;

    private final int floats;
    private final ArrayDeque<float[]> free = new ArrayDeque<>();
    private long inUse;

    KvPages(int kvDim) {
        this.floats = START + POSITIONS * kvDim;
    }

    float[] take() {
        inUse++;
        float[] page = free.poll();
        return page != null ? page : new float[floats];
    }

    void give(float[] page) {
        inUse--;
        free.push(page);
    }

    /** Blocks held by open rows. */
    long inUse() {
        return inUse;
    }
}
