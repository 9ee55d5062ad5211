// AVX2/FMA 6x16 GEMM micro-kernel: 12 ymm accumulators, two B vectors and one A
// broadcast per k, which keeps both FMA pipes of Zen/Haswell-class cores busy.
#include "internal.h"
#include <stddef.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define RK_AVX2_STORE_ROW(row, lo, hi)                                              \
    do {                                                                            \
        float *cr = C + (long)(row) * ldc;                                          \
        __m256 l = _mm256_mul_ps(va, lo), h = _mm256_mul_ps(va, hi);                \
        if (beta != 0.0f) {                                                         \
            l = _mm256_fmadd_ps(vb, _mm256_loadu_ps(cr), l);                        \
            h = _mm256_fmadd_ps(vb, _mm256_loadu_ps(cr + 8), h);                    \
        }                                                                           \
        _mm256_storeu_ps(cr, l);                                                    \
        _mm256_storeu_ps(cr + 8, h);                                                \
    } while (0)

__attribute__((target("avx2,fma")))
static void kernel_6x16(int kc, const float *A, const float *B, float alpha, float beta,
                        float *C, long ldc) {
    __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
    __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
    __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
    __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
    __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
    __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
    for (int r = 0; r < 6; r++) {
        _mm_prefetch((const char *)(C + r * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(C + r * ldc + 15), _MM_HINT_T0);
    }
    for (int k = 0; k < kc; k++) {
        __m256 b0 = _mm256_load_ps(B), b1 = _mm256_load_ps(B + 8);
        __m256 a;
        a = _mm256_broadcast_ss(A + 0); c00 = _mm256_fmadd_ps(a, b0, c00); c01 = _mm256_fmadd_ps(a, b1, c01);
        a = _mm256_broadcast_ss(A + 1); c10 = _mm256_fmadd_ps(a, b0, c10); c11 = _mm256_fmadd_ps(a, b1, c11);
        a = _mm256_broadcast_ss(A + 2); c20 = _mm256_fmadd_ps(a, b0, c20); c21 = _mm256_fmadd_ps(a, b1, c21);
        a = _mm256_broadcast_ss(A + 3); c30 = _mm256_fmadd_ps(a, b0, c30); c31 = _mm256_fmadd_ps(a, b1, c31);
        a = _mm256_broadcast_ss(A + 4); c40 = _mm256_fmadd_ps(a, b0, c40); c41 = _mm256_fmadd_ps(a, b1, c41);
        a = _mm256_broadcast_ss(A + 5); c50 = _mm256_fmadd_ps(a, b0, c50); c51 = _mm256_fmadd_ps(a, b1, c51);
        A += 6;
        B += 16;
    }
    const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    RK_AVX2_STORE_ROW(0, c00, c01);
    RK_AVX2_STORE_ROW(1, c10, c11);
    RK_AVX2_STORE_ROW(2, c20, c21);
    RK_AVX2_STORE_ROW(3, c30, c31);
    RK_AVX2_STORE_ROW(4, c40, c41);
    RK_AVX2_STORE_ROW(5, c50, c51);
}

// Partial tiles (rows <= 6, cols <= 16) straight into C with masked stores. When cols <= 8
// only one B vector is used, halving the work on a narrow right edge.
__attribute__((target("avx2,fma")))
static void kernel_edge(int kc, const float *A, const float *B, float alpha, float beta,
                        float *C, long ldc, int rows, int cols) {
    __m256 acc[6][2];
    for (int r = 0; r < 6; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
    if (cols <= 8) {
        for (int k = 0; k < kc; k++) {
            __m256 b0 = _mm256_load_ps(B);
            for (int r = 0; r < 6; r++) acc[r][0] = _mm256_fmadd_ps(_mm256_broadcast_ss(A + r), b0, acc[r][0]);
            A += 6;
            B += 16;
        }
    } else {
        for (int k = 0; k < kc; k++) {
            __m256 b0 = _mm256_load_ps(B), b1 = _mm256_load_ps(B + 8);
            for (int r = 0; r < 6; r++) {
                __m256 a = _mm256_broadcast_ss(A + r);
                acc[r][0] = _mm256_fmadd_ps(a, b0, acc[r][0]);
                acc[r][1] = _mm256_fmadd_ps(a, b1, acc[r][1]);
            }
            A += 6;
            B += 16;
        }
    }
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i m0 = _mm256_cmpgt_epi32(_mm256_set1_epi32(cols), lane);
    const __m256i m1 = _mm256_cmpgt_epi32(_mm256_set1_epi32(cols - 8), lane);
    const __m256 va = _mm256_set1_ps(alpha), vb = _mm256_set1_ps(beta);
    for (int r = 0; r < rows; r++) {
        float *cr = C + (long)r * ldc;
        __m256 l = _mm256_mul_ps(va, acc[r][0]), h = _mm256_mul_ps(va, acc[r][1]);
        if (beta != 0.0f) {
            l = _mm256_fmadd_ps(vb, _mm256_maskload_ps(cr, m0), l);
            h = _mm256_fmadd_ps(vb, _mm256_maskload_ps(cr + 8, m1), h);
        }
        _mm256_maskstore_ps(cr, m0, l);
        if (cols > 8) _mm256_maskstore_ps(cr + 8, m1, h);
    }
}

// One row of C against every 16-column panel of a prepacked B (single-window inference):
// four panels at a time give eight independent FMA chains instead of the edge kernel's six
// rows of which five would be padding. Each element is still one FMA chain over k in
// ascending order, so the result equals what the 6x16 and edge kernels give for that row.
__attribute__((target("avx2,fma")))
static void single_row(int kc, const float *A, int a_stride, const float *Bp, long panel_stride,
                        int N, float beta, float *C) {
    const __m256 vb = _mm256_set1_ps(beta);
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    int j = 0;
    for (; j + 64 <= N; j += 64) {
        const float *b0 = Bp + (long)(j / 16) * panel_stride;
        const float *b1 = b0 + panel_stride, *b2 = b1 + panel_stride, *b3 = b2 + panel_stride;
        __m256 c0 = _mm256_setzero_ps(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int k = 0; k < kc; k++) {
            __m256 a = _mm256_broadcast_ss(A + (long)k * a_stride);
            c0 = _mm256_fmadd_ps(a, _mm256_load_ps(b0 + k * 16), c0);
            c1 = _mm256_fmadd_ps(a, _mm256_load_ps(b0 + k * 16 + 8), c1);
            c2 = _mm256_fmadd_ps(a, _mm256_load_ps(b1 + k * 16), c2);
            c3 = _mm256_fmadd_ps(a, _mm256_load_ps(b1 + k * 16 + 8), c3);
            c4 = _mm256_fmadd_ps(a, _mm256_load_ps(b2 + k * 16), c4);
            c5 = _mm256_fmadd_ps(a, _mm256_load_ps(b2 + k * 16 + 8), c5);
            c6 = _mm256_fmadd_ps(a, _mm256_load_ps(b3 + k * 16), c6);
            c7 = _mm256_fmadd_ps(a, _mm256_load_ps(b3 + k * 16 + 8), c7);
        }
        __m256 acc[8] = {c0, c1, c2, c3, c4, c5, c6, c7};
        for (int v = 0; v < 8; v++) {
            __m256 r = acc[v];
            if (beta != 0.0f) r = _mm256_fmadd_ps(vb, _mm256_loadu_ps(C + j + 8 * v), r);
            _mm256_storeu_ps(C + j + 8 * v, r);
        }
    }
    for (; j < N; j += 16) {
        const float *b = Bp + (long)(j / 16) * panel_stride;
        __m256 lo = _mm256_setzero_ps(), hi = _mm256_setzero_ps();
        for (int k = 0; k < kc; k++) {
            __m256 a = _mm256_broadcast_ss(A + (long)k * a_stride);
            lo = _mm256_fmadd_ps(a, _mm256_load_ps(b + k * 16), lo);
            hi = _mm256_fmadd_ps(a, _mm256_load_ps(b + k * 16 + 8), hi);
        }
        int cols = N - j < 16 ? N - j : 16;
        const __m256i m0 = _mm256_cmpgt_epi32(_mm256_set1_epi32(cols), lane);
        const __m256i m1 = _mm256_cmpgt_epi32(_mm256_set1_epi32(cols - 8), lane);
        if (beta != 0.0f) {
            lo = _mm256_fmadd_ps(vb, _mm256_maskload_ps(C + j, m0), lo);
            hi = _mm256_fmadd_ps(vb, _mm256_maskload_ps(C + j + 8, m1), hi);
        }
        _mm256_maskstore_ps(C + j, m0, lo);
        if (cols > 8) _mm256_maskstore_ps(C + j + 8, m1, hi);
    }
}

// kc * 16 floats of B (32 KiB) stream through L1; mc * kc of A (192 KiB) stays in L2;
// kc * nc of B (2 MiB) in L3. Larger kc means fewer passes over C for long K.
static const rk_gemm_config avx2_config = {
    .mr = 6, .nr = 16, .mc = 96, .kc = 512, .nc = 1024, .kernel = kernel_6x16, .edge = kernel_edge,
    .row = single_row,
};

const rk_gemm_config *rk_gemm_config_avx2(void) { return &avx2_config; }

#else
const rk_gemm_config *rk_gemm_config_avx2(void) { return NULL; }
#endif
