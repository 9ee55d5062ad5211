// Kernel-level timings per instruction set, in thread CPU time (robust on a shared machine):
// a 768³ GEMM, the fused forward time loops of lstm64 and gru128 (B = 256, T = 48), the
// one-window LSTM(50) loop of predict1, and the raw FMA rate of 512- and 256-bit vectors.
//
//   clang -O2 -ISources/CKernels/include Sources/CKernels/*.c bench/kernel_microbench.c -lpthread -lm -o /tmp/kmb
//   /tmp/kmb
#include "CKernels.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static float *filled(long n, int period, float scale) {
    float *p = calloc((size_t)n, sizeof(float));
    for (long i = 0; i < n; i++) p[i] = (float)(i % period - period / 2) * scale;
    return p;
}

// Best of `repeats` forward passes of the fused loop; returns seconds.
static double time_loop(int cell, int B, int T, int H, int repeats) {
    int G = cell == RK_CELL_LSTM ? 4 : cell == RK_CELL_GRU ? 3 : 1;
    long bh = (long)B * H, bgh = bh * G;
    float *xp = filled(T * bgh, 7, 0.01f), *whh = filled((long)G * H * H, 11, 0.01f), *bhh = filled(G * H, 3, 0.01f);
    float *hs = calloc((size_t)(T + 1) * bh, 4), *cs = calloc((size_t)(T + 1) * bh, 4);
    float *gates = calloc((size_t)bgh, 4), *tcs = calloc((size_t)bh, 4), *hh = calloc((size_t)bgh, 4);
    double best = 1e30;
    for (int r = 0; r < repeats; r++) {
        double t = cpu_seconds();
        rk_loop_args loop = {.cell = cell, .B = B, .T = T, .H = H, .whh = whh, .bhh = cell == RK_CELL_GRU ? bhh : NULL,
                             .hs = hs, .cs = cs, .gates = gates, .tcs = tcs, .hh = hh, .xp = xp};
        rk_recurrent_forward(&loop);
        t = cpu_seconds() - t;
        if (t < best) best = t;
    }
    free(xp); free(whh); free(bhh); free(hs); free(cs); free(gates); free(tcs); free(hh);
    return best;
}

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static float fma_rate_512(long n) {
    __m512 a[16];
    for (int i = 0; i < 16; i++) a[i] = _mm512_set1_ps(0.001f * (float)i);
    const __m512 m = _mm512_set1_ps(0.999f), c = _mm512_set1_ps(1e-4f);
    for (long k = 0; k < n; k++)
        for (int i = 0; i < 16; i++) a[i] = _mm512_fmadd_ps(a[i], m, c);
    for (int i = 1; i < 16; i++) a[0] = _mm512_add_ps(a[0], a[i]);
    return _mm512_reduce_add_ps(a[0]);
}

__attribute__((target("avx2,fma"))) static float fma_rate_256(long n) {
    __m256 a[12];
    for (int i = 0; i < 12; i++) a[i] = _mm256_set1_ps(0.001f * (float)i);
    const __m256 m = _mm256_set1_ps(0.999f), c = _mm256_set1_ps(1e-4f);
    for (long k = 0; k < n; k++)
        for (int i = 0; i < 12; i++) a[i] = _mm256_fmadd_ps(a[i], m, c);
    for (int i = 1; i < 12; i++) a[0] = _mm256_add_ps(a[0], a[i]);
    float out[8];
    _mm256_storeu_ps(out, a[0]);
    return out[0];
}
#endif

int main(void) {
    rk_set_threads(1);
    printf("CPU: %s [%s]; one thread, thread CPU time, best of several runs\n", rk_cpu_model(), rk_cpu_features());
#if defined(__x86_64__)
    if (rk_cpu_supports(RK_ISA_AVX512)) {
        long n = 20000000;
        double t = cpu_seconds();
        float sink = fma_rate_512(n);
        t = cpu_seconds() - t;
        printf("raw FMA, 512-bit vectors: %.1f GFLOP/s\n", 2.0 * 16 * 16 * n / t * 1e-9);
        t = cpu_seconds();
        sink += fma_rate_256(n);
        t = cpu_seconds() - t;
        printf("raw FMA, 256-bit vectors: %.1f GFLOP/s (%g)\n", 2.0 * 12 * 8 * n / t * 1e-9, (double)sink * 0);
    }
#endif
    const int n = 768;
    float *A = filled((long)n * n, 7, 0.1f), *B = filled((long)n * n, 5, 0.1f), *C = calloc((size_t)n * n, 4);
    for (int isa = RK_ISA_PORTABLE; isa <= RK_ISA_NEON; isa++) {
        if (!rk_cpu_supports((rk_isa)isa)) continue;
        static const rk_path paths[] = {RK_PATH_REFERENCE, RK_PATH_PORTABLE, RK_PATH_AVX2, RK_PATH_AVX512, RK_PATH_NEON};
        rk_set_path(paths[isa]);
        const char *name = rk_isa_name((rk_isa)isa);
        double best = 1e30;
        for (int r = 0; r < 5; r++) {
            double t = cpu_seconds();
            rk_sgemm(0, 0, n, n, n, 1.0f, A, n, B, n, 0.0f, C, n);
            t = cpu_seconds() - t;
            if (t < best) best = t;
        }
        printf("%-8s GEMM %d³: %.1f GFLOP/s\n", name, n, 2.0 * n * n * n / best * 1e-9);
        double t = time_loop(RK_CELL_LSTM, 256, 48, 64, 5);
        printf("%-8s lstm64 forward loop (B 256, T 48): %.2f ms, %.1f GFLOP/s in the step products\n", name, t * 1e3,
               2.0 * 256 * 4 * 64 * 64 * 48 / t * 1e-9);
        t = time_loop(RK_CELL_GRU, 256, 48, 128, 5);
        printf("%-8s gru128 forward loop (B 256, T 48): %.2f ms, %.1f GFLOP/s in the step products\n", name, t * 1e3,
               2.0 * 256 * 3 * 128 * 128 * 48 / t * 1e-9);
        t = time_loop(RK_CELL_LSTM, 1, 60, 50, 500);
        printf("%-8s LSTM(50) one window, 60 steps: %.1f us\n", name, t * 1e6);
    }
    free(A); free(B); free(C);
    return 0;
}
