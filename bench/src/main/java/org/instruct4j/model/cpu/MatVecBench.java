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
import org.instruct4j.bench.metrics.Timing;

/**
 * How fast the CPU engine's batch-1 kernel streams fp32 weights from memory, next to llama2.c's matmul compiled by gcc
 * ({@code bench/c/matvec.c}) and called through the FFM API in the same JVM, on the same weights: a checkpoint's bytes
 * read as consecutive [rows, cols] matrices (a 110M layer's wq is 768 x 768), every one multiplied once per pass, as a
 * decode step does. Prints GB/s (of the median pass, after two unmeasured passes) for 1 and 2 threads and the
 * engine's ratio to the C loop. With {@code --batch N} the engine multiplies N inputs at once (its batched product;
 * also GFLOP/s), and {@code --matrices K} keeps the first K matrices only (one stays in cache). In this package (on the
 * class path) to reach the engine's package-private kernel. {@code --q8} quantizes the matrices to Q8_0 first.
 *
 * <p>Usage: {@code bench/run org.instruct4j.model.cpu.MatVecBench CHECKPOINT [--cols 768] [--rows 768] [--passes 12]
 * [--batch 1] [--matrices all] [--q8] [--skip 1024] [--c-kernel /tmp/matvec.so]}
 */
public final class MatVecBench {
    /**
     * Bytes skipped at the start of the file by default (a checkpoint's header), keeping the matrices 64-byte aligned;
     * {@code --skip 1052} puts them where llama2.c's files have theirs (a 28-byte header: 28 bytes past a line).
     */
    private static final long HEADER_BYTES = 1024;
    private static final int WARMUP_PASSES = 2;

    private MatVecBench() {}

    public static void main(String[] args) throws Throwable {
        Path checkpoint = Path.of(args[0]);
        int cols = 768, rows = 768, passes = 12, batch = 1, limit = Integer.MAX_VALUE;
        long skip = HEADER_BYTES;
        boolean q8 = false;
        Path kernel = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--cols" -> cols = Integer.parseInt(args[++i]);
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--c-kernel" -> kernel = Path.of(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--matrices" -> limit = Integer.parseInt(args[++i]);
                case "--q8" -> q8 = true;
                case "--skip" -> skip = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (kernel != null && (batch > 1 || q8)) {
            throw new IllegalArgumentException("--c-kernel is llama2.c's one-input fp32 loop: compare it at --batch 1 without --q8");
        }
        try (Arena arena = Arena.ofShared(); FileChannel channel = FileChannel.open(checkpoint)) {
            MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            long matrixBytes = (long) rows * cols * Float.BYTES;
            int count = (int) Math.min(limit, (file.byteSize() - skip) / matrixBytes);
            F32Matrix[] matrices = new F32Matrix[count];
            for (int m = 0; m < count; m++) {
                matrices[m] = new F32Matrix(rows, cols, file.asSlice(skip + m * matrixBytes, matrixBytes));
            }
            Matrix[] engineMatrices = q8 ? Arrays.stream(matrices).map(Q8Matrix::quantize).toArray(Matrix[]::new) : matrices;
            double gigabytes = count * engineMatrices[0].bytes() / 1e9;
            System.out.printf(Locale.ROOT, "%s: %d matrices of %d x %d %s, %.2f GB per pass%n", checkpoint, count, rows,
                    cols, engineMatrices[0].format(), gigabytes);
            for (int threads = 1; threads <= 2; threads++) {
                double seconds = engineSeconds(engineMatrices, threads, passes, batch), java = gigabytes / seconds;
                String line = String.format(Locale.ROOT, "%d thread%s: engine %.1f GB/s, %.1f GFLOP/s at batch %d", threads,
                        threads == 1 ? " " : "s", java, 2.0 * batch * count * rows * cols / seconds / 1e9, batch);
                if (kernel != null) {
                    double c = gigabytes / cSeconds(kernel, matrices, threads, passes);
                    line += String.format(Locale.ROOT, ", gcc's loop in this JVM %.1f GB/s, engine / C %.2fx", c, java / c);
                }
                System.out.println(line);
            }
        }
    }

    /** Median seconds of a pass through every matrix with the engine's kernel, after two unmeasured passes. */
    private static double engineSeconds(Matrix[] matrices, int threads, int passes, int batch) {
        int cols = matrices[0].cols;
        float[] x = input(batch * cols), out = new float[batch * matrices[0].rows];
        try (ThreadTeam team = new ThreadTeam(threads)) {
            Matmul matmul = new Matmul(team, cols);
            return Timing.medianSeconds(WARMUP_PASSES, passes, () -> {
                for (Matrix matrix : matrices) {
                    matmul.run(x, batch, matrix, out);
                }
            });
        }
    }

    /** The same with llama2.c's matmul from {@code kernel}, on the very bytes the engine's matrices read. */
    private static double cSeconds(Path kernel, F32Matrix[] matrices, int threads, int passes) throws Throwable {
        Linker linker = Linker.nativeLinker();
        SymbolLookup library = SymbolLookup.libraryLookup(kernel, Arena.global());
        MethodHandle setThreads = linker.downcallHandle(library.find("set_threads").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        MethodHandle matmul = linker.downcallHandle(library.find("matmul").orElseThrow(), FunctionDescriptor.ofVoid(
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        setThreads.invokeExact(threads);
        int rows = matrices[0].rows, cols = matrices[0].cols;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = arena.allocateFrom(ValueLayout.JAVA_FLOAT, input(cols));
            MemorySegment out = arena.allocate((long) rows * Float.BYTES, 64);
            return Timing.medianSeconds(WARMUP_PASSES, passes, () -> {
                for (F32Matrix matrix : matrices) {
                    try {
                        matmul.invokeExact(out, x, matrix.data, cols, rows);
                    } catch (Throwable e) {
                        throw new IllegalStateException("the C kernel failed", e);
                    }
                }
            });
        }
    }

    private static float[] input(int cols) {
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = 0.001f * (i % 997);
        }
        return x;
    }
}
