// Portable GEMM micro-kernel: a 4x8 tile in plain C with the compilers' generic vector type
// (GCC and clang lower it to SSE2 on x86-64, NEON on arm64, scalar code elsewhere), so it
// is vectorised at the -O2 that SwiftPM uses for release builds, without special flags.
#include "internal.h"
#include <stddef.h>
#include <string.h>

typedef float rk_v8 __attribute__((vector_size(32)));

// Unaligned 8-float moves (macros: a function passing the vector type by value would have
// a target-dependent ABI).
#define LOAD8(v, p) memcpy(&(v), (p), sizeof(rk_v8))
#define STORE8(p, v) memcpy((p), &(v), sizeof(rk_v8))

static void kernel_4x8(int kc, const float *A, const float *B, float alpha, float beta,
                       float *C, long ldc) {
    rk_v8 c0 = {0}, c1 = {0}, c2 = {0}, c3 = {0};
    for (int k = 0; k < kc; k++) {
        rk_v8 b;
        LOAD8(b, B);
        c0 += A[0] * b;
        c1 += A[1] * b;
        c2 += A[2] * b;
        c3 += A[3] * b;
        A += 4;
        B += 8;
    }
    rk_v8 acc[4] = {c0, c1, c2, c3};
    for (int r = 0; r < 4; r++) {
        float *cr = C + (long)r * ldc;
        rk_v8 v = alpha * acc[r];
        if (beta != 0.0f) {
            rk_v8 old;
            LOAD8(old, cr);
            v += beta * old;
        }
        STORE8(cr, v);
    }
}

static const rk_gemm_config portable_config = {
    .mr = 4, .nr = 8, .mc = 64, .kc = 256, .nc = 2048, .kernel = kernel_4x8, .edge = NULL, .row = NULL,
};

const rk_gemm_config *rk_gemm_config_portable(void) { return &portable_config; }
