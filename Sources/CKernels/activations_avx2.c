// AVX2 sigmoid/tanh over arrays, and the bias/column-sum helpers used around the GEMMs.
#include "internal.h"

#if defined(__x86_64__)
#include "activations_avx2.h"

#define RK_MAP(name, fn)                                                              \
    __attribute__((target("avx2,fma"))) void name(const float *x, float *y, long n) { \
        long i = 0;                                                                   \
        for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, fn(_mm256_loadu_ps(x + i))); \
        if (i < n) {                                                                  \
            __m256i m = rk_tail_mask(n - i);                                          \
            _mm256_maskstore_ps(y + i, m, fn(_mm256_maskload_ps(x + i, m)));         \
        }                                                                             \
    }

RK_MAP(rk_sigmoid_avx2, rk_sigmoid8)
RK_MAP(rk_tanh_avx2, rk_tanh8)

__attribute__((target("avx2,fma")))
void rk_add_bias_rows_avx2(float *X, int M, int N, int ldx, const float *bias) {
    __m256i m = rk_tail_mask(N % 8);
    for (int i = 0; i < M; i++) {
        float *row = X + (long)i * ldx;
        int j = 0;
        for (; j + 8 <= N; j += 8)
            _mm256_storeu_ps(row + j, _mm256_add_ps(_mm256_loadu_ps(row + j), _mm256_loadu_ps(bias + j)));
        if (j < N)
            _mm256_maskstore_ps(row + j, m, _mm256_add_ps(_mm256_maskload_ps(row + j, m),
                                                          _mm256_maskload_ps(bias + j, m)));
    }
}

// Column blocks of 32 kept in registers across all rows, so acc is read and written once.
__attribute__((target("avx2,fma")))
void rk_accumulate_column_sums_avx2(const float *X, int M, int N, int ldx, float *acc) {
    int j = 0;
    for (; j + 32 <= N; j += 32) {
        __m256 s0 = _mm256_loadu_ps(acc + j), s1 = _mm256_loadu_ps(acc + j + 8);
        __m256 s2 = _mm256_loadu_ps(acc + j + 16), s3 = _mm256_loadu_ps(acc + j + 24);
        for (int i = 0; i < M; i++) {
            const float *row = X + (long)i * ldx + j;
            s0 = _mm256_add_ps(s0, _mm256_loadu_ps(row));
            s1 = _mm256_add_ps(s1, _mm256_loadu_ps(row + 8));
            s2 = _mm256_add_ps(s2, _mm256_loadu_ps(row + 16));
            s3 = _mm256_add_ps(s3, _mm256_loadu_ps(row + 24));
        }
        _mm256_storeu_ps(acc + j, s0);
        _mm256_storeu_ps(acc + j + 8, s1);
        _mm256_storeu_ps(acc + j + 16, s2);
        _mm256_storeu_ps(acc + j + 24, s3);
    }
    for (; j < N; j += 8) {
        __m256i m = rk_tail_mask(N - j < 8 ? N - j : 8);
        __m256 s = _mm256_maskload_ps(acc + j, m);
        for (int i = 0; i < M; i++) s = _mm256_add_ps(s, _mm256_maskload_ps(X + (long)i * ldx + j, m));
        _mm256_maskstore_ps(acc + j, m, s);
    }
}
#endif
