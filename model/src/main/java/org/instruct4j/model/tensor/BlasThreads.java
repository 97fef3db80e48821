package org.instruct4j.model.tensor;

import org.bytedeco.openblas.global.openblas;

/**
 * How many threads OpenBLAS runs, for the whole process: {@code INSTRUCT4J_BLAS_THREADS}, default 1. libtorch runs
 * its own OpenMP threads around the fp32 matrix products it hands to OpenBLAS, and OpenBLAS's spinning pool on top
 * of them is ruinous when the cores are shared: on 2 cores at load 8, stories260K decoded 44 tokens/s with
 * OpenBLAS's default 2 threads against 174-232 with one, and a 10M Llama trained 3.5-5x faster with one. On an idle
 * machine 2 threads are faster (110M training 101 against 65 tokens/s, 10M 828 against 658, stories260K decode 363
 * against 295): set {@code INSTRUCT4J_BLAS_THREADS} to the core count on a dedicated machine.
 */
public final class BlasThreads {
    public static final String VARIABLE = "INSTRUCT4J_BLAS_THREADS";
    private static boolean configured;

    private BlasThreads() {}

    /** Sets OpenBLAS's thread count, once; every model constructor calls it (rarely enough for a plain lock). */
    public static synchronized void configure() {
        if (!configured) {
            openblas.blas_set_num_threads(threads(System.getenv(VARIABLE)));
            configured = true;
        }
    }

    static int threads(String value) {
        return ThreadCount.parse(VARIABLE, value, 1);
    }
}
