package org.instruct4j.bench.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's read bandwidth, as a decode step uses memory: threads summing disjoint parts of a buffer far larger
 * than the caches (1 GiB, off-heap), best of several passes. What a memory-bound batch-1 decode can at most reach.
 *
 * <p>Usage: {@code bench/run model.MemoryBandwidth [passes=10]}
 */
public final class MemoryBandwidth {
    private static final long BYTES = 1L << 30;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private MemoryBandwidth() {}

    public static void main(String[] args) throws Exception {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        for (int threads = 1; threads <= Runtime.getRuntime().availableProcessors(); threads++) {
            System.out.printf("read bandwidth, %d thread%s: %.1f GB/s%n", threads, threads == 1 ? "" : "s",
                    gigabytesPerSecond(threads, passes));
        }
    }

    /** Best read rate over {@code passes} passes with {@code threads} threads, GB/s (1e9 bytes). */
    static double gigabytesPerSecond(int threads, int passes) throws Exception {
        try (Arena arena = Arena.ofShared(); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            MemorySegment buffer = arena.allocate(BYTES, 64);
            buffer.fill((byte) 1);
            double best = 0;
            float sink = 0;
            for (int pass = 0; pass < passes; pass++) {
                List<Future<Float>> parts = new ArrayList<>();
                long start = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    long from = BYTES / threads * t, to = BYTES / threads * (t + 1);
                    parts.add(pool.submit((Callable<Float>) () -> sum(buffer, from, to)));
                }
                for (Future<Float> part : parts) {
                    sink += part.get();
                }
                best = Math.max(best, BYTES / ((System.nanoTime() - start) / 1e9) / 1e9);
            }
            if (sink == 42) {
                System.out.print("");
            }
            return best;
        }
    }

    private static float sum(MemorySegment buffer, long from, long to) {
        FloatVector a = FloatVector.zero(F), b = a, c = a, d = a;
        long step = F.vectorByteSize();
        for (long at = from; at < to; at += 4 * step) {
            a = a.add(FloatVector.fromMemorySegment(F, buffer, at, ByteOrder.LITTLE_ENDIAN));
            b = b.add(FloatVector.fromMemorySegment(F, buffer, at + step, ByteOrder.LITTLE_ENDIAN));
            c = c.add(FloatVector.fromMemorySegment(F, buffer, at + 2 * step, ByteOrder.LITTLE_ENDIAN));
            d = d.add(FloatVector.fromMemorySegment(F, buffer, at + 3 * step, ByteOrder.LITTLE_ENDIAN));
        }
        return a.add(b).add(c).add(d).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
