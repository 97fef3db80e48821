package org.instruct4j.model.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * How fast the CPU engine's batch-1 kernel streams fp32 weights from memory, next to llama2.c's matmul compiled by gcc
 * ({@code bench/c/matvec.c}) and called through the FFM API in the same JVM, on the same weights: a checkpoint's bytes
 * read as consecutive [rows, cols] matrices (a 110M layer's wq is 768 x 768), every one multiplied once per pass, as a
 * decode step does. Prints GB/s per pass (median of the passes after two warm-up passes) for 1 and 2 threads and the
 * engine's ratio to the C loop. In this package (on the class path) to reach the engine's package-private kernel.
 *
 * <p>Usage: {@code bench/run org.instruct4j.model.cpu.MatVecBench CHECKPOINT [--cols 768] [--rows 768] [--passes 12]
 * [--c-kernel /tmp/matvec.so]}
 */
public final class MatVecBench {
    private MatVecBench() {}

    public static void main(String[] args) throws Throwable {
        Path checkpoint = Path.of(args[0]);
        int cols = 768, rows = 768, passes = 12;
        Path kernel = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--cols" -> cols = Integer.parseInt(args[++i]);
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--c-kernel" -> kernel = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        try (Arena arena = Arena.ofShared(); FileChannel channel = FileChannel.open(checkpoint)) {
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            long matrixBytes = (long) rows * cols * Float.BYTES;
            int count = (int) ((file.byteSize() - 1024) / matrixBytes);
            Matrix[] matrices = new Matrix[count];
            for (int m = 0; m < count; m++) {
                matrices[m] = new F32Matrix(rows, cols, file.asSlice(1024 + m * matrixBytes, matrixBytes));
            }
            double gigabytes = count * matrixBytes / 1e9;
            System.out.printf(Locale.ROOT, "%s: %d matrices of %d x %d fp32, %.2f GB per pass%n", checkpoint, count, rows,
                    cols, gigabytes);
            for (int threads = 1; threads <= 2; threads++) {
                double java = engineRate(matrices, threads, passes, gigabytes);
                String line = String.format(Locale.ROOT, "%d thread%s: engine %.1f GB/s", threads, threads == 1 ? " " : "s", java);
                if (kernel != null) {
                    double c = cRate(kernel, file, count, rows, cols, threads, passes, gigabytes);
                    line += String.format(Locale.ROOT, ", gcc's loop in this JVM %.1f GB/s, engine / C %.2fx", c, java / c);
                }
                System.out.println(line);
            }
        }
    }

    private static double engineRate(Matrix[] matrices, int threads, int passes, double gigabytes) {
        int cols = matrices[0].cols;
        float[] x = input(cols), out = new float[matrices[0].rows];
        double[] rates = new double[passes];
        try (ThreadTeam team = new ThreadTeam(threads)) {
            Matmul matmul = new Matmul(team, cols);
            for (int pass = -2; pass < passes; pass++) {
                long start = System.nanoTime();
                for (Matrix matrix : matrices) {
                    matmul.run(x, 1, matrix, out);
                }
                if (pass >= 0) {
                    rates[pass] = gigabytes / ((System.nanoTime() - start) / 1e9);
                }
            }
        }
        return median(rates);
    }

    private static double cRate(Path kernel, MemorySegment file, int count, int rows, int cols, int threads, int passes,
                                double gigabytes) throws Throwable {
        Linker linker = Linker.nativeLinker();
        SymbolLookup library = SymbolLookup.libraryLookup(kernel, Arena.global());
        MethodHandle setThreads = linker.downcallHandle(library.find("set_threads").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        MethodHandle matmul = linker.downcallHandle(library.find("matmul").orElseThrow(), FunctionDescriptor.ofVoid(
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        setThreads.invokeExact(threads);
        long matrixBytes = (long) rows * cols * Float.BYTES;
        double[] rates = new double[passes];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = arena.allocateFrom(ValueLayout.JAVA_FLOAT, input(cols));
            MemorySegment out = arena.allocate((long) rows * Float.BYTES, 64);
            for (int pass = -2; pass < passes; pass++) {
                long start = System.nanoTime();
                for (int m = 0; m < count; m++) {
                    matmul.invokeExact(out, x, file.asSlice(1024 + m * matrixBytes, matrixBytes), cols, rows);
                }
                if (pass >= 0) {
                    rates[pass] = gigabytes / ((System.nanoTime() - start) / 1e9);
                }
            }
        }
        return median(rates);
    }

    private static float[] input(int cols) {
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = 0.001f * (i % 997);
        }
        return x;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
