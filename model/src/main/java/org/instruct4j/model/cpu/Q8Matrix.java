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
 * GGUF's Q8_0: each row in blocks of 32 weights, a block being a scale d (float16 in the file) and 32 int8 quants q,
 * the weight q * d. Held on the Java heap split in two, quants [rows x cols] and scales [rows x cols / 32] as
 * floats: the kernels read heap arrays almost twice as fast as interleaved native blocks (measured: 11 against 6
 * billion multiply-adds per second and core), and a quantized matrix is a new copy anyway (quantized on load, or
 * unpacked once from a GGUF file). About 1.1 bytes per weight, a quarter of float32's: what a memory-bound decode
 * step reads.
 */
final class Q8Matrix extends RowMatrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 2 + BLOCK;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Bytes loaded at once: as many as a float vector has lanes, but at least 8 (the narrowest byte vector). */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, LANES * 8)));
    /** Float vectors widened from one byte vector. */
    private static final int PARTS = B.length() / LANES;

    private final byte[] quants;
    private final float[] scales;

    private Q8Matrix(int rows, int cols, byte[] quants, float[] scales) {
        super(rows, cols);
        if (cols % BLOCK != 0) {
            throw new IllegalArgumentException("Q8_0 needs rows of a multiple of 32 weights, got " + cols);
        }
        this.quants = quants;
        this.scales = scales;
    }

    @Override
    String format() {
        return "Q8_0";
    }

    @Override
    long bytes(int rows, int cols) {
        return (long) rows * cols + (long) rows * (cols / BLOCK) * Float.BYTES;
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        int q = row * cols, s = row * (cols / BLOCK);
        for (int b = 0; b < cols; b += BLOCK, s++) {
            FloatVector d = FloatVector.broadcast(F, scales[s]);
            for (int e = 0; e < BLOCK; e += LANES) {
                quants(q + b, e).mul(d).intoArray(out, offset + b + e);
            }
        }
    }

    @Override
    void fourRows(float[] x, int xOffset, float[] out, int outOffset, int row) {
        int blocks = cols / BLOCK;
        int q0 = row * cols, q1 = q0 + cols, q2 = q1 + cols, q3 = q2 + cols;
        int s0 = row * blocks, s1 = s0 + blocks, s2 = s1 + blocks, s3 = s2 + blocks;
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (int k = 0, b = 0; k < blocks; k++, b += BLOCK) {
            FloatVector d0 = FloatVector.broadcast(F, scales[s0 + k]), d1 = FloatVector.broadcast(F, scales[s1 + k]);
            FloatVector d2 = FloatVector.broadcast(F, scales[s2 + k]), d3 = FloatVector.broadcast(F, scales[s3 + k]);
            for (int e = 0; e < BLOCK; e += LANES) {
                FloatVector xc = FloatVector.fromArray(F, x, xOffset + b + e);
                acc0 = quants(q0 + b, e).mul(d0).fma(xc, acc0);
                acc1 = quants(q1 + b, e).mul(d1).fma(xc, acc1);
                acc2 = quants(q2 + b, e).mul(d2).fma(xc, acc2);
                acc3 = quants(q3 + b, e).mul(d3).fma(xc, acc3);
            }
        }
        out[outOffset + row] = VectorMath.sum(acc0);
        out[outOffset + row + 1] = VectorMath.sum(acc1);
        out[outOffset + row + 2] = VectorMath.sum(acc2);
        out[outOffset + row + 3] = VectorMath.sum(acc3);
    }

    /** Quants {@code [e, e + LANES)} of the block starting at {@code block}, as floats. */
    private FloatVector quants(int block, int e) {
        int first = e - e % B.length();
        ByteVector q = ByteVector.fromArray(B, quants, block + first);
        // one part per byte vector unless vectors are narrower than 64 bits: a constant part lets C2 intrinsify the cast
        return (FloatVector) (PARTS == 1 ? q.castShape(F, 0) : q.castShape(F, (e - first) / LANES % PARTS));
    }

    /** A Q8_0 matrix from GGUF's blocks (scale, then 32 quants), unpacked into the split layout. */
    static Q8Matrix fromBlocks(int rows, int cols, MemorySegment blocks) {
        int count = rows * (cols / BLOCK);
        if (blocks.byteSize() < (long) count * BLOCK_BYTES) {
            throw new IllegalArgumentException("Q8_0 matrix " + rows + "x" + cols + " needs " + (long) count * BLOCK_BYTES
                    + " bytes, got " + blocks.byteSize());
        }
        byte[] quants = new byte[rows * cols];
        float[] scales = new float[count];
        for (int k = 0; k < count; k++) {
            long at = (long) k * BLOCK_BYTES;
            scales[k] = Float.float16ToFloat(blocks.get(SHORT, at));
            MemorySegment.copy(blocks, ValueLayout.JAVA_BYTE, at + 2, quants, k * BLOCK, BLOCK);
        }
        return new Q8Matrix(rows, cols, quants, scales);
    }

    /** GGUF's blocks of this matrix, in {@code arena}. */
    MemorySegment toBlocks(Arena arena) {
        int count = scales.length;
        MemorySegment blocks = arena.allocate((long) count * BLOCK_BYTES);
        for (int k = 0; k < count; k++) {
            long at = (long) k * BLOCK_BYTES;
            blocks.set(SHORT, at, Float.floatToFloat16(scales[k]));
            MemorySegment.copy(quants, k * BLOCK, blocks, ValueLayout.JAVA_BYTE, at + 2, BLOCK);
        }
        return blocks;
    }

    static Q8Matrix quantize(Matrix source) {
        return quantize(source, IntUnaryOperator.identity());
    }

    /**
     * Quantizes rows as llama.cpp's quantize_row_q8_0_ref does (d = max|x| / 127, q = round(x / d), d kept as
     * float16), row r from source row {@code rowOrder(r)}.
     */
    static Q8Matrix quantize(Matrix source, IntUnaryOperator rowOrder) {
        int rows = source.rows, cols = source.cols;
        if (cols % BLOCK != 0) {
            throw new IllegalArgumentException("Q8_0 needs rows of a multiple of 32 weights, got " + cols);
        }
        byte[] quants = new byte[rows * cols];
        float[] scales = new float[rows * (cols / BLOCK)];
        float[] row = new float[cols];
        for (int r = 0, k = 0; r < rows; r++) {
            source.dequantizeRow(rowOrder.applyAsInt(r), row, 0);
            for (int b = 0; b < cols; b += BLOCK, k++) {
                float amax = 0;
                for (int j = 0; j < BLOCK; j++) {
                    amax = Math.max(amax, Math.abs(row[b + j]));
                }
                float d = amax / 127;
                float id = d != 0 ? 1 / d : 0;
                scales[k] = Float.float16ToFloat(Float.floatToFloat16(d));
                for (int j = 0; j < BLOCK; j++) {
                    quants[r * cols + b + j] = (byte) roundHalfAway(row[b + j] * id);
                }
            }
        }
        return new Q8Matrix(rows, cols, quants, scales);
    }

    /** C's roundf: halves away from zero. */
    static int roundHalfAway(float value) {
        return (int) (value >= 0 ? Math.floor(value + 0.5) : -Math.floor(-value + 0.5));
    }
}
