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
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * GGUF's Q8_0: each row in blocks of 32 weights, a block being its scale d (float16) and 32 int8 quants q, the
 * weight q * d. A quarter of float32's bytes (34 per 32 weights), which is what a memory-bound decode step reads.
 */
final class Q8Matrix extends Matrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 2 + BLOCK;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Bytes loaded at once: as many as a float vector has lanes, but at least 8 (the narrowest byte vector). */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, LANES * 8)));
    /** Float vectors widened from one byte vector. */
    private static final int PARTS = B.length() / LANES;

    Q8Matrix(int rows, int cols, MemorySegment data) {
        super(rows, cols, data);
        if (cols % BLOCK != 0) {
            throw new IllegalArgumentException("Q8_0 needs rows of a multiple of 32 weights, got " + cols);
        }
    }

    @Override
    String format() {
        return "Q8_0";
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

    /** Quants {@code [e, e + LANES)} of the block at {@code blockOffset}, as floats. */
    private FloatVector quants(long blockOffset, int e) {
        int first = e - e % B.length();
        ByteVector q = ByteVector.fromMemorySegment(B, data, blockOffset + 2 + first, ByteOrder.LITTLE_ENDIAN);
        return (FloatVector) q.castShape(F, (e - first) / LANES % PARTS);
    }

    /** Quantizes float32 rows as llama.cpp's quantize_row_q8_0_ref does: d = max|x| / 127, q = round(x / d). */
    static Q8Matrix quantize(Matrix source, Arena arena) {
        return quantize(source, arena, IntUnaryOperator.identity());
    }

    /** The same with row r taken from source row {@code rowOrder(r)}. */
    static Q8Matrix quantize(Matrix source, Arena arena, IntUnaryOperator rowOrder) {
        int rows = source.rows, cols = source.cols;
        if (cols % BLOCK != 0) {
            throw new IllegalArgumentException("Q8_0 needs rows of a multiple of 32 weights, got " + cols);
        }
        MemorySegment data = arena.allocate((long) rows * (cols / BLOCK) * BLOCK_BYTES);
        float[] row = new float[cols];
        long at = 0;
        for (int r = 0; r < rows; r++) {
            source.dequantizeRow(rowOrder.applyAsInt(r), row, 0);
            for (int b = 0; b < cols; b += BLOCK, at += BLOCK_BYTES) {
                float amax = 0;
                for (int j = 0; j < BLOCK; j++) {
                    amax = Math.max(amax, Math.abs(row[b + j]));
                }
                float d = amax / 127;
                float id = d != 0 ? 1 / d : 0;
                data.set(SHORT, at, Float.floatToFloat16(d));
                for (int j = 0; j < BLOCK; j++) {
                    data.set(ValueLayout.JAVA_BYTE, at + 2 + j, (byte) roundHalfAway(row[b + j] * id));
                }
            }
        }
        return new Q8Matrix(rows, cols, data);
    }

    /** C's roundf: halves away from zero. */
    static int roundHalfAway(float value) {
        return (int) (value >= 0 ? Math.floor(value + 0.5) : -Math.floor(-value + 0.5));
    }
}
