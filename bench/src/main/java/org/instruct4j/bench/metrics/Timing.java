package org.instruct4j.bench.metrics;

import java.util.Arrays;

/** Wall-clock timing of a task: warm-up runs, then the median of measured runs. */
public final class Timing {
    private Timing() {}

    /** The median seconds of {@code runs} runs after {@code warmups} unmeasured ones. */
    public static double medianSeconds(int warmups, int runs, Runnable task) {
        for (int i = 0; i < warmups; i++) {
            task.run();
        }
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            task.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[runs / 2];
    }
}
