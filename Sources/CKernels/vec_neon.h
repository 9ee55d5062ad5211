// Four-wide vector operations for elementwise_template.h on NEON (AArch64 Advanced SIMD),
// with the same exp/sigmoid/tanh formulas as vec_avx2.h. A partial vector is
// copied through a small buffer (NEON has no masked loads): rkm is the lane count.
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
RK_VEC rkv rkv_select(uint32x4_t m, rkv yes, rkv no) { return vbslq_f32(m, yes, no); }
// max(x, 0) returning 0 for NaN, as the reference's (x > 0 ? x : 0).
RK_VEC rkv rkv_relu(rkv x) { return rkv_select(vcgtq_f32(x, vdupq_n_f32(0)), x, vdupq_n_f32(0)); }
RK_VEC rkv rkv_step(rkv x) { return rkv_select(vcgtq_f32(x, vdupq_n_f32(0)), vdupq_n_f32(1), vdupq_n_f32(0)); }

/// exp(x) for x <= 0, 0 below -87.33 (see rk_exp_nonpos in vec_avx2.h).
RK_VEC rkv rkv_exp_nonpos(rkv x) {
    const rkv lo = vdupq_n_f32(-87.33f);
    uint32x4_t keep = vcgeq_f32(x, lo);
    x = vmaxq_f32(x, lo);
    rkv n = vrndnq_f32(vmulq_f32(x, vdupq_n_f32(1.44269504088896341f)));
    rkv r = vfmsq_f32(x, n, vdupq_n_f32(0.693359375f));
    r = vfmsq_f32(r, n, vdupq_n_f32(-2.12194440e-4f));
    rkv p = vdupq_n_f32(1.9875691500e-4f);
    p = vfmaq_f32(vdupq_n_f32(1.3981999507e-3f), p, r);
    p = vfmaq_f32(vdupq_n_f32(8.3334519073e-3f), p, r);
    p = vfmaq_f32(vdupq_n_f32(4.1665795894e-2f), p, r);
    p = vfmaq_f32(vdupq_n_f32(1.6666665459e-1f), p, r);
    p = vfmaq_f32(vdupq_n_f32(5.0000001201e-1f), p, r);
    rkv r2 = vmulq_f32(r, r);
    p = vfmaq_f32(vaddq_f32(r, vdupq_n_f32(1.0f)), p, r2);
    int32x4_t e = vshlq_n_s32(vaddq_s32(vcvtq_s32_f32(n), vdupq_n_s32(127)), 23);
    p = vmulq_f32(p, vreinterpretq_f32_s32(e));
    return vreinterpretq_f32_u32(vandq_u32(vreinterpretq_u32_f32(p), keep));
}

RK_VEC rkv rkv_keep_nan(rkv x, rkv y) { return rkv_select(vceqq_f32(x, x), y, x); }

RK_VEC rkv rkv_sigmoid(rkv x) {
    const rkv one = vdupq_n_f32(1.0f);
    rkv e = rkv_exp_nonpos(vnegq_f32(vabsq_f32(x)));
    rkv inv = vdivq_f32(one, vaddq_f32(one, e));
    rkv y = rkv_select(vcltq_f32(x, vdupq_n_f32(0)), vmulq_f32(e, inv), inv);
    return rkv_keep_nan(x, y);
}

RK_VEC rkv rkv_tanh(rkv x) {
    const rkv one = vdupq_n_f32(1.0f);
    const uint32x4_t sign_bit = vdupq_n_u32(0x80000000u);
    uint32x4_t sign = vandq_u32(vreinterpretq_u32_f32(x), sign_bit);
    rkv ax = vabsq_f32(x);
    rkv e = rkv_exp_nonpos(vmulq_f32(ax, vdupq_n_f32(-2.0f)));
    rkv big = vsubq_f32(one, vdivq_f32(vaddq_f32(e, e), vaddq_f32(one, e)));
    big = vreinterpretq_f32_u32(vorrq_u32(vreinterpretq_u32_f32(big), sign));
    rkv z = vmulq_f32(x, x);
    rkv p = vdupq_n_f32(-5.70498872745e-3f);
    p = vfmaq_f32(vdupq_n_f32(2.06390887954e-2f), p, z);
    p = vfmaq_f32(vdupq_n_f32(-5.37397155531e-2f), p, z);
    p = vfmaq_f32(vdupq_n_f32(1.33314422036e-1f), p, z);
    p = vfmaq_f32(vdupq_n_f32(-3.33332819422e-1f), p, z);
    rkv small = vfmaq_f32(x, vmulq_f32(p, z), x);
    small = vreinterpretq_f32_u32(vorrq_u32(vreinterpretq_u32_f32(small), sign));
    rkv y = rkv_select(vcltq_f32(ax, vdupq_n_f32(0.625f)), small, big);
    return rkv_keep_nan(x, y);
}

#endif
