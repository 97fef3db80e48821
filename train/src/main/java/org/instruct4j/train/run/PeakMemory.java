package org.instruct4j.train.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident memory since the last {@link #reset}, as Linux keeps it (VmHWM in /proc/self/status;
 * writing 5 to /proc/self/clear_refs resets it). Tensors live outside the Java heap, so this, not the heap, is what a
 * training step needs. Elsewhere (no /proc) both do nothing and the peak is unknown (-1).
 */
public final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private PeakMemory() {}

    /** Starts a new measurement: the peak becomes the current resident size. */
    public static void reset() {
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException | UnsupportedOperationException e) {
            // not Linux, or not allowed: the peak then covers the whole process lifetime
        }
    }

    /** The peak resident size in bytes since the last reset (or since the process started), or -1 when unknown. */
    public static long peakBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no /proc: unknown
        }
        return -1;
    }
}
