// Sixteen-wide vector operations for elementwise_template.h on AVX-512F. Include only under
// __x86_64__.
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

// The primitives elementwise_template.h builds exp, sigmoid and tanh from. AVX-512F has no
// floating-point logic operations, so the sign-bit ones go through the integer unit.
typedef __mmask16 rkb;  // lane mask from a comparison
RK_VEC rkb rkv_lt(rkv a, rkv b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
// x >= lo (NaN lanes: false).
RK_VEC rkb rkv_not_below(rkv x, rkv lo) { return _mm512_cmp_ps_mask(x, lo, _CMP_GE_OQ); }
RK_VEC rkv rkv_select(rkb m, rkv yes, rkv no) { return _mm512_mask_blend_ps(m, no, yes); }
RK_VEC rkv rkv_zero_unless(rkb m, rkv v) { return _mm512_maskz_mov_ps(m, v); }
RK_VEC rkv rkv_max(rkv a, rkv b) { return _mm512_max_ps(a, b); }
RK_VEC rkv rkv_round(rkv x) { return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
RK_VEC rkv rkv_scale_pow2(rkv p, rkv n) { return _mm512_scalef_ps(p, n); }
RK_VEC rkv rkv_sign_mask(void) { return _mm512_castsi512_ps(_mm512_set1_epi32((int)0x80000000u)); }
RK_VEC rkv rkv_abs(rkv x) {
    return _mm512_castsi512_ps(_mm512_andnot_si512(_mm512_castps_si512(rkv_sign_mask()), _mm512_castps_si512(x)));
}
RK_VEC rkv rkv_or(rkv a, rkv b) { return _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(a), _mm512_castps_si512(b))); }
RK_VEC rkv rkv_neg_abs(rkv x) { return rkv_or(x, rkv_sign_mask()); }
RK_VEC rkv rkv_sign_bit(rkv x) {
    return _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(x), _mm512_castps_si512(rkv_sign_mask())));
}
/// 1/d for d in [1, 2] (the only divisors here): the 14-bit estimate and one Newton step,
/// r(2 - d r), about 1 ulp; a division on 512-bit vectors costs several times more.
RK_VEC rkv rkv_recip_1to2(rkv d) {
    rkv r = _mm512_rcp14_ps(d);
    return _mm512_mul_ps(r, _mm512_fnmadd_ps(d, r, _mm512_set1_ps(2.0f)));
}
// 1 - a/b for b in [1, 2], fused: 1 - a · (1/b).
RK_VEC rkv rkv_one_minus_quotient(rkv a, rkv b) { return _mm512_fnmadd_ps(a, rkv_recip_1to2(b), _mm512_set1_ps(1.0f)); }
// x where x is NaN, else y.
RK_VEC rkv rkv_keep_nan(rkv x, rkv y) { return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), y, x); }

#endif
