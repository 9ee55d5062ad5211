// Four-wide vector operations for elementwise_template.h on NEON (AArch64 Advanced SIMD). A
// partial vector is copied through a small buffer (NEON has no masked loads): rkm is the
// lane count.
#ifndef RECURRENT_CKERNELS_VEC_NEON_H
#define RECURRENT_CKERNELS_VEC_NEON_H
#include <arm_neon.h>
#include <string.h>

#define RK_TARGET
#define RK_VEC static inline __attribute__((always_inline))
#define RK_W 4
typedef float32x4_t rkv;
typedef int rkm;

RK_VEC rkm rkm_first(long n) { return (rkm)n; }
RK_VEC rkv rkv_set1(float x) { return vdupq_n_f32(x); }
RK_VEC rkv rkv_ld(const float *p) { return vld1q_f32(p); }
RK_VEC void rkv_st(float *p, rkv v) { vst1q_f32(p, v); }
RK_VEC rkv rkv_ldm(const float *p, rkm m) {
    float t[4] = {0, 0, 0, 0};
    memcpy(t, p, (size_t)m * sizeof(float));
    return vld1q_f32(t);
}
RK_VEC void rkv_stm(float *p, rkv v, rkm m) {
    float t[4];
    vst1q_f32(t, v);
    memcpy(p, t, (size_t)m * sizeof(float));
}
RK_VEC rkv rkv_add(rkv a, rkv b) { return vaddq_f32(a, b); }
RK_VEC rkv rkv_sub(rkv a, rkv b) { return vsubq_f32(a, b); }
RK_VEC rkv rkv_mul(rkv a, rkv b) { return vmulq_f32(a, b); }
RK_VEC rkv rkv_fma(rkv a, rkv b, rkv c) { return vfmaq_f32(c, a, b); }   // a·b + c
RK_VEC rkv rkv_fnma(rkv a, rkv b, rkv c) { return vfmsq_f32(c, a, b); }  // c − a·b
// The sum of the four lanes.
RK_VEC float rkv_sum(rkv v) { return vaddvq_f32(v); }
RK_VEC rkv rkv_select(uint32x4_t m, rkv yes, rkv no) { return vbslq_f32(m, yes, no); }
// max(x, 0) returning 0 for NaN, as the reference's (x > 0 ? x : 0).
RK_VEC rkv rkv_relu(rkv x) { return rkv_select(vcgtq_f32(x, vdupq_n_f32(0)), x, vdupq_n_f32(0)); }
RK_VEC rkv rkv_step(rkv x) { return rkv_select(vcgtq_f32(x, vdupq_n_f32(0)), vdupq_n_f32(1), vdupq_n_f32(0)); }

// The primitives elementwise_template.h builds exp, sigmoid and tanh from.
typedef uint32x4_t rkb;  // lane mask from a comparison
RK_VEC rkb rkv_lt(rkv a, rkv b) { return vcltq_f32(a, b); }
// x >= lo (NaN lanes: false).
RK_VEC rkb rkv_not_below(rkv x, rkv lo) { return vcgeq_f32(x, lo); }
RK_VEC rkv rkv_zero_unless(rkb m, rkv v) { return vreinterpretq_f32_u32(vandq_u32(vreinterpretq_u32_f32(v), m)); }
RK_VEC rkv rkv_max(rkv a, rkv b) { return vmaxq_f32(a, b); }
RK_VEC rkv rkv_round(rkv x) { return vrndnq_f32(x); }
// p · 2^n for integral n in [-126, 127], the power built in the exponent field.
RK_VEC rkv rkv_scale_pow2(rkv p, rkv n) {
    int32x4_t e = vshlq_n_s32(vaddq_s32(vcvtq_s32_f32(n), vdupq_n_s32(127)), 23);
    return vmulq_f32(p, vreinterpretq_f32_s32(e));
}
RK_VEC rkv rkv_abs(rkv x) { return vabsq_f32(x); }
RK_VEC rkv rkv_neg_abs(rkv x) { return vnegq_f32(vabsq_f32(x)); }
RK_VEC rkv rkv_sign_bit(rkv x) { return vreinterpretq_f32_u32(vandq_u32(vreinterpretq_u32_f32(x), vdupq_n_u32(0x80000000u))); }
RK_VEC rkv rkv_or(rkv a, rkv b) { return vreinterpretq_f32_u32(vorrq_u32(vreinterpretq_u32_f32(a), vreinterpretq_u32_f32(b))); }
// 1/d for d in [1, 2], and 1 - a/b: true divisions on this set.
RK_VEC rkv rkv_recip_1to2(rkv d) { return vdivq_f32(vdupq_n_f32(1.0f), d); }
RK_VEC rkv rkv_one_minus_quotient(rkv a, rkv b) { return vsubq_f32(vdupq_n_f32(1.0f), vdivq_f32(a, b)); }
// x where x is NaN, else y.
RK_VEC rkv rkv_keep_nan(rkv x, rkv y) { return rkv_select(vceqq_f32(x, x), y, x); }

#endif
