// Eight-wide exp/sigmoid/tanh for the AVX2 kernels (header-only so the cell kernels can
// inline them). Include only from files that guard it with __x86_64__.
#ifndef RECURRENT_CKERNELS_ACTIVATIONS_AVX2_H
#define RECURRENT_CKERNELS_ACTIVATIONS_AVX2_H
#include <immintrin.h>

#define RK_AVX2 static inline __attribute__((target("avx2,fma"), always_inline))

/// exp(x) for x <= 0 (the callers only need that half): returns 0 below -87.33, where the
/// true value would be a denormal (< 1.2e-38).
/// exp(x) = 2^n * exp(r), n = round(x / ln 2), r = x - n ln 2 in [-ln2/2, ln2/2], with ln 2
/// split in two parts (Cody-Waite) so r is exact; exp(r) by a degree-6 minimax polynomial
/// (the classic Cephes expf coefficients, relative error about 1e-7).
RK_AVX2 __m256 rk_exp_nonpos(__m256 x) {
    const __m256 lo = _mm256_set1_ps(-87.33f);
    __m256 underflow = _mm256_cmp_ps(x, lo, _CMP_LT_OQ);
    x = _mm256_max_ps(x, lo);
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    __m256 r2 = _mm256_mul_ps(r, r);
    p = _mm256_fmadd_ps(p, r2, _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    // 2^n built in the exponent field; n >= -126 here so the result stays normal.
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    p = _mm256_mul_ps(p, _mm256_castsi256_ps(e));
    return _mm256_andnot_ps(underflow, p);
}

RK_AVX2 __m256 rk_abs(__m256 x) {
    return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
}

RK_AVX2 __m256 rk_keep_nan(__m256 x, __m256 y) {
    return _mm256_blendv_ps(y, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
}

/// 1 / (1 + e^-x) through e = e^-|x| <= 1, which never overflows:
/// x >= 0: 1 / (1 + e);  x < 0: e / (1 + e), keeping full relative accuracy for tiny results.
RK_AVX2 __m256 rk_sigmoid8(__m256 x) {
    __m256 e = rk_exp_nonpos(_mm256_or_ps(x, _mm256_set1_ps(-0.0f)));  // -|x|
    __m256 inv = _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_add_ps(_mm256_set1_ps(1.0f), e));
    __m256 neg = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ);
    __m256 y = _mm256_blendv_ps(inv, _mm256_mul_ps(e, inv), neg);
    return rk_keep_nan(x, y);
}

/// tanh: |x| < 0.625 by the odd polynomial x + x^3 P(x^2) (Cephes tanhf coefficients;
/// avoids the cancellation in 1 - e for small x), otherwise sign(x) (1 - 2e / (1 + e)) with
/// e = e^-2|x|, which saturates to +-1 by itself.
RK_AVX2 __m256 rk_tanh8(__m256 x) {
    __m256 ax = rk_abs(x);
    __m256 sign = _mm256_and_ps(x, _mm256_set1_ps(-0.0f));
    __m256 e = rk_exp_nonpos(_mm256_mul_ps(ax, _mm256_set1_ps(-2.0f)));
    __m256 big = _mm256_sub_ps(_mm256_set1_ps(1.0f),
                               _mm256_div_ps(_mm256_add_ps(e, e), _mm256_add_ps(_mm256_set1_ps(1.0f), e)));
    big = _mm256_or_ps(big, sign);
    __m256 z = _mm256_mul_ps(x, x);
    __m256 p = _mm256_set1_ps(-5.70498872745e-3f);
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(2.06390887954e-2f));
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-5.37397155531e-2f));
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(1.33314422036e-1f));
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-3.33332819422e-1f));
    // The sign bit keeps tanh(-0) = -0 (x + x^3 P would round it to +0).
    __m256 small = _mm256_or_ps(_mm256_fmadd_ps(_mm256_mul_ps(p, z), x, x), sign);
    __m256 y = _mm256_blendv_ps(big, small, _mm256_cmp_ps(ax, _mm256_set1_ps(0.625f), _CMP_LT_OQ));
    return rk_keep_nan(x, y);
}

/// Lane mask for the first n (< 8) lanes, for masked loads/stores of row tails.
RK_AVX2 __m256i rk_tail_mask(long n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

#endif
