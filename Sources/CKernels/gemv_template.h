// Products with one output column (N = 1), written once over a vector type: a single input
// feature's projection gradient and the input gradient of a one-feature layer. The tiled GEMM
// would pad N to a whole panel (16 or 32 columns) and do that many times the work. Before
// including, define RK_SFX and include a vector header (vec_avx2.h, vec_neon.h) that provides
// rkv, RK_TARGET, RK_VEC and rkv_ld/rkv_st/rkv_set1/rkv_add/rkv_fma/rkv_sum.
#include "internal.h"
#include <stdlib.h>

#define RK_GEMV_CAT2(a, b) a##_##b
#define RK_GEMV_CAT(a, b) RK_GEMV_CAT2(a, b)
#define RK_GEMV_NAME(base) RK_GEMV_CAT(base, RK_SFX)

static _Thread_local float *gemv_tmp;
static _Thread_local size_t gemv_tmp_cap;

static float *gemv_scratch(size_t n) {
    if (n > gemv_tmp_cap) {
        free(gemv_tmp);
        gemv_tmp = malloc(n * sizeof(float));
        gemv_tmp_cap = gemv_tmp ? n : 0;
    }
    return gemv_tmp;
}

// Σ a[k]·b[k] in two vector accumulators, then the lanes, then the tail in order.
RK_VEC float gemv_dot(const float *a, const float *b, int n) {
    rkv s0 = rkv_set1(0.0f), s1 = rkv_set1(0.0f);
    int k = 0;
    for (; k + 2 * RK_W <= n; k += 2 * RK_W) {
        s0 = rkv_fma(rkv_ld(a + k), rkv_ld(b + k), s0);
        s1 = rkv_fma(rkv_ld(a + k + RK_W), rkv_ld(b + k + RK_W), s1);
    }
    for (; k + RK_W <= n; k += RK_W) s0 = rkv_fma(rkv_ld(a + k), rkv_ld(b + k), s0);
    float s = rkv_sum(rkv_add(s0, s1));
    for (; k < n; k++) s += a[k] * b[k];
    return s;
}

// Returns 0 when it could not run (no scratch memory): the caller uses the tiled GEMM.
RK_TARGET int RK_GEMV_NAME(rk_gemv_n1)(int transA, int transB, int M, int K, float alpha, const float *A, long lda,
                                       const float *B, long ldb, float beta, float *C, long ldc) {
    // op(B) is [K, 1]: element k at B[k·ldb], or B[k] when B is stored transposed [1, K].
    const long bstride = transB ? 1 : ldb;
    if (!transA) {
        const float *b = B;
        if (bstride != 1) {
            float *t = gemv_scratch((size_t)K);
            if (!t) return 0;
            for (int k = 0; k < K; k++) t[k] = B[k * bstride];
            b = t;
        }
        for (int m = 0; m < M; m++) {
            float s = alpha * gemv_dot(A + (long)m * lda, b, K);
            C[(long)m * ldc] = beta == 0.0f ? s : s + beta * C[(long)m * ldc];
        }
        return 1;
    }
    // op(A)[m, k] = A[k, m]: accumulate rows of A scaled by b_k.
    float *acc = gemv_scratch((size_t)M);
    if (!acc) return 0;
    for (int m = 0; m < M; m++) acc[m] = 0.0f;
    for (int k = 0; k < K; k++) {
        const float *row = A + (long)k * lda;
        const float bk = B[k * bstride];
        const rkv vb = rkv_set1(bk);
        int m = 0;
        for (; m + RK_W <= M; m += RK_W) rkv_st(acc + m, rkv_fma(vb, rkv_ld(row + m), rkv_ld(acc + m)));
        for (; m < M; m++) acc[m] += bk * row[m];
    }
    for (int m = 0; m < M; m++) {
        float s = alpha * acc[m];
        C[(long)m * ldc] = beta == 0.0f ? s : s + beta * C[(long)m * ldc];
    }
    return 1;
}
