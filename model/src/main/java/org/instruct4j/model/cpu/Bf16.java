package org.instruct4j.model.cpu;

import static org.instruct4j.model.cpu.VectorMath.F;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * bfloat16: the upper half of a float32. Widening to float is exact (a shift); narrowing rounds to nearest even, as
 * torch does. Weights ({@link Bf16Matrix}) and, with a bf16 KV cache, keys and values are stored so.
 */
final class Bf16 {
    /** Shorts per {@link VectorMath#F} vector: as many lanes as it has floats. */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    private Bf16() {}

    static float toFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /** The float32 whose upper half is the nearest bfloat16 to {@code value} (round to nearest even), as torch rounds. */
    static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /** {@code LANES} bfloat16 values from {@code a[at]} (the lanes of {@code lanes} only; the others 0), as floats. */
    static FloatVector load(short[] a, int at, VectorMask<Short> lanes) {
        return widen(ShortVector.fromArray(S, a, at, lanes));
    }

    /** {@code LANES} little-endian bfloat16 values from {@code data} at {@code byteOffset}, as floats. */
    static FloatVector load(MemorySegment data, long byteOffset) {
        return widen(ShortVector.fromMemorySegment(S, data, byteOffset, ByteOrder.LITTLE_ENDIAN));
    }

    private static FloatVector widen(ShortVector bits) {
        return ((IntVector) bits.convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16)
                .reinterpretAsFloats();
    }

    /** Elements [from, from + count) of {@code a} read, one per cache line (see {@link VectorMath#touch}). */
    static float touch(short[] a, int from, int count) {
        int sum = a[from + count - 1];
        for (int i = from, end = from + count; i < end; i += 32) {
            sum += a[i];
        }
        return sum;
    }
}
