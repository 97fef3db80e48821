// The CPU engine's batched product (F32Matrix: 32-row panels packed column after column, register tiles of 8 inputs x
// 2 vectors of 16 rows) written in C with AVX-512 intrinsics, to measure what the hardware gives that the JVM cannot ask
// for: a software prefetch of the next panel while the tiles multiply this one. Also the cores' fp32 FMA peak.
// 28 inputs (a busy server's decoding rows) times a matrix of BYTES float32 weights 288 wide (the 15M model's width),
// rows split over the OpenMP threads, median of REPS passes after one unmeasured pass.
// Build: gcc -O3 -march=native -fopenmp bench/c/panel_product.c -o /tmp/panel_product
// Usage: OMP_NUM_THREADS=2 /tmp/panel_product MODE BYTES REPS
//   MODE 0: the tiles alone; 1: each panel read by a loop of loads first (the engine's way); 2: the second tile of a
//   panel prefetches the next panel (prefetcht0, two lines per column); peak: the FMA peak (BYTES and REPS ignored).
// Compare with bench/run org.instruct4j.model.cpu.MatVecBench FILE --cols 288 --rows 768 --batch 28 --passes 300
// on a file of as many bytes (BENCHMARKS.md, serve, issue 13).
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PANEL 32
#define COLS 288
#define INPUTS 28

static float sink;

static int by_value(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return x < y ? -1 : x > y;
}

// The panel w times inputs x[u * COLS ...] for u < 8 into out[u * rows + ...]: 16 accumulators; prefetches next when given.
static void tile8(const float* w, const float* x, float* out, long rows, const char* next) {
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    __m512 b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
    for (int c = 0; c < COLS; c++) {
        __m512 w0 = _mm512_load_ps(w + c * PANEL), w1 = _mm512_load_ps(w + c * PANEL + 16);
        if (next) {
            _mm_prefetch(next + (size_t)c * 128, _MM_HINT_T0);
            _mm_prefetch(next + (size_t)c * 128 + 64, _MM_HINT_T0);
        }
#define INPUT(u, A, B) { __m512 v = _mm512_set1_ps(x[u * COLS + c]); A = _mm512_fmadd_ps(w0, v, A); B = _mm512_fmadd_ps(w1, v, B); }
        INPUT(0, a0, b0) INPUT(1, a1, b1) INPUT(2, a2, b2) INPUT(3, a3, b3)
        INPUT(4, a4, b4) INPUT(5, a5, b5) INPUT(6, a6, b6) INPUT(7, a7, b7)
    }
#define STORE(u, A, B) _mm512_storeu_ps(out + u * rows, A); _mm512_storeu_ps(out + u * rows + 16, B);
    STORE(0, a0, b0) STORE(1, a1, b1) STORE(2, a2, b2) STORE(3, a3, b3)
    STORE(4, a4, b4) STORE(5, a5, b5) STORE(6, a6, b6) STORE(7, a7, b7)
}

// The same for the last n < 8 inputs.
static void tile(const float* w, const float* x, int n, float* out, long rows) {
    __m512 a[8][2];
    for (int u = 0; u < 8; u++) a[u][0] = a[u][1] = _mm512_setzero_ps();
    for (int c = 0; c < COLS; c++) {
        __m512 w0 = _mm512_load_ps(w + c * PANEL), w1 = _mm512_load_ps(w + c * PANEL + 16);
        for (int u = 0; u < n; u++) {
            __m512 v = _mm512_set1_ps(x[u * COLS + c]);
            a[u][0] = _mm512_fmadd_ps(w0, v, a[u][0]);
            a[u][1] = _mm512_fmadd_ps(w1, v, a[u][1]);
        }
    }
    for (int u = 0; u < n; u++) {
        _mm512_storeu_ps(out + u * rows, a[u][0]);
        _mm512_storeu_ps(out + u * rows + 16, a[u][1]);
    }
}

static void peak(void) {
    long iterations = 300000000;
    double began = omp_get_wtime();
    float total = 0;
#pragma omp parallel reduction(+ : total)
    {
        __m512 b = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(0.000001f), a[12];
        for (int i = 0; i < 12; i++) a[i] = _mm512_set1_ps((float)i);
        for (long it = 0; it < iterations; it++) {
#pragma GCC unroll 12
            for (int i = 0; i < 12; i++) a[i] = _mm512_fmadd_ps(a[i], b, c);
        }
        for (int i = 0; i < 12; i++) total += _mm512_reduce_add_ps(a[i]);
    }
    double seconds = omp_get_wtime() - began;
    printf("fp32 FMA peak, %d threads: %.1f GFLOP/s (%g)\n", omp_get_max_threads(),
           omp_get_max_threads() * iterations * 12.0 * 32 / seconds / 1e9, total);
}

int main(int argc, char** argv) {
    if (argc > 1 && strcmp(argv[1], "peak") == 0) {
        peak();
        return 0;
    }
    if (argc < 4) {
        fprintf(stderr, "usage: panel_product 0|1|2|peak BYTES REPS\n");
        return 2;
    }
    int mode = atoi(argv[1]), reps = atoi(argv[3]);
    long rows = atol(argv[2]) / (4 * COLS);
    rows -= rows % PANEL;
    long panels = rows / PANEL;
    float* w = aligned_alloc(64, rows * COLS * 4);
    float* x = aligned_alloc(64, INPUTS * COLS * 4);
    float* out = aligned_alloc(64, INPUTS * rows * 4);
    for (long i = 0; i < rows * COLS; i++) w[i] = (i % 7) * 0.01f;
    for (int i = 0; i < INPUTS * COLS; i++) x[i] = (i % 5) * 0.1f;
    double* times = malloc(sizeof(double) * reps);
    for (int r = -1; r < reps; r++) {
        double began = omp_get_wtime();
#pragma omp parallel
        {
            int t = omp_get_thread_num(), threads = omp_get_num_threads();
            long first = panels * t / threads, last = panels * (t + 1) / threads;
            float s = 0;
            for (long p = first; p < last; p++) {
                const float* panel = w + p * PANEL * COLS;
                const char* next = p + 1 < last ? (const char*)(w + (p + 1) * PANEL * COLS) : NULL;
                if (mode == 1) {
                    for (int i = 0; i < PANEL * COLS; i += 16) s += panel[i];
                }
                int u = 0;
                for (; u + 8 <= INPUTS; u += 8) {
                    tile8(panel, x + u * COLS, out + u * rows + p * PANEL, rows, mode == 2 && u == 8 ? next : NULL);
                }
                if (u < INPUTS) {
                    tile(panel, x + u * COLS, INPUTS - u, out + u * rows + p * PANEL, rows);
                }
            }
            if (s == 12345) sink = s;
        }
        if (r >= 0) times[r] = omp_get_wtime() - began;
    }
    qsort(times, reps, sizeof(double), by_value);
    double median = times[reps / 2];
    printf("mode %d, %.0f MB, %d threads: %.3f ms, %.1f GFLOP/s, %.1f GB/s of weights\n", mode, rows * COLS * 4 / 1e6,
           omp_get_max_threads(), median * 1e3, 2.0 * INPUTS * rows * COLS / median / 1e9, rows * COLS * 4 / median / 1e9);
    return 0;
}
