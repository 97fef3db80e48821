package org.instruct4j.model.checkpoint;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * GGUF's block layouts, widened back to float32 one weight at a time: Q8_0 (float16 scale d, 32 int8 q: q * d) and
 * Q4_0 (float16 scale d, 16 bytes of nibbles: weight j low, weight j + 16 high: (q - 8) * d). For libtorch, which
 * computes in float; the CPU engine reads the blocks in place.
 */
final class BlockQuantization {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private BlockQuantization() {}

    /** The float32 weights of a Q8_0 or Q4_0 tensor, in a new automatically freed segment. */
    static MemorySegment dequantize(StoredTensor stored) {
        long elements = stored.elements();
        MemorySegment out = Arena.ofAuto().allocate(elements * Float.BYTES);
        MemorySegment in = stored.data();
        boolean q8 = stored.format() == TensorFormat.Q8_0;
        long blockBytes = q8 ? 34 : 18;
        for (long block = 0; block < elements / 32; block++) {
            long at = block * blockBytes;
            float d = Float.float16ToFloat(in.get(SHORT, at));
            for (int j = 0; j < 32; j++) {
                int q;
                if (q8) {
                    q = in.get(ValueLayout.JAVA_BYTE, at + 2 + j);
                } else {
                    int packed = in.get(ValueLayout.JAVA_BYTE, at + 2 + (j % 16)) & 0xFF;
                    q = (j < 16 ? packed & 0x0F : packed >>> 4) - 8;
                }
                out.set(FLOAT, (block * 32 + j) * Float.BYTES, q * d);
            }
        }
        return out;
    }
}
