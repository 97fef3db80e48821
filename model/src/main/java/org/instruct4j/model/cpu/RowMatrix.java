package org.instruct4j.model.cpu;

import static org.instruct4j.model.cpu.VectorMath.F;
import static org.instruct4j.model.cpu.VectorMath.LANES;

import jdk.incubator.vector.FloatVector;

/**
 * A matrix whose kernels read its rows as stored, one after another (bf16 and the quantized formats: their blocks run
 * along a row). Every output is one vector accumulator of {@code w[c] * x[c]} in column order (weights dequantized
 * exactly as stored), then its lanes summed in a fixed order, then the columns past the last full vector one by one:
 * the same bits for one input ({@link #multiplyOne}) and for many ({@link #multiply}'s tiles).
 */
abstract sealed class RowMatrix extends Matrix permits Bf16Matrix, Q8Matrix, Q4Matrix {
    RowMatrix(int rows, int cols) {
        super(rows, cols);
    }

    @Override
    final int rowStep() {
        return 4;
    }

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
     * Rows per tile of the batched product: four with 512-bit vectors (4 x 4 accumulators, 4 weight vectors and an
     * input: 21 of AVX-512's 32 registers), two with narrower ones (8 + 2 + 1 of AVX2's 16).
     */
    static final int TILE_ROWS = VectorMath.LANES >= 16 ? 4 : 2;
    /** Inputs per tile of the batched product. */
    static final int TILE_INPUTS = 4;
    /** Accumulators of a tile. */
    private static final int TILE_SUMS = TILE_ROWS * TILE_INPUTS;

    /** Floats of weights dequantized at a time by the batched product (64 KiB: in L2, read in long sequential runs). */
    private static final int CHUNK_FLOATS = 16 * 1024;

    /**
     * Floats of scratch {@link #multiply} needs for matrices of at most {@code cols} columns: the chunk of rows from
     * {@link Alignment#FLOAT_START} (so that its rows start cache lines), then the tile's accumulators and sums.
     */
    static int scratchFloats(int cols) {
        return chunkEnd(cols) + TILE_SUMS * LANES + TILE_SUMS;
    }

    /** Where the chunk of rows in {@link #multiply}'s scratch ends, rounded up to a cache line. */
    private static int chunkEnd(int cols) {
        return Alignment.FLOAT_START + Alignment.roundUp(Math.max(CHUNK_FLOATS, TILE_ROWS * cols));
    }

    /** Rows of this matrix dequantized at a time by the batched product: a multiple of {@link #TILE_ROWS}. */
    private int chunkRows() {
        return Math.max(TILE_ROWS, CHUNK_FLOATS / cols / TILE_ROWS * TILE_ROWS);
    }

    /**
     * {@code out[outOffset + t * outStride + r] = row r . x[xOffset + t * xStride, + cols)} for t in [0, n) and rows
     * [from, to). With several inputs, rows are dequantized into {@code scratch} ({@link #scratchFloats} long) a
     * chunk of about 64 KiB at a time (one long sequential read, which the hardware prefetcher keeps ahead of, where
     * a row or two at a time waits for memory again and again), then multiplied with all inputs while in cache, in
     * register tiles of {@link #TILE_ROWS} rows by {@link #TILE_INPUTS} inputs: each weight vector loaded once is
     * applied to four inputs, each input vector to every row of the tile. Each output is one accumulator of
     * {@code w[c] * x[c]} in column order summed by {@link VectorMath#sum}, then the columns past the last full
     * vector: the bits of {@link #multiplyOne}'s. The tile's loads split no cache line when the rows and the inputs
     * start lines ({@link Alignment}): the rows do in {@code scratch}, the inputs where the caller put them so.
     */
    @Override
    final void multiply(float[] x, int xOffset, int xStride, int n, float[] out, int outOffset, int outStride,
                        int from, int to, float[] scratch) {
        if (n == 1) {
            multiplyOne(x, xOffset, out, outOffset, from, to);
            return;
        }
        if (to - from < TILE_ROWS) {
            for (int r = from; r < to; r++) {
                dequantizeRow(r, scratch, 0);
                for (int t = 0; t < n; t++) {
                    out[outOffset + t * outStride + r] = rowTimesOne(scratch, 0, x, xOffset + t * xStride);
                }
            }
            return;
        }
        int chunk = chunkRows();
        int rowsAt = Alignment.FLOAT_START, accumulators = chunkEnd(cols), sums = accumulators + TILE_SUMS * LANES;
        for (int start = from; start < to; start += chunk) {
            int end = Math.min(to, start + chunk);
            int first = Math.min(start, end - TILE_ROWS); // a short last chunk takes rows of the one before again
            dequantizeRows(first, end, scratch, rowsAt);
            for (int next = first; next < end; next += TILE_ROWS) {
                int r = Math.min(next, end - TILE_ROWS); // the last tile again when the count is not a multiple
                tile(scratch, rowsAt + (r - first) * cols, x, xOffset, xStride, n, out, outOffset + r, outStride,
                        accumulators, sums);
            }
        }
    }

