package org.instruct4j.model.cpu;

import java.util.Arrays;
import org.instruct4j.model.engine.KvSpan;

/**
 * Keys and values of positions [from, from + length) copied out of a row's blocks: per layer, [length][kvDim] each
 * (position by position, whatever the blocks' own layouts).
 */
final class CpuKvSpan implements KvSpan {
    private final int from;
    private final int length;
    private final int kvDim;
    final float[][] keys;
    final float[][] values;

    CpuKvSpan(int from, int length, int kvDim, float[][] keys, float[][] values) {
        this.from = from;
        this.length = length;
        this.kvDim = kvDim;
        this.keys = keys;
        this.values = values;
    }

    /** Copies positions [from, to) of {@code row}'s cache. */
    static CpuKvSpan copy(CpuSequence row, int from, int to, int kvDim) {
        int layers = row.keys.length, length = to - from;
        float[][] keys = new float[layers][length * kvDim];
        float[][] values = new float[layers][length * kvDim];
        for (int layer = 0; layer < layers; layer++) {
            for (int p = from; p < to; p++) {
                int column = p & (KvPages.POSITIONS - 1);
                float[] keyBlock = row.keys[layer][p >> KvPages.SHIFT];
                float[] valueBlock = row.values[layer][p >> KvPages.SHIFT];
                int at = (p - from) * kvDim;
                for (int c = 0; c < kvDim; c++) {
                    keys[layer][at + c] = keyBlock[KvPages.START + c * KvPages.POSITIONS + column];
                }
                System.arraycopy(valueBlock, KvPages.START + column * kvDim, values[layer], at, kvDim);
            }
        }
        return new CpuKvSpan(from, length, kvDim, keys, values);
    }

    /** Writes the first {@code count} positions into {@code row}'s cache at their own positions (made room for). */
    void writeTo(CpuSequence row, int count) {
        row.reserve(from + count);
        for (int layer = 0; layer < keys.length; layer++) {
            for (int p = from; p < from + count; p++) {
                int column = p & (KvPages.POSITIONS - 1);
                float[] keyBlock = row.keys[layer][p >> KvPages.SHIFT];
                float[] valueBlock = row.values[layer][p >> KvPages.SHIFT];
                int at = (p - from) * kvDim;
                for (int c = 0; c < kvDim; c++) {
                    keyBlock[KvPages.START + c * KvPages.POSITIONS + column] = keys[layer][at + c];
                }
                System.arraycopy(values[layer], at, valueBlock, KvPages.START + column * kvDim, kvDim);
            }
        }
    }

    @Override
    public int from() {
        return from;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public long bytes() {
        return 2L * keys.length * length * kvDim * Float.BYTES;
    }

    @Override
    public KvSpan slice(int offset, int count) {
        if (offset < 0 || count < 1 || offset + count > length) {
            throw new IllegalArgumentException("positions [" + offset + ", " + (offset + count) + ") of a span of " + length);
        }
        float[][] k = new float[keys.length][];
        float[][] v = new float[values.length][];
        for (int layer = 0; layer < keys.length; layer++) {
            k[layer] = Arrays.copyOfRange(keys[layer], offset * kvDim, (offset + count) * kvDim);
            v[layer] = Arrays.copyOfRange(values[layer], offset * kvDim, (offset + count) * kvDim);
        }
        return new CpuKvSpan(from + offset, count, kvDim, k, v);
    }
}
