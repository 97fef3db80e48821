package org.instruct4j.model.cpu;

import static org.instruct4j.model.cpu.VectorMath.F;
import static org.instruct4j.model.cpu.VectorMath.LANES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;

/**
 * Little-endian bfloat16 weights ({@link Bf16}): a weight widens to float exactly (a shift) and
 * the products are computed in float32.
 */
final class Bf16Matrix extends RowMatrix {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Weights read in place from {@code data} (usually a slice of a memory-mapped checkpoint). */
    final MemorySegment data;

    Bf16Matrix(int rows, int cols, MemorySegment data) {
        super(rows, cols);
        this.data = checked(data);
    }

    @Override
    String format() {
        return "BF16";
    }

    @Override
    long bytes(int rows, int cols) {
        return (long) rows * cols * 2;
    }

    @Override
    void dequantizeRow(int row, float[] out, int offset) {
        long base = (long) row * cols * 2;
        int c = 0;
        for (int bound = F.loopBound(cols); c < bound; c += LANES) {
            load(base + c * 2L).intoArray(out, offset + c);
        }
        for (; c < cols; c++) {
            out[offset + c] = Bf16.toFloat(data.get(SHORT, base + c * 2L));
        }
    }

    @Override
    void fourRows(float[] x, int xOffset, float[] out, int outOffset, int row) {
        long rowBytes = (long) cols * 2;
        long b0 = row * rowBytes, b1 = b0 + rowBytes, b2 = b1 + rowBytes, b3 = b2 + rowBytes;
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0, acc2 = acc0, acc3 = acc0;
        int c = 0;
        for (int bound = F.loopBound(cols); c < bound; c += LANES) {
            FloatVector xc = FloatVector.fromArray(F, x, xOffset + c);
            long at = c * 2L;
            acc0 = load(b0 + at).fma(xc, acc0);
            acc1 = load(b1 + at).fma(xc, acc1);
            acc2 = load(b2 + at).fma(xc, acc2);
            acc3 = load(b3 + at).fma(xc, acc3);
        }
        float s0 = VectorMath.sum(acc0), s1 = VectorMath.sum(acc1), s2 = VectorMath.sum(acc2), s3 = VectorMath.sum(acc3);
        for (; c < cols; c++) {
            float xc = x[xOffset + c];
            long at = c * 2L;
            s0 += Bf16.toFloat(data.get(SHORT, b0 + at)) * xc;
            s1 += Bf16.toFloat(data.get(SHORT, b1 + at)) * xc;
            s2 += Bf16.toFloat(data.get(SHORT, b2 + at)) * xc;
            s3 += Bf16.toFloat(data.get(SHORT, b3 + at)) * xc;
        }
        out[outOffset + row] = s0;
        out[outOffset + row + 1] = s1;
        out[outOffset + row + 2] = s2;
        out[outOffset + row + 3] = s3;
    }

    /** {@code LANES} weights from {@code byteOffset}, widened to float. */
    private FloatVector load(long byteOffset) {
        return Bf16.load(data, byteOffset);
    }
}
