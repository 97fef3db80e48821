package org.instruct4j.model.cpu;

import static org.instruct4j.model.cpu.VectorMath.F;
import static org.instruct4j.model.cpu.VectorMath.LANES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import org.instruct4j.core.io.BadInputException;

/**
 * A weight matrix [rows, cols] (a linear layer's [out, in], or an embedding table) in one storage format. The products
 * are computed so that every
 * output is the same whatever else is computed with it: one vector accumulator per output, adding
 * {@code w[c] * x[c]} chunk by chunk in column order (weights dequantized exactly as stored), then its lanes summed
 * in a fixed order, then the columns past the last full vector one by one. A row's logits therefore do not depend
 * on which other rows share a forward pass.
 */
abstract sealed class Matrix permits F32Matrix, Bf16Matrix, Q8Matrix, Q4Matrix {
    final int rows;
    final int cols;

    Matrix(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
    }

    /** Checks that {@code data} holds a [rows, cols] matrix of this format. */
    final MemorySegment checked(MemorySegment data) {
        if (data.byteSize() < bytes(rows, cols)) {
            throw new BadInputException(format() + " matrix " + rows + "x" + cols + " needs " + bytes(rows, cols)
                    + " bytes, got " + data.byteSize());
        }
        return data;
    }

    /** The storage format's name (GGUF's where it has one). */
    abstract String format();

    /** Bytes a matrix of this format and shape takes. */
    abstract long bytes(int rows, int cols);

    /** Bytes of weights this matrix reads per full product. */
    final long bytes() {
        return bytes(rows, cols);
    }

    /** Row {@code row} as floats into {@code out[offset, offset + cols)}. */
    abstract void dequantizeRow(int row, float[] out, int offset);

    /**
     * {@code out[outOffset + r] = row r . x[xOffset, xOffset + cols)} for rows [from, to): one input vector (decoding
     * one token), read straight from the stored format four rows at a time (the last four again when the count is not
     * a multiple of four: rewriting a row gives the same value).
     */
    final void multiplyOne(float[] x, int xOffset, float[] out, int outOffset, int from, int to) {
        if (to - from < 4) {
            float[] row = new float[cols]; // only matrices of fewer than four rows, which models do not have
            for (int r = from; r < to; r++) {
                dequantizeRow(r, row, 0);
                out[outOffset + r] = rowTimesOne(row, 0, x, xOffset);
            }
            return;
        }
        for (int r = from; r < to; r += 4) {
            fourRows(x, xOffset, out, outOffset, Math.min(r, to - 4));
        }
    }

    /** {@code out[outOffset + r] = row r . x[xOffset, xOffset + cols)} for rows [row, row + 4). */
    abstract void fourRows(float[] x, int xOffset, float[] out, int outOffset, int row);

    /**
     * {@code out[outOffset + t * outStride + r] = row r . x[xOffset + t * xStride, + cols)} for t in [0, n) and rows
     * [from, to). With several inputs, rows are dequantized two at a time into {@code scratch} ([2 x cols]) and
     * multiplied with all inputs while in cache, in tiles of two rows by four inputs (eight accumulators: registers
     * enough for AVX2 too).
     */
    final void multiply(float[] x, int xOffset, int xStride, int n, float[] out, int outOffset, int outStride,
                        int from, int to, float[] scratch) {
        if (n == 1) {
            multiplyOne(x, xOffset, out, outOffset, from, to);
            return;
        }
        int r = from;
        for (; r + 2 <= to; r += 2) {
            dequantizeRow(r, scratch, 0);
            dequantizeRow(r + 1, scratch, cols);
            int t = 0;
            for (; t + 4 <= n; t += 4) {
                twoRowsTimesFour(scratch, x, xOffset + t * xStride, xStride, out, outOffset + t * outStride + r, outStride);
            }
            for (; t < n; t++) {
                out[outOffset + t * outStride + r] = rowTimesOne(scratch, 0, x, xOffset + t * xStride);
                out[outOffset + t * outStride + r + 1] = rowTimesOne(scratch, cols, x, xOffset + t * xStride);
            }
        }
        if (r < to) {
            dequantizeRow(r, scratch, 0);
            for (int t = 0; t < n; t++) {
                out[outOffset + t * outStride + r] = rowTimesOne(scratch, 0, x, xOffset + t * xStride);
            }
        }
    }

    private float rowTimesOne(float[] w, int wOffset, float[] x, int xOffset) {
        FloatVector acc = FloatVector.zero(F);
        int c = 0;
        for (int bound = F.loopBound(cols); c < bound; c += LANES) {
            acc = FloatVector.fromArray(F, w, wOffset + c).fma(FloatVector.fromArray(F, x, xOffset + c), acc);
        }
        float sum = VectorMath.sum(acc);
        for (; c < cols; c++) {
            sum += w[wOffset + c] * x[xOffset + c];
        }
        return sum;
    }

    /** Rows w[0, cols) and w[cols, 2 cols) times four inputs: out[outOffset + t * outStride + row]. */
    private void twoRowsTimesFour(float[] w, float[] x, int xOffset, int xStride, float[] out, int outOffset, int outStride) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        int x1 = xOffset + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
        int c = 0;
        for (int bound = F.loopBound(cols); c < bound; c += LANES) {
            FloatVector wa = FloatVector.fromArray(F, w, c), wb = FloatVector.fromArray(F, w, cols + c);
            FloatVector v0 = FloatVector.fromArray(F, x, xOffset + c), v1 = FloatVector.fromArray(F, x, x1 + c);
            FloatVector v2 = FloatVector.fromArray(F, x, x2 + c), v3 = FloatVector.fromArray(F, x, x3 + c);
            a0 = wa.fma(v0, a0);
            a1 = wa.fma(v1, a1);
            a2 = wa.fma(v2, a2);
            a3 = wa.fma(v3, a3);
            b0 = wb.fma(v0, b0);
            b1 = wb.fma(v1, b1);
            b2 = wb.fma(v2, b2);
            b3 = wb.fma(v3, b3);
        }
        float s0 = VectorMath.sum(a0), s1 = VectorMath.sum(a1), s2 = VectorMath.sum(a2), s3 = VectorMath.sum(a3);
        float u0 = VectorMath.sum(b0), u1 = VectorMath.sum(b1), u2 = VectorMath.sum(b2), u3 = VectorMath.sum(b3);
        for (; c < cols; c++) {
            float p = w[c], q = w[cols + c];
            s0 += p * x[xOffset + c];
            s1 += p * x[x1 + c];
            s2 += p * x[x2 + c];
            s3 += p * x[x3 + c];
            u0 += q * x[xOffset + c];
            u1 += q * x[x1 + c];
            u2 += q * x[x2 + c];
            u3 += q * x[x3 + c];
        }
        out[outOffset] = s0;
        out[outOffset + 1] = u0;
        out[outOffset + outStride] = s1;
        out[outOffset + outStride + 1] = u1;
        out[outOffset + 2 * outStride] = s2;
        out[outOffset + 2 * outStride + 1] = u2;
        out[outOffset + 3 * outStride] = s3;
        out[outOffset + 3 * outStride + 1] = u3;
    }
}
