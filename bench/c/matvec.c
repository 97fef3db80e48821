// llama2.c's matmul (run.c, unchanged), for bench/run org.instruct4j.model.cpu.MatVecBench --c-kernel:
// the same loop gcc compiles, called through the FFM API in the same JVM as the engine's kernel, on the same weights.
// Build: gcc -Ofast -march=native -fopenmp -shared -fPIC bench/c/matvec.c -o /tmp/matvec.so
#include <omp.h>

void set_threads(int threads) { omp_set_num_threads(threads); }

void matmul(float* xout, float* x, float* w, int n, int d) {
    // W (d,n) @ x (n,) -> xout (d,)
    int i;
    #pragma omp parallel for private(i)
    for (i = 0; i < d; i++) {
        float val = 0.0f;
        for (int j = 0; j < n; j++) {
            val += w[i * n + j] * x[j];
        }
        xout[i] = val;
    }
}
