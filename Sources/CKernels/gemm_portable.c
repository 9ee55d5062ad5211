// Portable GEMM micro-kernel: a 4x8 tile in plain C whose inner loop over the 8 columns
// the compiler turns into SSE2 (x86-64 baseline) or NEON vectors.
#include "internal.h"
#include <stddef.h>

static void kernel_4x8(int kc, const float *A, const float *B, float alpha, float beta,
                       float *C, long ldc) {
    float acc[4][8] = {{0}};
    for (int k = 0; k < kc; k++) {
        for (int r = 0; r < 4; r++) {
            float a = A[r];
            for (int c = 0; c < 8; c++) acc[r][c] += a * B[c];
        }
        A += 4;
        B += 8;
    }
    for (int r = 0; r < 4; r++) {
        float *cr = C + (long)r * ldc;
        if (beta == 0.0f) for (int c = 0; c < 8; c++) cr[c] = alpha * acc[r][c];
        else for (int c = 0; c < 8; c++) cr[c] = alpha * acc[r][c] + beta * cr[c];
    }
}

static const rk_gemm_config portable_config = {
    .mr = 4, .nr = 8, .mc = 64, .kc = 256, .nc = 2048, .kernel = kernel_4x8, .edge = NULL, .row = NULL,
};

const rk_gemm_config *rk_gemm_config_portable(void) { return &portable_config; }