    /** Rows w[w0 + i cols, + cols) for i < TILE_ROWS times the n inputs, into out[outOffset + t outStride + i]. */
    private void tile(float[] w, int w0, float[] x, int xOffset, int xStride, int n, float[] out, int outOffset,
                      int outStride, int accumulators, int sums) {
        boolean tail = F.loopBound(cols) < cols;
        int t = 0;
        for (; t + TILE_INPUTS <= n; t += TILE_INPUTS) {
            int xAt = xOffset + t * xStride, outAt = outOffset + t * outStride;
            if (TILE_ROWS == 4) {
                fourByFour(w, w0, x, xAt, xStride, w, accumulators);
            } else {
                twoByFour(w, w0, x, xAt, xStride, w, accumulators);
            }
            sumAccumulators(w, accumulators, sums, TILE_SUMS);
            for (int i = 0; i < TILE_ROWS; i++) {
                for (int u = 0; u < TILE_INPUTS; u++) {
                    float sum = w[sums + i * TILE_INPUTS + u];
                    out[outAt + u * outStride + i] = tail ? withTail(sum, w, w0 + i * cols, x, xAt + u * xStride) : sum;
                }
            }
        }
        for (; t < n; t++) {
            for (int i = 0; i < TILE_ROWS; i++) {
                out[outOffset + t * outStride + i] = rowTimesOne(w, w0 + i * cols, x, xOffset + t * xStride);
            }
        }
    }

    /** {@code sum} plus the products of the columns past the last full vector, one by one in order. */
    private float withTail(float sum, float[] w, int wOffset, float[] x, int xOffset) {
        for (int c = VectorMath.F.loopBound(cols); c < cols; c++) {
            sum += w[wOffset + c] * x[xOffset + c];
        }
        return sum;
    }

    private float rowTimesOne(float[] w, int wOffset, float[] x, int xOffset) {
        FloatVector acc = FloatVector.zero(F);
        for (int c = 0, bound = F.loopBound(cols); c < bound; c += LANES) {
            acc = FloatVector.fromArray(F, w, wOffset + c).fma(FloatVector.fromArray(F, x, xOffset + c), acc);
        }
        return withTail(VectorMath.sum(acc), w, wOffset, x, xOffset);
    }

