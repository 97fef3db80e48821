package org.instruct4j.model.cpu;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class F32MatrixTest {
    /**
     * A float32 matrix whose packed copy does not fit in the heap (the tests' JVM has 2 GB) fails with an error that
     * says what to do, not a bare OutOfMemoryError. The weights are a sparse file's mapping: never read, so free.
     */
    @Test
    void aMatrixBeyondTheHeapSaysHowToRunIt(@TempDir Path dir) throws Exception {
        int rows = 32_768, cols = 20_480;
        long bytes = (long) rows * cols * Float.BYTES;
        Path file = dir.resolve("weights.bin");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(bytes);
        }
        try (Arena arena = Arena.ofConfined(); FileChannel channel = FileChannel.open(file)) {
            MemorySegment weights = channel.map(FileChannel.MapMode.READ_ONLY, 0, bytes, arena);
            F32Matrix matrix = new F32Matrix(rows, cols, weights);
            assertThatThrownBy(() -> matrix.multiply(new float[cols], 0, cols, 1, new float[rows], 0, rows, 0, rows, null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("32768 x 20480")
                    .hasMessageContaining("INSTRUCT4J_JAVA_OPTS=-Xmx")
                    .hasMessageContaining("--quantize q8_0");
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
