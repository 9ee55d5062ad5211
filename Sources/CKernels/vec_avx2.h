// Eight-wide vector operations for elementwise_template.h on AVX2 with FMA. Include only
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
// The sum of the eight lanes: halves, then pairs, then the last two.
RK_VEC float rkv_sum(rkv v) {
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    h = _mm_add_ss(h, _mm_shuffle_ps(h, h, 1));
    return _mm_cvtss_f32(h);
}
// max(x, 0) returns its second operand for NaN: 0, as the reference's (x > 0 ? x : 0).
RK_VEC rkv rkv_relu(rkv x) { return _mm256_max_ps(x, _mm256_setzero_ps()); }
// 1 where x > 0, else 0.
RK_VEC rkv rkv_step(rkv x) { return _mm256_and_ps(_mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_GT_OQ), _mm256_set1_ps(1.0f)); }

// The primitives elementwise_template.h builds exp, sigmoid and tanh from.
typedef __m256 rkb;  // lane mask from a comparison
RK_VEC rkb rkv_lt(rkv a, rkv b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
// !(x < lo), so NaN lanes count as not below.
RK_VEC rkb rkv_not_below(rkv x, rkv lo) { return _mm256_cmp_ps(x, lo, _CMP_NLT_UQ); }
RK_VEC rkv rkv_select(rkb m, rkv yes, rkv no) { return _mm256_blendv_ps(no, yes, m); }
RK_VEC rkv rkv_zero_unless(rkb m, rkv v) { return _mm256_and_ps(m, v); }
RK_VEC rkv rkv_max(rkv a, rkv b) { return _mm256_max_ps(a, b); }
RK_VEC rkv rkv_round(rkv x) { return _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
// p · 2^n for integral n in [-126, 127], the power built in the exponent field.
RK_VEC rkv rkv_scale_pow2(rkv p, rkv n) {
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
}
RK_VEC rkv rkv_abs(rkv x) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x); }
RK_VEC rkv rkv_neg_abs(rkv x) { return _mm256_or_ps(x, _mm256_set1_ps(-0.0f)); }
RK_VEC rkv rkv_sign_bit(rkv x) { return _mm256_and_ps(x, _mm256_set1_ps(-0.0f)); }
RK_VEC rkv rkv_or(rkv a, rkv b) { return _mm256_or_ps(a, b); }
// 1/d for d in [1, 2], and 1 - a/b: true divisions on this set.
RK_VEC rkv rkv_recip_1to2(rkv d) { return _mm256_div_ps(_mm256_set1_ps(1.0f), d); }
RK_VEC rkv rkv_one_minus_quotient(rkv a, rkv b) { return _mm256_sub_ps(_mm256_set1_ps(1.0f), _mm256_div_ps(a, b)); }
// x where x is NaN, else y.
RK_VEC rkv rkv_keep_nan(rkv x, rkv y) { return _mm256_blendv_ps(y, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q)); }

#endif
