package org.instruct4j.model.checkpoint;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One tensor of a checkpoint as stored: its format, its shape (outermost dimension first: [out, in] for a linear
 * layer, as torch and safetensors order it) and its little-endian bytes, usually a slice of a memory-mapped file.
 */
public record StoredTensor(String name, TensorFormat format, long[] shape, MemorySegment data) {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The elements as floats (a copy), for small tensors: norms, biases, a reward head. */
    public float[] toFloats() {
        float[] out = new float[Math.toIntExact(elements())];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (format) {
                case F32 -> data.get(FLOAT, (long) i * Float.BYTES);
                case BF16 -> Float.intBitsToFloat(data.get(SHORT, (long) i * 2) << 16);
                case F16 -> Float.float16ToFloat(data.get(SHORT, (long) i * 2));
                default -> throw new IllegalArgumentException("tensor '" + name + "' is " + format
                        + "; expected float32, bfloat16 or float16");
            };
        }
        return out;
    }

    public long elements() {
        long count = 1;
        for (long size : shape) {
            count *= size;
        }
        return count;
    }

    /** Rows of a 2-D tensor, elements of a 1-D one. */
    public int rows() {
        return Math.toIntExact(shape[0]);
    }

    /** Columns of a 2-D tensor (1 for a vector). */
    public int cols() {
        return shape.length < 2 ? 1 : Math.toIntExact(elements() / shape[0]);
    }
}
