// Eight-wide vector operations for elementwise_template.h on AVX2 with FMA. These exp,
// sigmoid and tanh formulas are the ones the AVX-512 and NEON headers follow. Include only
// under __x86_64__.
#ifndef RECURRENT_CKERNELS_VEC_AVX2_H
#define RECURRENT_CKERNELS_VEC_AVX2_H
#include <immintrin.h>

#define RK_TARGET __attribute__((target("avx2,fma")))
#define RK_VEC static inline __attribute__((target("avx2,fma"), always_inline))
#define RK_W 8
typedef __m256 rkv;
typedef __m256i rkm;

/// Lane mask for the first n (< 8) lanes, for masked loads/stores of row tails.
RK_VEC rkm rkm_first(long n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
RK_VEC rkv rkv_set1(float x) { return _mm256_set1_ps(x); }
RK_VEC rkv rkv_ld(const float *p) { return _mm256_loadu_ps(p); }
RK_VEC void rkv_st(float *p, rkv v) { _mm256_storeu_ps(p, v); }
RK_VEC rkv rkv_ldm(const float *p, rkm m) { return _mm256_maskload_ps(p, m); }
RK_VEC void rkv_stm(float *p, rkv v, rkm m) { _mm256_maskstore_ps(p, m, v); }
RK_VEC rkv rkv_add(rkv a, rkv b) { return _mm256_add_ps(a, b); }
RK_VEC rkv rkv_sub(rkv a, rkv b) { return _mm256_sub_ps(a, b); }
RK_VEC rkv rkv_mul(rkv a, rkv b) { return _mm256_mul_ps(a, b); }
RK_VEC rkv rkv_fma(rkv a, rkv b, rkv c) { return _mm256_fmadd_ps(a, b, c); }    // a·b + c
RK_VEC rkv rkv_fnma(rkv a, rkv b, rkv c) { return _mm256_fnmadd_ps(a, b, c); }  // c − a·b
// max(x, 0) returns its second operand for NaN: 0, as the reference's (x > 0 ? x : 0).
RK_VEC rkv rkv_relu(rkv x) { return _mm256_max_ps(x, _mm256_setzero_ps()); }
// 1 where x > 0, else 0.
RK_VEC rkv rkv_step(rkv x) { return _mm256_and_ps(_mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ), _mm256_set1_ps(1.0f)); }

/// exp(x) for x <= 0 (the callers only need that half): returns 0 below -87.33, where the
/// true value would be a denormal (< 1.2e-38).
/// exp(x) = 2^n * exp(r), n = round(x / ln 2), r = x - n ln 2 in [-ln2/2, ln2/2], with ln 2
/// split in two parts (Cody-Waite) so r is exact; exp(r) by a degree-6 minimax polynomial
/// (the classic Cephes expf coefficients, relative error about 1e-7).
RK_VEC rkv rkv_exp_nonpos(rkv x) {
    const rkv lo = _mm256_set1_ps(-87.33f);
    rkv underflow = _mm256_cmp_ps(x, lo, _CMP_LT_OQ);
    x = _mm256_max_ps(x, lo);
    rkv n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                            _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    rkv r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    rkv p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    rkv r2 = _mm256_mul_ps(r, r);
    p = _mm256_fmadd_ps(p, r2, _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    // 2^n built in the exponent field; n >= -126 here so the result stays normal.
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    p = _mm256_mul_ps(p, _mm256_castsi256_ps(e));
    return _mm256_andnot_ps(underflow, p);
}

RK_VEC rkv rkv_keep_nan(rkv x, rkv y) { return _mm256_blendv_ps(y, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q)); }

/// 1 / (1 + e^-x) through e = e^-|x| <= 1, which never overflows:
/// x >= 0: 1 / (1 + e);  x < 0: e / (1 + e), keeping full relative accuracy for tiny results.
RK_VEC rkv rkv_sigmoid(rkv x) {
    rkv e = rkv_exp_nonpos(_mm256_or_ps(x, _mm256_set1_ps(-0.0f)));  // -|x|
    rkv inv = _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_add_ps(_mm256_set1_ps(1.0f), e));
    rkv neg = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ);
    return rkv_keep_nan(x, _mm256_blendv_ps(inv, _mm256_mul_ps(e, inv), neg));
}

/// tanh: |x| < 0.625 by the odd polynomial x + x^3 P(x^2) (Cephes tanhf coefficients;
/// avoids the cancellation in 1 - e for small x), otherwise sign(x) (1 - 2e / (1 + e)) with
/// e = e^-2|x|, which saturates to +-1 by itself.
RK_VEC rkv rkv_tanh(rkv x) {
    rkv ax = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
    rkv sign = _mm256_and_ps(x, _mm256_set1_ps(-0.0f));
    rkv e = rkv_exp_nonpos(_mm256_mul_ps(ax, _mm256_set1_ps(-2.0f)));
    rkv big = _mm256_sub_ps(_mm256_set1_ps(1.0f),
                            _mm256_div_ps(_mm256_add_ps(e, e), _mm256_add_ps(_mm256_set1_ps(1.0f), e)));
    big = _mm256_or_ps(big, sign);
    rkv z = _mm256_mul_ps(x, x);
    rkv p = _mm256_set1_ps(-5.70498872745e-3f);
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(2.06390887954e-2f));
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-5.37397155531e-2f));
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(1.33314422036e-1f));
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-3.33332819422e-1f));
    // The sign bit keeps tanh(-0) = -0 (x + x^3 P would round it to +0).
    rkv small = _mm256_or_ps(_mm256_fmadd_ps(_mm256_mul_ps(p, z), x, x), sign);
    return rkv_keep_nan(x, _mm256_blendv_ps(big, small, _mm256_cmp_ps(ax, _mm256_set1_ps(0.625f), _CMP_LT_OQ)));
}

#endif
