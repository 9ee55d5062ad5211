// A timed large square sgemm, for benchmarks that want the machine's achievable GEMM rate.
#include "CKernels.h"
#include <stdlib.h>
#include <time.h>

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double rk_measure_gemm_peak_gflops(int size, int repeats) {
    if (size < 1) size = 1;
    if (repeats < 1) repeats = 1;
    size_t n = (size_t)size * (size_t)size;
    float *A = malloc(n * sizeof(float)), *B = malloc(n * sizeof(float)), *C = malloc(n * sizeof(float));
    if (!A || !B || !C) { free(A); free(B); free(C); return 0.0; }
    for (size_t i = 0; i < n; i++) {
        A[i] = (float)((i * 7) % 13) * 0.1f - 0.6f;
        B[i] = (float)((i * 5) % 11) * 0.1f - 0.5f;
    }
    rk_sgemm(0, 0, size, size, size, 1.0f, A, size, B, size, 0.0f, C, size);  // warm-up
    double best = 1e30;
    for (int r = 0; r < repeats; r++) {
        double t0 = seconds();
        rk_sgemm(0, 0, size, size, size, 1.0f, A, size, B, size, 0.0f, C, size);
        double t = seconds() - t0;
        if (t < best) best = t;
    }
    free(A); free(B); free(C);
    return 2.0 * (double)size * size * size / best * 1e-9;
}
