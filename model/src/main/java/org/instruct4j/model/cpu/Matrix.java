package org.instruct4j.model.cpu;

import java.lang.foreign.MemorySegment;
import org.instruct4j.core.io.BadInputException;

/**
 * A weight matrix [rows, cols] (a linear layer's [out, in], or an embedding table) in one storage format. Each format
 * computes its products so that every output is the same whatever else is computed with it (how many inputs, which
 * rows a thread takes): a row's logits therefore do not depend on which other rows share a forward pass.
 */
abstract sealed class Matrix permits F32Matrix, RowMatrix {
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

    /** Rows [from, to) as floats into {@code out[offset, offset + (to - from) cols)}. */
    void dequantizeRows(int from, int to, float[] out, int offset) {
        for (int r = from; r < to; r++) {
            dequantizeRow(r, out, offset + (r - from) * cols);
        }
    }

    /**
     * {@code out[outOffset + t * outStride + r] = row r . x[xOffset + t * xStride, + cols)} for t in [0, n) and rows
     * [from, to), with {@code scratch} ({@link #scratchFloats} long) to work in where the format needs it.
     */
    abstract void multiply(float[] x, int xOffset, int xStride, int n, float[] out, int outOffset, int outStride,
                           int from, int to, float[] scratch);

    /** A thread's share of rows starts at a multiple of this (the rows the format's kernels compute together). */
    abstract int rowStep();

    /** Floats of scratch {@link #multiply} needs for matrices of at most {@code cols} columns, in any format. */
    static int scratchFloats(int cols) {
        return RowMatrix.scratchFloats(cols);
    }
}
