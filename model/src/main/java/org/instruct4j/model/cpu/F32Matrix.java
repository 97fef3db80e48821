package org.instruct4j.model.cpu;

import static org.instruct4j.model.cpu.VectorMath.F;
import static org.instruct4j.model.cpu.VectorMath.LANES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;

/** Little-endian float32 weights, as llama2.c and most safetensors checkpoints store them. */
final class F32Matrix extends Matrix {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Weights read in place from {@code data} (usually a slice of a memory-mapped checkpoint). */
    final MemorySegment data;

    /** Whether this matrix is large enough to be multiplied row after row (see {@link #fourRows}). */
    private final boolean streamed;

    F32Matrix(int rows, int cols, MemorySegment data) {
        super(rows, cols);
        this.data = checked(data);
        this.streamed = bytes() >= STREAMED_BYTES && (long) cols * Float.BYTES < SHORT_ROW_BYTES;
    }

    @Override
    String format() {
        return "F32";
    }

    @Override
    long bytes(int rows, int cols) {
        return (long) rows * cols * Float.BYTES;
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        long base = (long) row * cols * Float.BYTES;
        int c = 0;
        for (int bound = F.loopBound(cols); c < bound; c += LANES) {
            load(base + (long) c * Float.BYTES).intoArray(out, offset + c);
        }
        for (; c < cols; c++) {
            out[offset + c] = data.get(FLOAT, base + (long) c * Float.BYTES);
        }
    }

    /** One bulk copy: the rows are consecutive in memory. */
    @Override
    void dequantizeRows(int from, int to, float[] out, int offset) {
        MemorySegment.copy(data, FLOAT, (long) from * cols * Float.BYTES, out, offset, (to - from) * cols);
    }

    /**
     * Matrices of at least this many bytes, with rows shorter than {@link #SHORT_ROW_BYTES}, are multiplied row after
     * row: they are read from memory (or a shared cache) at every token, as a core's L2 holds a few hundred KiB of
     * weights at most, and four short rows side by side are four streams too short for the prefetcher.
     */
    static final long STREAMED_BYTES = 256 * 1024;
    /** Rows of at least this many bytes (32 cache lines) are read side by side whatever the matrix's size. */
    static final long SHORT_ROW_BYTES = 2048;

    /**
     * A large matrix of short rows ({@link #STREAMED_BYTES}) reads the four rows one after another, each front to back
     * with its own accumulator: one sequential stream through memory, which the hardware prefetcher follows, where
     * four rows read side by side are four short streams (a row of llama2.c's 15M is 18 cache lines). A small one, in
     * cache, or one of long rows reads them side by side: four independent chains of multiply-adds. The sums, and so
     * the bits, are the same.
     */
    @Override
    void fourRows(float[] x, int xOffset, float[] out, int outOffset, int row) {
        if (!streamed) {
            fourRowsSideBySide(x, xOffset, out, outOffset, row);
            return;
        }
        long rowBytes = (long) cols * Float.BYTES;
        long base = row * rowBytes;
        for (int i = 0; i < 4; i++, base += rowBytes) {
            out[outOffset + row + i] = rowTimes(base, x, xOffset);
        }
    }

    private void fourRowsSideBySide(float[] x, int xOffset, float[] out, int outOffset, int row) {
        long rowBytes = (long) cols * Float.BYTES;
        long b0 = row * rowBytes, b1 = b0 + rowBytes, b2 = b1 + rowBytes, b3 = b2 + rowBytes;
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int c = 0;
        for (int bound = F.loopBound(cols); c < bound; c += LANES) {
            FloatVector xc = FloatVector.fromArray(F, x, xOffset + c);
            long at = (long) c * Float.BYTES;
            acc0 = load(b0 + at).fma(xc, acc0);
            acc1 = load(b1 + at).fma(xc, acc1);
            acc2 = load(b2 + at).fma(xc, acc2);
            acc3 = load(b3 + at).fma(xc, acc3);
        }
        float s0 = VectorMath.sum(acc0), s1 = VectorMath.sum(acc1), s2 = VectorMath.sum(acc2), s3 = VectorMath.sum(acc3);
        for (; c < cols; c++) {
            float xc = x[xOffset + c];
            long at = (long) c * Float.BYTES;
            s0 += data.get(FLOAT, b0 + at) * xc;
            s1 += data.get(FLOAT, b1 + at) * xc;
            s2 += data.get(FLOAT, b2 + at) * xc;
            s3 += data.get(FLOAT, b3 + at) * xc;
        }
        out[outOffset + row] = s0;
        out[outOffset + row + 1] = s1;
        out[outOffset + row + 2] = s2;
        out[outOffset + row + 3] = s3;
    }

    private float rowTimes(long base, float[] x, int xOffset) {
        FloatVector acc = FloatVector.zero(F);
        int c = 0;
        for (int bound = F.loopBound(cols); c < bound; c += LANES) {
            acc = load(base + (long) c * Float.BYTES).fma(FloatVector.fromArray(F, x, xOffset + c), acc);
        }
        float sum = VectorMath.sum(acc);
        for (; c < cols; c++) {
            sum += data.get(FLOAT, base + (long) c * Float.BYTES) * x[xOffset + c];
        }
        return sum;
    }

    private FloatVector load(long byteOffset) {
        return FloatVector.fromMemorySegment(F, data, byteOffset, ByteOrder.LITTLE_ENDIAN);
    }
}
