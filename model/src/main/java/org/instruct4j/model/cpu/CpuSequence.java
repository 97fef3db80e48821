package org.instruct4j.model.cpu;

import java.util.Arrays;
import org.instruct4j.model.engine.Capacity;
import org.instruct4j.model.engine.Sequence;

/**
 * A row of the CPU engine: its KV cache as blocks per layer (keys[layer][block] holds positions
 * [block * 64, block * 64 + 64) x kvDim), its length and its logits.
 */
final class CpuSequence implements Sequence {
    private final CpuEngine engine;
    private final KvPages pages;
    private final int capacity;
    private final float[] logits;
    /** Per layer, the blocks of keys and of values of a float32 cache (empty in a bfloat16 one). */
    final float[][][] keys;
    final float[][][] values;
    /** The same of a bfloat16 cache (empty in a float32 one). */
    final short[][][] keys16;
    final short[][][] values16;
    private int blocks;
    int length;
    private boolean closed;

    CpuSequence(CpuEngine engine, KvPages pages, int layers, int capacity, int vocab) {
        this.engine = engine;
        this.pages = pages;
        this.capacity = capacity;
        this.logits = new float[vocab];
        this.keys = new float[layers][0][];
        this.values = new float[layers][0][];
        this.keys16 = new short[layers][0][];
        this.values16 = new short[layers][0][];
    }

    /** Whether the cache is bfloat16 ({@link #keys16}, {@link #values16}) rather than float32. */
    boolean bf16() {
        return pages.bf16;
    }

    /** Makes room for positions up to {@code positions}. */
    void reserve(int positions) {
        while (blocks * KvPages.POSITIONS < positions) {
            for (int layer = 0; layer < keys.length; layer++) {
                if (pages.bf16) {
                    keys16[layer] = Arrays.copyOf(keys16[layer], blocks + 1);
                    values16[layer] = Arrays.copyOf(values16[layer], blocks + 1);
                    keys16[layer][blocks] = pages.takeShorts();
                    values16[layer][blocks] = pages.takeShorts();
                } else {
                    keys[layer] = Arrays.copyOf(keys[layer], blocks + 1);
                    values[layer] = Arrays.copyOf(values[layer], blocks + 1);
                    keys[layer][blocks] = pages.takeFloats();
                    values[layer][blocks] = pages.takeFloats();
                }
            }
            blocks++;
        }
    }

    /** Checks that {@code tokens} more fit, for a pass of {@code owner}. */
    void checkRoom(CpuEngine owner, int tokens) {
        if (owner != engine) {
            throw new IllegalArgumentException("the row belongs to another engine");
        }
        Capacity.check(closed, length, tokens, capacity);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public float[] logits() {
        return logits;
    }

    /** Gives the blocks back, unless another thread is inside the engine (then it fails, and the row stays open). */
    @Override
    public void close() {
        if (!closed) {
            engine.exclusively("close", this::giveBlocks);
            closed = true;
        }
    }

    private void giveBlocks() {
        for (int layer = 0; layer < keys.length; layer++) {
            for (int b = 0; b < blocks; b++) {
                pages.give(pages.bf16 ? keys16[layer][b] : keys[layer][b]);
                pages.give(pages.bf16 ? values16[layer][b] : values[layer][b]);
            }
            keys[layer] = null;
            values[layer] = null;
            keys16[layer] = null;
            values16[layer] = null;
        }
    }
}