    /**
     * Rows w[i cols, (i + 1) cols) for i < 4 times inputs x[xOffset + u xStride, + cols) for u < 4, over the columns
     * that fill whole vectors: the 16 accumulators (row-major) into {@code acc[at, at + 16 LANES)}. They are summed
     * by a separate method: one compilation of both is more than C2 inlines, and vectors passed to a method that is
     * not inlined are boxed.
     */
    private void fourByFour(float[] w, int w0, float[] x, int xOffset, int xStride, float[] acc, int at) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
        FloatVector a20 = z, a21 = z, a22 = z, a23 = z, a30 = z, a31 = z, a32 = z, a33 = z;
        int x1 = xOffset + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
        int w1 = w0 + cols, w2 = w1 + cols, w3 = w2 + cols;
        for (int c = 0, bound = F.loopBound(cols); c < bound; c += LANES) {
            FloatVector r0 = FloatVector.fromArray(F, w, w0 + c), r1 = FloatVector.fromArray(F, w, w1 + c);
            FloatVector r2 = FloatVector.fromArray(F, w, w2 + c), r3 = FloatVector.fromArray(F, w, w3 + c);
            FloatVector v = FloatVector.fromArray(F, x, xOffset + c);
            a00 = r0.fma(v, a00);
            a10 = r1.fma(v, a10);
            a20 = r2.fma(v, a20);
            a30 = r3.fma(v, a30);
            v = FloatVector.fromArray(F, x, x1 + c);
            a01 = r0.fma(v, a01);
            a11 = r1.fma(v, a11);
            a21 = r2.fma(v, a21);
            a31 = r3.fma(v, a31);
            v = FloatVector.fromArray(F, x, x2 + c);
            a02 = r0.fma(v, a02);
            a12 = r1.fma(v, a12);
            a22 = r2.fma(v, a22);
            a32 = r3.fma(v, a32);
            v = FloatVector.fromArray(F, x, x3 + c);
            a03 = r0.fma(v, a03);
            a13 = r1.fma(v, a13);
            a23 = r2.fma(v, a23);
            a33 = r3.fma(v, a33);
        }
        a00.intoArray(acc, at);
        a01.intoArray(acc, at + LANES);
        a02.intoArray(acc, at + 2 * LANES);
        a03.intoArray(acc, at + 3 * LANES);
        a10.intoArray(acc, at + 4 * LANES);
        a11.intoArray(acc, at + 4 * LANES + LANES);
        a12.intoArray(acc, at + 4 * LANES + 2 * LANES);
        a13.intoArray(acc, at + 4 * LANES + 3 * LANES);
        a20.intoArray(acc, at + 8 * LANES);
        a21.intoArray(acc, at + 8 * LANES + LANES);
        a22.intoArray(acc, at + 8 * LANES + 2 * LANES);
        a23.intoArray(acc, at + 8 * LANES + 3 * LANES);
        a30.intoArray(acc, at + 12 * LANES);
        a31.intoArray(acc, at + 12 * LANES + LANES);
        a32.intoArray(acc, at + 12 * LANES + 2 * LANES);
        a33.intoArray(acc, at + 12 * LANES + 3 * LANES);
    }

    /** As {@link #fourByFour} for two rows: eight accumulators into {@code acc[at, at + 8 LANES)}. */
    private void twoByFour(float[] w, int w0, float[] x, int xOffset, int xStride, float[] acc, int at) {
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
        int x1 = xOffset + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
        int w1 = w0 + cols;
        for (int c = 0, bound = F.loopBound(cols); c < bound; c += LANES) {
            FloatVector r0 = FloatVector.fromArray(F, w, w0 + c), r1 = FloatVector.fromArray(F, w, w1 + c);
            FloatVector v = FloatVector.fromArray(F, x, xOffset + c);
            a00 = r0.fma(v, a00);
            a10 = r1.fma(v, a10);
            v = FloatVector.fromArray(F, x, x1 + c);
            a01 = r0.fma(v, a01);
            a11 = r1.fma(v, a11);
            v = FloatVector.fromArray(F, x, x2 + c);
            a02 = r0.fma(v, a02);
            a12 = r1.fma(v, a12);
            v = FloatVector.fromArray(F, x, x3 + c);
            a03 = r0.fma(v, a03);
            a13 = r1.fma(v, a13);
        }
        a00.intoArray(acc, at);
        a01.intoArray(acc, at + LANES);
        a02.intoArray(acc, at + 2 * LANES);
        a03.intoArray(acc, at + 3 * LANES);
        a10.intoArray(acc, at + 4 * LANES);
        a11.intoArray(acc, at + 4 * LANES + LANES);
        a12.intoArray(acc, at + 4 * LANES + 2 * LANES);
        a13.intoArray(acc, at + 4 * LANES + 3 * LANES);
    }

    /**
     * {@code acc[to + i] =} the lane sum of the accumulator {@code acc[at + i LANES, + LANES)} for i in [0, count): the
     * very additions of {@link VectorMath#sum}, apart from the loop that filled them (C2 does not inline both into one
     * method, and vectors passed to a method that is not inlined are boxed).
     */
    private static void sumAccumulators(float[] acc, int at, int to, int count) {
        for (int i = 0; i < count; i++) {
            acc[to + i] = VectorMath.sum(FloatVector.fromArray(F, acc, at + i * LANES));
        }
    }
}
