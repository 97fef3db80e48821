package org.instruct4j.model.cpu;

import static org.instruct4j.model.cpu.VectorMath.F;
import static org.instruct4j.model.cpu.VectorMath.LANES;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import org.instruct4j.core.io.BadInputException;

/**
 * A weight matrix [rows, cols] (a linear layer's [out, in], or an embedding table) in one storage format, read in
 * place from its memory segment (usually a memory-mapped checkpoint). The products are computed so that every
 * output is the same whatever else is computed with it: one vector accumulator per output, adding
 * {@code w[c] * x[c]} chunk by chunk in column order (weights dequantized exactly as stored), then its lanes summed
 * in a fixed order, then the columns past the last full vector one by one. A row's logits therefore do not depend
 * on which other rows share a forward pass.
 */
abstract sealed class Matrix permits F32Matrix, Bf16Matrix, Q8Matrix, Q4Matrix {
    final int rows;
    final int cols;
    final MemorySegment data;

    Matrix(int rows, int cols, MemorySegment data) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        if (data.byteSize() < bytes(rows, cols)) {
            throw new BadInputException(format() + " matrix " + rows + "x" + cols + " needs " + bytes(rows, cols)
                    + " bytes, got " + data.byteSize());
        }
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
                out[outOffset + r] = rowTimesOne(row, x, xOffset);
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
     * [from, to). With several inputs each row is dequantized once into {@code scratch} ([cols]) and multiplied with
     * all of them while it is in cache, four at a time.
     */
    final void multiply(float[] x, int xOffset, int xStride, int n, float[] out, int outOffset, int outStride,
                        int from, int to, float[] scratch) {
        if (n == 1) {
            multiplyOne(x, xOffset, out, outOffset, from, to);
            return;
        }
        for (int r = from; r < to; r++) {
            dequantizeRow(r, scratch, 0);
            int t = 0;
            for (; t + 4 <= n; t += 4) {
                rowTimesFour(scratch, x, xOffset + t * xStride, xStride, out, outOffset + t * outStride + r, outStride);
            }
            for (; t < n; t++) {
                out[outOffset + t * outStride + r] = rowTimesOne(scratch, x, xOffset + t * xStride);
            }
        }
    }

    private float rowTimesOne(float[] w, float[] x, int xOffset) {
        FloatVector acc = FloatVector.zero(F);
        int c = 0;
        for (int bound = F.loopBound(cols); c < bound; c += LANES) {
            acc = FloatVector.fromArray(F, w, c).fma(FloatVector.fromArray(F, x, xOffset + c), acc);
        }
        float sum = VectorMath.sum(acc);
        for (; c < cols; c++) {
            sum += w[c] * x[xOffset + c];
        }
        return sum;
    }

    private void rowTimesFour(float[] w, float[] x, int xOffset, int xStride, float[] out, int outOffset, int outStride) {
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int x1 = xOffset + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
        int c = 0;
        for (int bound = F.loopBound(cols); c < bound; c += LANES) {
            FloatVector wc = FloatVector.fromArray(F, w, c);
            acc0 = wc.fma(FloatVector.fromArray(F, x, xOffset + c), acc0);
            acc1 = wc.fma(FloatVector.fromArray(F, x, x1 + c), acc1);
            acc2 = wc.fma(FloatVector.fromArray(F, x, x2 + c), acc2);
            acc3 = wc.fma(FloatVector.fromArray(F, x, x3 + c), acc3);
        }
        float s0 = VectorMath.sum(acc0), s1 = VectorMath.sum(acc1), s2 = VectorMath.sum(acc2), s3 = VectorMath.sum(acc3);
        for (; c < cols; c++) {
            s0 += w[c] * x[xOffset + c];
            s1 += w[c] * x[x1 + c];
            s2 += w[c] * x[x2 + c];
            s3 += w[c] * x[x3 + c];
        }
        out[outOffset] = s0;
        out[outOffset + outStride] = s1;
        out[outOffset + 2 * outStride] = s2;
        out[outOffset + 3 * outStride] = s3;
    }
}
