package org.instruct4j.model.cpu;

import static org.instruct4j.model.cpu.VectorMath.F;
import static org.instruct4j.model.cpu.VectorMath.LANES;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.IntUnaryOperator;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * GGUF's Q4_0: each row in blocks of 32 weights, a block being its scale d (float16) and 16 bytes of 4-bit quants
 * (weight j in the low nibble of byte j, weight j + 16 in its high nibble), the weight (q - 8) * d. 18 bytes per
 * 32 weights.
 */
final class Q4Matrix extends Matrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 2 + BLOCK / 2;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, LANES * 8)));
    private static final int PARTS = B.length() / LANES;

    Q4Matrix(int rows, int cols, MemorySegment data) {
        super(rows, cols, data);
        if (cols % BLOCK != 0) {
            throw new IllegalArgumentException("Q4_0 needs rows of a multiple of 32 weights, got " + cols);
        }
    }

    @Override
    String format() {
        return "Q4_0";
    }

    @Override
    long bytes(int rows, int cols) {
        return (long) rows * (cols / BLOCK) * BLOCK_BYTES;
    }

    private float scale(long blockOffset) {
        return Float.float16ToFloat(data.get(SHORT, blockOffset));
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        long block = (long) row * (cols / BLOCK) * BLOCK_BYTES;
        for (int b = 0; b < cols; b += BLOCK, block += BLOCK_BYTES) {
            FloatVector d = FloatVector.broadcast(F, scale(block));
            for (int e = 0; e < BLOCK; e += LANES) {
                quants(block, e).mul(d).intoArray(out, offset + b + e);
            }
        }
    }

    @Override
    void fourRows(float[] x, int xOffset, float[] out, int outOffset, int row) {
        long rowBytes = (long) (cols / BLOCK) * BLOCK_BYTES;
        long b0 = row * rowBytes, b1 = b0 + rowBytes, b2 = b1 + rowBytes, b3 = b2 + rowBytes;
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (int b = 0; b < cols; b += BLOCK, b0 += BLOCK_BYTES, b1 += BLOCK_BYTES, b2 += BLOCK_BYTES, b3 += BLOCK_BYTES) {
            FloatVector d0 = FloatVector.broadcast(F, scale(b0)), d1 = FloatVector.broadcast(F, scale(b1));
            FloatVector d2 = FloatVector.broadcast(F, scale(b2)), d3 = FloatVector.broadcast(F, scale(b3));
            for (int e = 0; e < BLOCK; e += LANES) {
                FloatVector xc = FloatVector.fromArray(F, x, xOffset + b + e);
                acc0 = quants(b0, e).mul(d0).fma(xc, acc0);
                acc1 = quants(b1, e).mul(d1).fma(xc, acc1);
                acc2 = quants(b2, e).mul(d2).fma(xc, acc2);
                acc3 = quants(b3, e).mul(d3).fma(xc, acc3);
            }
        }
        out[outOffset + row] = VectorMath.sum(acc0);
        out[outOffset + row + 1] = VectorMath.sum(acc1);
        out[outOffset + row + 2] = VectorMath.sum(acc2);
        out[outOffset + row + 3] = VectorMath.sum(acc3);
    }

    /** Weights {@code [e, e + LANES)} of the block at {@code blockOffset}, as floats q - 8. */
    private FloatVector quants(long blockOffset, int e) {
        int inHalf = e % (BLOCK / 2);
        int first = inHalf - inHalf % B.length();
        ByteVector packed = ByteVector.fromMemorySegment(B, data, blockOffset + 2 + first, ByteOrder.LITTLE_ENDIAN);
        ByteVector nibbles = e < BLOCK / 2 ? packed.and((byte) 0x0F)
                : packed.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F);
        return (FloatVector) nibbles.sub((byte) 8).castShape(F, (inHalf - first) / LANES % PARTS);
    }

    /** Quantizes float32 rows as llama.cpp's quantize_row_q4_0_ref does: d = (the weight of largest magnitude) / -8. */
    static Q4Matrix quantize(Matrix source, Arena arena) {
        return quantize(source, arena, IntUnaryOperator.identity());
    }

    /** The same with row r taken from source row {@code rowOrder(r)}. */
    static Q4Matrix quantize(Matrix source, Arena arena, IntUnaryOperator rowOrder) {
        int rows = source.rows, cols = source.cols;
        if (cols % BLOCK != 0) {
            throw new IllegalArgumentException("Q4_0 needs rows of a multiple of 32 weights, got " + cols);
        }
        MemorySegment data = arena.allocate((long) rows * (cols / BLOCK) * BLOCK_BYTES);
        float[] row = new float[cols];
        long at = 0;
        for (int r = 0; r < rows; r++) {
            source.dequantizeRow(rowOrder.applyAsInt(r), row, 0);
            for (int b = 0; b < cols; b += BLOCK, at += BLOCK_BYTES) {
                float amax = 0, max = 0;
                for (int j = 0; j < BLOCK; j++) {
                    if (amax < Math.abs(row[b + j])) {
                        amax = Math.abs(row[b + j]);
                        max = row[b + j];
                    }
                }
                float d = max / -8;
                float id = d != 0 ? 1 / d : 0;
                data.set(SHORT, at, Float.floatToFloat16(d));
                for (int j = 0; j < BLOCK / 2; j++) {
                    int low = Math.min(15, (int) (row[b + j] * id + 8.5f));
                    int high = Math.min(15, (int) (row[b + BLOCK / 2 + j] * id + 8.5f));
                    data.set(ValueLayout.JAVA_BYTE, at + 2 + j, (byte) (low | (high << 4)));
                }
            }
        }
        return new Q4Matrix(rows, cols, data);
    }
}
