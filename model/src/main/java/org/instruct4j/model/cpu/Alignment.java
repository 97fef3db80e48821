package org.instruct4j.model.cpu;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Where a float array's elements start cache lines. A 512-bit load at an address that is not a multiple of 64 bytes
 * touches two cache lines, and the batched product's register tile, which loads two vectors per four multiply-adds
 * from cache, runs 1.3-2x slower when its operands are split so (measured: {@code BENCHMARKS.md}, model). A Java
 * array's elements start 16 bytes past an address the JVM aligns to {@code -XX:ObjectAlignmentInBytes} (8 by
 * default, so where a line begins inside an array is a matter of luck, and changes when the collector moves it);
 * with 64, which the {@code instruct4j} launcher, the tests and {@code bench/run} give the JVM, every float array has
 * a line starting at the same index, {@link #FLOAT_START}.
 */
final class Alignment {
    /** Bytes of a cache line, and of a 512-bit vector. */
    static final int LINE_BYTES = 64;
    /** Floats in a line. */
    static final int LINE_FLOATS = LINE_BYTES / Float.BYTES;
    /** Whether every float array's element {@link #FLOAT_START} starts a cache line. */
    static final boolean KNOWN;
    /** The first index of a float array that starts a cache line, when {@link #KNOWN}; 0 otherwise. */
    static final int FLOAT_START;

    static {
        int base = floatArrayBaseOffset();
        KNOWN = base >= 0 && base % Float.BYTES == 0 && objectAlignment() % LINE_BYTES == 0;
        FLOAT_START = KNOWN ? (LINE_BYTES - base % LINE_BYTES) % LINE_BYTES / Float.BYTES : 0;
    }

    private Alignment() {}

    /** Whether rows of {@code cols} floats laid end to end from {@link #FLOAT_START} each start a cache line. */
    static boolean rowsAligned(int cols) {
        return KNOWN && cols % LINE_FLOATS == 0;
    }

    /** {@code floats} rounded up to whole cache lines. */
    static int roundUp(int floats) {
        return (floats + LINE_FLOATS - 1) / LINE_FLOATS * LINE_FLOATS;
    }

    /** The JVM's {@code ObjectAlignmentInBytes}, or 8 (HotSpot's default) where it cannot be read. */
    private static int objectAlignment() {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return Integer.parseInt(hotSpot.getVMOption("ObjectAlignmentInBytes").getValue());
        } catch (RuntimeException | LinkageError e) {
            return 8;
        }
    }

    /** Bytes from a float array's address to its first element ({@code sun.misc.Unsafe}'s constant), or -1. */
    private static int floatArrayBaseOffset() {
        try {
            return Class.forName("sun.misc.Unsafe").getField("ARRAY_FLOAT_BASE_OFFSET").getInt(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return -1;
        }
    }
}
