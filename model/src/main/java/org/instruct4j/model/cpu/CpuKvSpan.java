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
        CpuKvSpan span = new CpuKvSpan(from, length, kvDim, new float[layers][length * kvDim], new float[layers][length * kvDim]);
        span.move(row, length, false);
        return span;
    }

    /** Writes the first {@code count} positions into {@code row}'s cache at their own positions. */
    void writeTo(CpuSequence row, int count) {
        row.reserve(from + count);
        move(row, count, true);
    }

    /**
     * Moves the first {@code count} positions between the span and the row's blocks, into the row or out of it (a
     * bfloat16 block's values widen to float exactly, and narrow back to the same bits).
     */
    private void move(CpuSequence row, int count, boolean intoRow) {
        for (int layer = 0; layer < keys.length; layer++) {
            for (int p = from; p < from + count; p++) {
                int column = p & (KvPages.POSITIONS - 1);
                int block = p >> KvPages.SHIFT;
                int at = (p - from) * kvDim, valueAt = KvPages.START + column * kvDim;
                if (!row.bf16()) {
                    float[] keyFloats = row.keys[layer][block], valueBlock = row.values[layer][block];
                    for (int c = 0; c < kvDim; c++) {
                        int keyAt = KvPages.START + c * KvPages.POSITIONS + column;
                        if (intoRow) {
                            keyFloats[keyAt] = keys[layer][at + c];
                        } else {
                            keys[layer][at + c] = keyFloats[keyAt];
                        }
                    }
                    if (intoRow) {
                        System.arraycopy(values[layer], at, valueBlock, valueAt, kvDim);
                    } else {
                        System.arraycopy(valueBlock, valueAt, values[layer], at, kvDim);
                    }
                } else {
                    short[] keyBits = row.keys16[layer][block], valueBits = row.values16[layer][block];
                    for (int c = 0; c < kvDim; c++) {
                        int keyAt = KvPages.START + c * KvPages.POSITIONS + column;
                        if (intoRow) {
                            keyBits[keyAt] = Bf16.fromFloat(keys[layer][at + c]);
                            valueBits[valueAt + c] = Bf16.fromFloat(values[layer][at + c]);
                        } else {
                            keys[layer][at + c] = Bf16.toFloat(keyBits[keyAt]);
                            values[layer][at + c] = Bf16.toFloat(valueBits[valueAt + c]);
                        }
                    }
                }
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
