package org.instruct4j.model.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Under the JVM options the launcher and the build give ({@code -XX:ObjectAlignmentInBytes=64}), element
 * {@link Alignment#FLOAT_START} of every float array starts a cache line, before and after the collector moves it. The
 * address is the one native code sees: libc's {@code memchr} handed the array itself (a critical downcall, which
 * passes a heap array's own memory) returns the address of its first byte.
 */
class AlignmentTest {
    private static final MethodHandle MEMCHR = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("memchr").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG),
            Linker.Option.critical(true));

    @Test
    void everyFloatArrayStartsALineAtTheSameIndex() throws Throwable {
        assertThat(Alignment.KNOWN).as("the JVM runs with -XX:ObjectAlignmentInBytes=64").isTrue();
        List<float[]> arrays = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            arrays.add(new float[1 + i * 37 % 5000]);
            new byte[1 + i % 13].clone(); // objects of other sizes in between
        }
        for (int round = 0; round < 2; round++) {
            for (float[] array : arrays) {
                assertThat((address(array) + (long) Alignment.FLOAT_START * Float.BYTES) % Alignment.LINE_BYTES)
                        .as("a float[%d]'s element %d", array.length, Alignment.FLOAT_START).isZero();
            }
            System.gc(); // the arrays move (young to old), and must stay aligned
        }
    }

    @Test
    void rowsOfWholeLinesStayAligned() {
        assertThat(Alignment.rowsAligned(288)).isTrue(); // llama2.c's 15M
        assertThat(Alignment.rowsAligned(64)).isTrue();
        assertThat(Alignment.rowsAligned(260)).isFalse();
        assertThat(Alignment.roundUp(1)).isEqualTo(16);
        assertThat(Alignment.roundUp(32)).isEqualTo(32);
    }

    /** The address of {@code array}'s first element: memchr finds its first byte (set to 1) at offset 0. */
    private static long address(float[] array) throws Throwable {
        float saved = array[0];
        array[0] = Float.intBitsToFloat(1); // little-endian: the first byte is 1
        MemorySegment found = (MemorySegment) MEMCHR.invokeExact(MemorySegment.ofArray(array), 1, 1L);
        array[0] = saved;
        assertThat(found.address()).isNotZero();
        return found.address();
    }
}
