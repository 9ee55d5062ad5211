// NEON GEMM micro-kernel (AArch64): an 8x8 tile in 16 q-register accumulators; per k two
// A vectors and two B vectors feed 16 by-lane FMAs. Partial tiles go through the driver's
// scratch tile.
#include "internal.h"
#include <stddef.h>

#if defined(__aarch64__)
#include <arm_neon.h>

static void kernel_8x8(int kc, const float *A, const float *B, float alpha, float beta,
                       float *C, long ldc) {
    float32x4_t c[8][2];
    for (int r = 0; r < 8; r++) c[r][0] = c[r][1] = vdupq_n_f32(0.0f);
    for (int k = 0; k < kc; k++) {
        float32x4_t a0 = vld1q_f32(A), a1 = vld1q_f32(A + 4);
        float32x4_t b0 = vld1q_f32(B), b1 = vld1q_f32(B + 4);
        c[0][0] = vfmaq_laneq_f32(c[0][0], b0, a0, 0); c[0][1] = vfmaq_laneq_f32(c[0][1], b1, a0, 0);
        c[1][0] = vfmaq_laneq_f32(c[1][0], b0, a0, 1); c[1][1] = vfmaq_laneq_f32(c[1][1], b1, a0, 1);
        c[2][0] = vfmaq_laneq_f32(c[2][0], b0, a0, 2); c[2][1] = vfmaq_laneq_f32(c[2][1], b1, a0, 2);
        c[3][0] = vfmaq_laneq_f32(c[3][0], b0, a0, 3); c[3][1] = vfmaq_laneq_f32(c[3][1], b1, a0, 3);
        c[4][0] = vfmaq_laneq_f32(c[4][0], b0, a1, 0); c[4][1] = vfmaq_laneq_f32(c[4][1], b1, a1, 0);
        c[5][0] = vfmaq_laneq_f32(c[5][0], b0, a1, 1); c[5][1] = vfmaq_laneq_f32(c[5][1], b1, a1, 1);
        c[6][0] = vfmaq_laneq_f32(c[6][0], b0, a1, 2); c[6][1] = vfmaq_laneq_f32(c[6][1], b1, a1, 2);
        c[7][0] = vfmaq_laneq_f32(c[7][0], b0, a1, 3); c[7][1] = vfmaq_laneq_f32(c[7][1], b1, a1, 3);
        A += 8;
        B += 8;
    }
    const float32x4_t va = vdupq_n_f32(alpha), vb = vdupq_n_f32(beta);
    for (int r = 0; r < 8; r++) {
        float *cr = C + (long)r * ldc;
        float32x4_t l = vmulq_f32(va, c[r][0]), h = vmulq_f32(va, c[r][1]);
        if (beta != 0.0f) {
            l = vfmaq_f32(l, vb, vld1q_f32(cr));
            h = vfmaq_f32(h, vb, vld1q_f32(cr + 4));
        }
        vst1q_f32(cr, l);
        vst1q_f32(cr + 4, h);
    }
}

static const rk_gemm_config neon_config = {
    .mr = 8, .nr = 8, .mc = 64, .kc = 256, .nc = 2048, .kernel = kernel_8x8, .edge = NULL, .row = NULL,
};

const rk_gemm_config *rk_gemm_config_neon(void) { return &neon_config; }

#else
const rk_gemm_config *rk_gemm_config_neon(void) { return NULL; }
#endif
