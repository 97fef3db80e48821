package org.instruct4j.model.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.instruct4j.core.io.BadInputException;
import org.instruct4j.model.checkpoint.MappedCheckpoint;
import org.instruct4j.model.checkpoint.StoredTensor;
import org.instruct4j.model.engine.Quantization;
import org.instruct4j.model.tensor.Precision;

/**
 * A checkpoint's tensors as the CPU engine uses them. float32 and bfloat16 matrices are read in place from the mapped
 * file; they are converted into {@code arena} only when asked to: rounded to bfloat16, or widened from float16 (which
 * the kernels do not read). bfloat16 weights computed in float32 are exactly the float32 weights, so fp32 precision
 * keeps them as stored. Quantized matrices live on the heap ({@link Q8Matrix}): quantized on load, or unpacked once
 * from a GGUF file's blocks. Vectors (norms, biases) are copied to float arrays.
 */
final class CpuWeights {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MappedCheckpoint checkpoint;
    private final Arena arena;
    private final Precision precision;
    private final Quantization quantization;

    CpuWeights(MappedCheckpoint checkpoint, Arena arena, Precision precision, Quantization quantization) {
        this.checkpoint = checkpoint;
        this.arena = arena;
        this.precision = precision;
        this.quantization = quantization;
    }

    Matrix matrix(String name) {
        return matrix(checkpoint.require(name));
    }

    /** The matrix, or null when the checkpoint has none of that name. */
    Matrix optionalMatrix(String name) {
        StoredTensor stored = checkpoint.optional(name);
        return stored == null ? null : matrix(stored);
    }

    float[] vector(String name) {
        return vector(checkpoint.require(name));
    }

    float[] optionalVector(String name) {
        StoredTensor stored = checkpoint.optional(name);
        return stored == null ? null : vector(stored);
    }

    private Matrix matrix(StoredTensor stored) {
        if (stored.shape().length != 2) {
            throw new BadInputException(checkpoint.source() + ": tensor '" + stored.name() + "' has "
                    + stored.shape().length + " dimensions; a weight matrix has 2");
        }
        Matrix asStored = view(stored);
        boolean blocks = asStored.cols % Q8Matrix.BLOCK == 0 && !stored.format().quantized();
        if (blocks && quantization == Quantization.Q8_0) {
            return Q8Matrix.quantize(asStored);
        }
        if (blocks && quantization == Quantization.Q4_0) {
            return Q4Matrix.quantize(asStored);
        }
        if (precision == Precision.BF16 && asStored instanceof F32Matrix) {
            return toBf16(asStored);
        }
        return asStored;
    }

    /** The matrix in its stored format (float16 widened to float32, the one copy made without being asked). */
    private Matrix view(StoredTensor stored) {
        int rows = stored.rows(), cols = stored.cols();
        MemorySegment data = stored.data();
        return switch (stored.format()) {
            case F32 -> new F32Matrix(rows, cols, data);
            case BF16 -> new Bf16Matrix(rows, cols, data);
            case Q8_0 -> Q8Matrix.fromBlocks(rows, cols, data);
            case Q4_0 -> Q4Matrix.fromBlocks(rows, cols, data);
            case F16 -> new F32Matrix(rows, cols, widenHalf(data, (long) rows * cols));
            default -> throw new BadInputException(checkpoint.source() + ": tensor '" + stored.name()
                    + "' is " + stored.format() + "; the CPU engine reads float32, bfloat16, float16, Q8_0 and Q4_0 weights");
        };
    }

    private MemorySegment widenHalf(MemorySegment half, long count) {
        MemorySegment out = arena.allocate(count * Float.BYTES);
        for (long i = 0; i < count; i++) {
            out.set(FLOAT, i * Float.BYTES, Float.float16ToFloat(half.get(SHORT, i * 2)));
        }
        return out;
    }

    private Matrix toBf16(Matrix source) {
        MemorySegment out = arena.allocate((long) source.rows * source.cols * 2);
        float[] row = new float[source.cols];
        long at = 0;
        for (int r = 0; r < source.rows; r++) {
            source.dequantizeRow(r, row, 0);
            for (float value : row) {
                out.set(SHORT, at, Bf16.fromFloat(value));
                at += 2;
            }
        }
        return new Bf16Matrix(source.rows, source.cols, out);
    }

    private float[] vector(StoredTensor stored) {
        return stored.toFloats();
    }
}
