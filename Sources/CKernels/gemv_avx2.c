// Products with one output column (N = 1): a single input feature's projection gradient
// and the input gradient of a one-feature layer. The tiled GEMM would pad N to 16 columns
// and do 16 times the work; these loops do it directly with AVX2/FMA.
#include "internal.h"
#include <stdlib.h>

#if defined(__x86_64__)
#include <immintrin.h>

static _Thread_local float *gemv_tmp;
static _Thread_local size_t gemv_tmp_cap;

static float *tmp(size_t n) {
    if (n > gemv_tmp_cap) {
        free(gemv_tmp);
        gemv_tmp = malloc(n * sizeof(float));
        gemv_tmp_cap = gemv_tmp ? n : 0;
    }
    return gemv_tmp;
}

__attribute__((target("avx2,fma")))
static float dot(const float *a, const float *b, int n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    int k = 0;
    for (; k + 16 <= n; k += 16) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k + 8), _mm256_loadu_ps(b + k + 8), s1);
    }
    for (; k + 8 <= n; k += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k), s0);
    s0 = _mm256_add_ps(s0, s1);
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(s0), _mm256_extractf128_ps(s0, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    h = _mm_add_ss(h, _mm_shuffle_ps(h, h, 1));
    float s = _mm_cvtss_f32(h);
    for (; k < n; k++) s += a[k] * b[k];
    return s;
}

// Returns 0 when it could not run (no scratch memory): the caller uses the tiled GEMM.
__attribute__((target("avx2,fma")))
int rk_gemv_n1_avx2(int transA, int transB, int M, int K, float alpha, const float *A, long lda,
                    const float *B, long ldb, float beta, float *C, long ldc) {
    // op(B) is [K, 1]: element k at B[k·ldb], or B[k] when B is stored transposed [1, K].
    const long bstride = transB ? 1 : ldb;
    if (!transA) {
        const float *b = B;
        if (bstride != 1) {
            float *t = tmp((size_t)K);
            if (!t) return 0;
            for (int k = 0; k < K; k++) t[k] = B[k * bstride];
            b = t;
        }
        for (int m = 0; m < M; m++) {
            float s = alpha * dot(A + (long)m * lda, b, K);
            C[(long)m * ldc] = beta == 0.0f ? s : s + beta * C[(long)m * ldc];
        }
        return 1;
    }
    // op(A)[m, k] = A[k, m]: accumulate rows of A scaled by b_k.
    float *acc = tmp((size_t)M);
    if (!acc) return 0;
    for (int m = 0; m < M; m++) acc[m] = 0.0f;
    for (int k = 0; k < K; k++) {
        const float *row = A + (long)k * lda;
        const __m256 bk = _mm256_set1_ps(B[k * bstride]);
        int m = 0;
        for (; m + 8 <= M; m += 8) _mm256_storeu_ps(acc + m, _mm256_fmadd_ps(bk, _mm256_loadu_ps(row + m), _mm256_loadu_ps(acc + m)));
        for (; m < M; m++) acc[m] += B[k * bstride] * row[m];
    }
    for (int m = 0; m < M; m++) {
        float s = alpha * acc[m];
        C[(long)m * ldc] = beta == 0.0f ? s : s + beta * C[(long)m * ldc];
    }
    return 1;
}
#endif
