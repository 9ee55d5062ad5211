// AVX-512F GEMM micro-kernels: an 8x32 tile in 16 zmm accumulators, two B vectors and
// eight A broadcasts per k (16 independent FMA chains cover the FMA latency of two pipes).
// Partial tiles and the prepacked one-row product use masked loads and stores.
#include "internal.h"
#include <stddef.h>

#if defined(__x86_64__)
#include <immintrin.h>

#define RK_AVX512 __attribute__((target("avx512f")))
#define MR 8
#define NR 32

static inline __attribute__((target("avx512f"), always_inline)) __mmask16 first_lanes(int n) {
    return n <= 0 ? 0 : n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1u);
}

// C[rows, cols] = alpha·Ap·Bp + beta·C over kc steps. `edge` is a compile-time constant at
// both call sites: 0 gives the full 8x32 tile (plain loads and stores, C prefetched), 1 a
// partial one (rows <= 8, cols <= 32, masked; one B vector per k when cols <= 16).
static inline __attribute__((target("avx512f"), always_inline)) void
tile(int kc, const float *A, const float *B, float alpha, float beta, float *C, long ldc, int rows, int cols,
     int edge) {
    __m512 c0[MR], c1[MR];
    for (int r = 0; r < MR; r++) c0[r] = c1[r] = _mm512_setzero_ps();
    if (!edge) {
        for (int r = 0; r < MR; r++) {
            _mm_prefetch((const char *)(C + r * ldc), _MM_HINT_T0);
            _mm_prefetch((const char *)(C + r * ldc + 31), _MM_HINT_T0);
        }
    }
    if (edge && cols <= 16) {
        for (int k = 0; k < kc; k++) {
            __m512 b0 = _mm512_load_ps(B);
            for (int r = 0; r < MR; r++) c0[r] = _mm512_fmadd_ps(_mm512_set1_ps(A[r]), b0, c0[r]);
            A += MR;
            B += NR;
        }
    } else {
        for (int k = 0; k < kc; k++) {
            __m512 b0 = _mm512_load_ps(B), b1 = _mm512_load_ps(B + 16);
            for (int r = 0; r < MR; r++) {
                __m512 a = _mm512_set1_ps(A[r]);
                c0[r] = _mm512_fmadd_ps(a, b0, c0[r]);
                c1[r] = _mm512_fmadd_ps(a, b1, c1[r]);
            }
            A += MR;
            B += NR;
        }
    }
    const __mmask16 m0 = first_lanes(cols), m1 = first_lanes(cols - 16);
    const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    for (int r = 0; r < (edge ? rows : MR); r++) {
        float *cr = C + (long)r * ldc;
        __m512 l = _mm512_mul_ps(va, c0[r]), h = _mm512_mul_ps(va, c1[r]);
        if (beta != 0.0f) {
            l = _mm512_fmadd_ps(vb, edge ? _mm512_maskz_loadu_ps(m0, cr) : _mm512_loadu_ps(cr), l);
            h = _mm512_fmadd_ps(vb, edge ? _mm512_maskz_loadu_ps(m1, cr + 16) : _mm512_loadu_ps(cr + 16), h);
        }
        if (edge) {
            _mm512_mask_storeu_ps(cr, m0, l);
            _mm512_mask_storeu_ps(cr + 16, m1, h);
        } else {
            _mm512_storeu_ps(cr, l);
            _mm512_storeu_ps(cr + 16, h);
        }
    }
}

RK_AVX512 static void kernel_8x32(int kc, const float *A, const float *B, float alpha, float beta,
                                  float *C, long ldc) {
    tile(kc, A, B, alpha, beta, C, ldc, MR, NR, 0);
}

RK_AVX512 static void kernel_edge(int kc, const float *A, const float *B, float alpha, float beta,
                                  float *C, long ldc, int rows, int cols) {
    tile(kc, A, B, alpha, beta, C, ldc, rows, cols, 1);
}

// One row against prepacked 32-column panels, up to four panels (eight FMA chains) per pass
// over k, the last group holding whatever panels remain, so a narrow tail never runs as
// two latency-bound chains. Each element is one FMA chain over k in ascending order, as in
// the tile kernels.
static inline __attribute__((target("avx512f"), always_inline)) void
row_group(int panels, int kc, const float *A, int a_stride, const float *Bp, long panel_stride, int j, int N,
          float beta, float *C) {
    __m512 acc[8];
    for (int v = 0; v < 2 * panels; v++) acc[v] = _mm512_setzero_ps();
    const float *b = Bp + (long)(j / NR) * panel_stride;
    for (int k = 0; k < kc; k++) {
        __m512 a = _mm512_set1_ps(A[(long)k * a_stride]);
        for (int p = 0; p < panels; p++) {
            acc[2 * p] = _mm512_fmadd_ps(a, _mm512_load_ps(b + p * panel_stride + k * NR), acc[2 * p]);
            acc[2 * p + 1] = _mm512_fmadd_ps(a, _mm512_load_ps(b + p * panel_stride + k * NR + 16), acc[2 * p + 1]);
        }
    }
    const __m512 vb = _mm512_set1_ps(beta);
    for (int v = 0; v < 2 * panels; v++) {
        const __mmask16 m = first_lanes(N - j - 16 * v);
        __m512 r = acc[v];
        if (beta != 0.0f) r = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m, C + j + 16 * v), r);
        _mm512_mask_storeu_ps(C + j + 16 * v, m, r);
    }
}

RK_AVX512 static void single_row(int kc, const float *A, int a_stride, const float *Bp, long panel_stride,
                                 int N, float beta, float *C) {
    int j = 0;
    // Whole groups of four while more than four panels remain; then the last 1–4 panels
    // (the remainder must include 4: N = 97…127 after the loop used to compute nothing).
    for (; N - j > 4 * NR; j += 4 * NR) row_group(4, kc, A, a_stride, Bp, panel_stride, j, N, beta, C);
    switch ((N - j + NR - 1) / NR) {
    case 4: row_group(4, kc, A, a_stride, Bp, panel_stride, j, N, beta, C); break;
    case 3: row_group(3, kc, A, a_stride, Bp, panel_stride, j, N, beta, C); break;
    case 2: row_group(2, kc, A, a_stride, Bp, panel_stride, j, N, beta, C); break;
    case 1: row_group(1, kc, A, a_stride, Bp, panel_stride, j, N, beta, C); break;
    default: break;
    }
}

// kc * 32 floats of B (64 KiB, half of it hot per k-loop) stream through L1/L2; mc * kc of A
// (256 KiB) stays in L2 (1 MiB on Zen 5); kc * nc of B (2 MiB) in L3.
static const rk_gemm_config avx512_config = {
    .mr = MR, .nr = NR, .mc = 128, .kc = 512, .nc = 1024, .kernel = kernel_8x32, .edge = kernel_edge,
    .row = single_row,
};

const rk_gemm_config *rk_gemm_config_avx512(void) { return &avx512_config; }

#else
const rk_gemm_config *rk_gemm_config_avx512(void) { return NULL; }
#endif
