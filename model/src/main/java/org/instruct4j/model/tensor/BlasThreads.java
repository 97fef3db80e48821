package org.instruct4j.model.tensor;

import org.bytedeco.openblas.global.openblas;

/**
 * One OpenBLAS thread for the whole process. libtorch already runs its own OpenMP threads around the fp32
 * matrix products it hands to OpenBLAS; OpenBLAS's thread pool on top of them oversubscribes the cores, worst
 * on a small machine: on 2 cores stories260K decoded 44 tokens/s and prefilled 221 tokens/s with OpenBLAS's
 * default threads, 174 and 5,899 with one (and a 10M Llama trained 3.5-5x faster).
 */
public final class BlasThreads {
    private static volatile boolean configured;

    private BlasThreads() {}

    /** Sets OpenBLAS to one thread, once; every model constructor calls it. */
    public static void useOne() {
        if (!configured) {
            synchronized (BlasThreads.class) {
                if (!configured) {
                    openblas.blas_set_num_threads(1);
                    configured = true;
                }
            }
        }
    }
}
