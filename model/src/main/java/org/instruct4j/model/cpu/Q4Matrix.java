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
 * GGUF's Q4_0: each row in blocks of 32 weights, a block being a scale d (float16 in the file) and 16 bytes of 4-bit
 * quants (weight j in the low nibble of byte j, weight j + 16 in its high nibble), the weight (q - 8) * d. Held on
 * the heap split in two like {@link Q8Matrix}: packed quants [rows x cols / 2] and float scales.
 */
final class Q4Matrix extends RowMatrix {
    static final int BLOCK = 32;
    static final int BLOCK_BYTES = 2 + BLOCK / 2;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, LANES * 8)));
    private static final int PARTS = B.length() / LANES;

    private final byte[] packed;
    private final float[] scales;

    private Q4Matrix(int rows, int cols, byte[] packed, float[] scales) {
        super(rows, cols);
        if (cols % BLOCK != 0) {
            throw new IllegalArgumentException("Q4_0 needs rows of a multiple of 32 weights, got " + cols);
        }
        this.packed = packed;
        this.scales = scales;
    }

    @Override
    String format() {
        return "Q4_0";
    }

    @Override
    long bytes(int rows, int cols) {
        return (long) rows * cols / 2 + (long) rows * (cols / BLOCK) * Float.BYTES;
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        int p = row * cols / 2, s = row * (cols / BLOCK);
        for (int b = 0; b < cols; b += BLOCK, s++) {
            FloatVector d = FloatVector.broadcast(F, scales[s]);
            for (int e = 0; e < BLOCK; e += LANES) {
                quants(p + b / 2, e).mul(d).intoArray(out, offset + b + e);
            }
        }
    }

    @Override
    void fourRows(float[] x, int xOffset, float[] out, int outOffset, int row) {
        int blocks = cols / BLOCK, half = cols / 2;
        int p0 = row * half, p1 = p0 + half, p2 = p1 + half, p3 = p2 + half;
        int s0 = row * blocks, s1 = s0 + blocks, s2 = s1 + blocks, s3 = s2 + blocks;
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (int k = 0, b = 0; k < blocks; k++, b += BLOCK) {
            FloatVector d0 = FloatVector.broadcast(F, scales[s0 + k]), d1 = FloatVector.broadcast(F, scales[s1 + k]);
            FloatVector d2 = FloatVector.broadcast(F, scales[s2 + k]), d3 = FloatVector.broadcast(F, scales[s3 + k]);
            int packedBlock = b / 2;
            for (int e = 0; e < BLOCK; e += LANES) {
                FloatVector xc = FloatVector.fromArray(F, x, xOffset + b + e);
                acc0 = quants(p0 + packedBlock, e).mul(d0).fma(xc, acc0);
                acc1 = quants(p1 + packedBlock, e).mul(d1).fma(xc, acc1);
                acc2 = quants(p2 + packedBlock, e).mul(d2).fma(xc, acc2);
                acc3 = quants(p3 + packedBlock, e).mul(d3).fma(xc, acc3);
            }
        }
        out[outOffset + row] = VectorMath.sum(acc0);
        out[outOffset + row + 1] = VectorMath.sum(acc1);
        out[outOffset + row + 2] = VectorMath.sum(acc2);
        out[outOffset + row + 3] = VectorMath.sum(acc3);
    }

    /** Weights {@code [e, e + LANES)} of the block whose packed bytes start at {@code block}, as floats q - 8. */
    private FloatVector quants(int block, int e) {
        int inHalf = e % (BLOCK / 2);
        int first = inHalf - inHalf % B.length();
        ByteVector bytes = ByteVector.fromArray(B, packed, block + first);
        ByteVector nibbles = e < BLOCK / 2 ? bytes.and((byte) 0x0F) : bytes.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F);
        ByteVector centered = nibbles.sub((byte) 8);
        // one part per byte vector unless vectors are narrower than 64 bits: a constant part lets C2 intrinsify the cast
        return (FloatVector) (PARTS == 1 ? centered.castShape(F, 0) : centered.castShape(F, (inHalf - first) / LANES % PARTS));
    }

    /** A Q4_0 matrix from GGUF's blocks (scale, then 16 packed bytes). */
    static Q4Matrix fromBlocks(int rows, int cols, MemorySegment blocks) {
        int count = rows * (cols / BLOCK);
        if (blocks.byteSize() < (long) count * BLOCK_BYTES) {
            throw new IllegalArgumentException("Q4_0 matrix " + rows + "x" + cols + " needs " + (long) count * BLOCK_BYTES
                    + " bytes, got " + blocks.byteSize());
        }
        byte[] packed = new byte[rows * cols / 2];
        float[] scales = new float[count];
        for (int k = 0; k < count; k++) {
            long at = (long) k * BLOCK_BYTES;
            scales[k] = Float.float16ToFloat(blocks.get(SHORT, at));
            MemorySegment.copy(blocks, ValueLayout.JAVA_BYTE, at + 2, packed, k * (BLOCK / 2), BLOCK / 2);
        }
        return new Q4Matrix(rows, cols, packed, scales);
    }

    /** GGUF's blocks of this matrix, in {@code arena}. */
    MemorySegment toBlocks(Arena arena) {
        int count = scales.length;
        MemorySegment blocks = arena.allocate((long) count * BLOCK_BYTES);
        for (int k = 0; k < count; k++) {
            long at = (long) k * BLOCK_BYTES;
            blocks.set(SHORT, at, Float.floatToFloat16(scales[k]));
            MemorySegment.copy(packed, k * (BLOCK / 2), blocks, ValueLayout.JAVA_BYTE, at + 2, BLOCK / 2);
        }
        return blocks;
    }

    static Q4Matrix quantize(Matrix source) {
        return quantize(source, IntUnaryOperator.identity());
    }

    /**
     * Quantizes rows as llama.cpp's quantize_row_q4_0_ref does (d = the weight of largest magnitude / -8, kept as
     * float16), row r from source row {@code rowOrder(r)}.
     */
    static Q4Matrix quantize(Matrix source, IntUnaryOperator rowOrder) {
        int rows = source.rows, cols = source.cols;
        if (cols % BLOCK != 0) {
            throw new IllegalArgumentException("Q4_0 needs rows of a multiple of 32 weights, got " + cols);
        }
        byte[] packed = new byte[rows * cols / 2];
        float[] scales = new float[rows * (cols / BLOCK)];
        float[] row = new float[cols];
        for (int r = 0, k = 0; r < rows; r++) {
            source.dequantizeRow(rowOrder.applyAsInt(r), row, 0);
            for (int b = 0; b < cols; b += BLOCK, k++) {
                float amax = 0, max = 0;
                for (int j = 0; j < BLOCK; j++) {
                    if (amax < Math.abs(row[b + j])) {
                        amax = Math.abs(row[b + j]);
                        max = row[b + j];
                    }
                }
                float d = max / -8;
                float id = d != 0 ? 1 / d : 0;
                scales[k] = Float.float16ToFloat(Float.floatToFloat16(d));
                for (int j = 0; j < BLOCK / 2; j++) {
                    int low = Math.min(15, (int) (row[b + j] * id + 8.5f));
                    int high = Math.min(15, (int) (row[b + BLOCK / 2 + j] * id + 8.5f));
                    packed[k * (BLOCK / 2) + j] = (byte) (low | (high << 4));
                }
            }
        }
        return new Q4Matrix(rows, cols, packed, scales);
    }
}
