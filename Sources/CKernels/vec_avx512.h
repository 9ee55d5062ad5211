// Sixteen-wide vector operations for elementwise_template.h on AVX-512F, with the same
// exp/sigmoid/tanh formulas as vec_avx2.h. Include only under __x86_64__.
#ifndef RECURRENT_CKERNELS_VEC_AVX512_H
#define RECURRENT_CKERNELS_VEC_AVX512_H
#include <immintrin.h>

#define RK_TARGET __attribute__((target("avx512f,avx2,fma")))
#define RK_VEC static inline __attribute__((target("avx512f,avx2,fma"), always_inline))
#define RK_W 16
typedef __m512 rkv;
typedef __mmask16 rkm;

RK_VEC rkm rkm_first(long n) { return (rkm)((1u << n) - 1u); }
RK_VEC rkv rkv_set1(float x) { return _mm512_set1_ps(x); }
RK_VEC rkv rkv_ld(const float *p) { return _mm512_loadu_ps(p); }
RK_VEC void rkv_st(float *p, rkv v) { _mm512_storeu_ps(p, v); }
RK_VEC rkv rkv_ldm(const float *p, rkm m) { return _mm512_maskz_loadu_ps(m, p); }
RK_VEC void rkv_stm(float *p, rkv v, rkm m) { _mm512_mask_storeu_ps(p, m, v); }
RK_VEC rkv rkv_add(rkv a, rkv b) { return _mm512_add_ps(a, b); }
RK_VEC rkv rkv_sub(rkv a, rkv b) { return _mm512_sub_ps(a, b); }
RK_VEC rkv rkv_mul(rkv a, rkv b) { return _mm512_mul_ps(a, b); }
RK_VEC rkv rkv_fma(rkv a, rkv b, rkv c) { return _mm512_fmadd_ps(a, b, c); }    // a·b + c
RK_VEC rkv rkv_fnma(rkv a, rkv b, rkv c) { return _mm512_fnmadd_ps(a, b, c); }  // c − a·b
// max(x, 0) returning 0 for NaN, as the reference's (x > 0 ? x : 0).
RK_VEC rkv rkv_relu(rkv x) { return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GT_OQ), x); }
// 1 where x > 0, else 0.
RK_VEC rkv rkv_step(rkv x) {
    return _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GT_OQ), _mm512_set1_ps(1.0f));
}

/// exp(x) for x <= 0, 0 below -87.33 (see rk_exp_nonpos in vec_avx2.h).
RK_VEC rkv rkv_exp_nonpos(rkv x) {
    const rkv lo = _mm512_set1_ps(-87.33f);
    rkm keep = _mm512_cmp_ps_mask(x, lo, _CMP_GE_OQ);
    x = _mm512_max_ps(x, lo);
    rkv n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                 _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    rkv r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    rkv p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    rkv r2 = _mm512_mul_ps(r, r);
    p = _mm512_fmadd_ps(p, r2, _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    // p · 2^n; n >= -126 here, so the product stays normal (as the AVX2 exponent-field build).
    return _mm512_maskz_mov_ps(keep, _mm512_scalef_ps(p, n));
}

RK_VEC rkv rkv_keep_nan(rkv x, rkv y) {
    return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), y, x);
}

/// 1/d for d in [1, 2] (the only divisors below): the 14-bit estimate and one Newton step,
/// r(2 - d r), about 1 ulp; a division on 512-bit vectors costs several times more.
RK_VEC rkv rkv_recip_1to2(rkv d) {
    rkv r = _mm512_rcp14_ps(d);
    return _mm512_mul_ps(r, _mm512_fnmadd_ps(d, r, _mm512_set1_ps(2.0f)));
}

RK_VEC rkv rkv_sigmoid(rkv x) {
    const rkv one = _mm512_set1_ps(1.0f);
    rkv neg_abs = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(x), _mm512_set1_epi32((int)0x80000000u)));
    rkv e = rkv_exp_nonpos(neg_abs);
    rkv inv = rkv_recip_1to2(_mm512_add_ps(one, e));
    rkm neg = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
    return rkv_keep_nan(x, _mm512_mask_mul_ps(inv, neg, e, inv));
}

RK_VEC rkv rkv_tanh(rkv x) {
    const rkv one = _mm512_set1_ps(1.0f);
    const __m512i sign_bit = _mm512_set1_epi32((int)0x80000000u);
    __m512i xi = _mm512_castps_si512(x);
    __m512i sign = _mm512_and_si512(xi, sign_bit);
    rkv ax = _mm512_castsi512_ps(_mm512_andnot_si512(sign_bit, xi));
    rkv e = rkv_exp_nonpos(_mm512_mul_ps(ax, _mm512_set1_ps(-2.0f)));
    rkv big = _mm512_fnmadd_ps(_mm512_add_ps(e, e), rkv_recip_1to2(_mm512_add_ps(one, e)), one);
    big = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(big), sign));
    rkv z = _mm512_mul_ps(x, x);
    rkv p = _mm512_set1_ps(-5.70498872745e-3f);
    p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(2.06390887954e-2f));
    p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(-5.37397155531e-2f));
    p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(1.33314422036e-1f));
    p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(-3.33332819422e-1f));
    rkv small = _mm512_fmadd_ps(_mm512_mul_ps(p, z), x, x);
    small = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(small), sign));
    rkm is_small = _mm512_cmp_ps_mask(ax, _mm512_set1_ps(0.625f), _CMP_LT_OQ);
    return rkv_keep_nan(x, _mm512_mask_blend_ps(is_small, big, small));
}

#endif
