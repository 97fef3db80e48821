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

    F32Matrix(int rows, int cols, MemorySegment data) {
        super(rows, cols);
        this.data = checked(data);
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

    /**
     * The four rows one after another, each read front to back with its own accumulator: one sequential stream
     * through memory, which the hardware prefetcher follows, where four rows read side by side are four short streams
     * (a row of a small model is a few dozen cache lines).
     */
    @Override
    void fourRows(float[] x, int xOffset, float[] out, int outOffset, int row) {
        long rowBytes = (long) cols * Float.BYTES;
        long base = row * rowBytes;
        for (int i = 0; i < 4; i++, base += rowBytes) {
            out[outOffset + row + i] = rowTimes(base, x, xOffset);
        }
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
