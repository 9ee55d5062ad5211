// Fused AVX2 recurrent-cell kernels: the same formulas as reference.c, eight hidden units
// at a time, with masked loads/stores for the last partial vector of each row.
#include "internal.h"

#if defined(__x86_64__)
#include "activations_avx2.h"

// `tail` is a compile-time constant at every call site, so the full-vector bodies use
// plain loads and stores.
RK_AVX2 __m256 ld(const float *p, __m256i m, int tail) {
    return tail ? _mm256_maskload_ps(p, m) : _mm256_loadu_ps(p);
}
RK_AVX2 void st(float *p, __m256 v, __m256i m, int tail) {
    if (tail) _mm256_maskstore_ps(p, m, v);
    else _mm256_storeu_ps(p, v);
}

// Runs body(row, j, mask, tail) over j in steps of 8 for each of the B rows.
#define RK_ROWS(B, H, body)                                      \
    do {                                                         \
        __m256i m_ = rk_tail_mask((H) % 8);                      \
        for (int b_ = 0; b_ < (B); b_++) {                       \
            int j_ = 0;                                          \
            for (; j_ + 8 <= (H); j_ += 8) body(b_, j_, m_, 0);  \
            if (j_ < (H)) body(b_, j_, m_, 1);                   \
        }                                                        \
    } while (0)

RK_AVX2 void rnn_fwd8(int activation, const float *xp, const float *hh, float *h, long k,
                      __m256i m, int tail) {
    __m256 pre = _mm256_add_ps(ld(xp + k, m, tail), ld(hh + k, m, tail));
    // max(pre, 0) returns its second operand for NaN, as the reference's (pre > 0 ? pre : 0).
    st(h + k, activation == 0 ? rk_tanh8(pre) : _mm256_max_ps(pre, _mm256_setzero_ps()), m, tail);
}

__attribute__((target("avx2,fma")))
void rk_rnn_forward_avx2(int B, int H, int activation, const float *xp, const float *hh, float *h) {
#define BODY(b, j, m, tail) rnn_fwd8(activation, xp, hh, h, (long)(b) * H + (j), m, tail)
    RK_ROWS(B, H, BODY);
#undef BODY
}

RK_AVX2 void rnn_bwd8(int activation, const float *dh, const float *h, float *dpre, long k,
                      __m256i m, int tail) {
    __m256 hv = ld(h + k, m, tail), one = _mm256_set1_ps(1.0f), d;
    if (activation == 0) d = _mm256_sub_ps(one, _mm256_mul_ps(hv, hv));
    else d = _mm256_and_ps(_mm256_cmp_ps(hv, _mm256_setzero_ps(), _CMP_GT_OQ), one);
    st(dpre + k, _mm256_mul_ps(ld(dh + k, m, tail), d), m, tail);
}

__attribute__((target("avx2,fma")))
void rk_rnn_backward_avx2(int B, int H, int activation, const float *dh, const float *h, float *dpre) {
#define BODY(b, j, m, tail) rnn_bwd8(activation, dh, h, dpre, (long)(b) * H + (j), m, tail)
    RK_ROWS(B, H, BODY);
#undef BODY
}

RK_AVX2 void lstm_fwd8(int H, const float *x, const float *r, const float *c_prev, float *g,
                       float *c, float *tc, float *h, int j, long k, __m256i m, int tail) {
    __m256 ig = rk_sigmoid8(_mm256_add_ps(ld(x + j, m, tail), ld(r + j, m, tail)));
    __m256 fg = rk_sigmoid8(_mm256_add_ps(ld(x + H + j, m, tail), ld(r + H + j, m, tail)));
    __m256 gg = rk_tanh8(_mm256_add_ps(ld(x + 2 * H + j, m, tail), ld(r + 2 * H + j, m, tail)));
    __m256 og = rk_sigmoid8(_mm256_add_ps(ld(x + 3 * H + j, m, tail), ld(r + 3 * H + j, m, tail)));
    __m256 cn = _mm256_fmadd_ps(fg, ld(c_prev + k, m, tail), _mm256_mul_ps(ig, gg));
    __m256 t = rk_tanh8(cn);
    st(g + j, ig, m, tail);
    st(g + H + j, fg, m, tail);
    st(g + 2 * H + j, gg, m, tail);
    st(g + 3 * H + j, og, m, tail);
    st(c + k, cn, m, tail);
    st(tc + k, t, m, tail);
    st(h + k, _mm256_mul_ps(og, t), m, tail);
}

__attribute__((target("avx2,fma")))
void rk_lstm_forward_avx2(int B, int H, const float *xp, const float *hh, const float *c_prev,
                          float *gates, float *c, float *tc, float *h) {
#define BODY(b, j, m, tail)                                                                \
    lstm_fwd8(H, xp + (long)(b) * 4 * H, hh + (long)(b) * 4 * H, c_prev,                  \
              gates + (long)(b) * 4 * H, c, tc, h, j, (long)(b) * H + (j), m, tail)
    RK_ROWS(B, H, BODY);
#undef BODY
}

RK_AVX2 void lstm_bwd8(int H, const float *dh, float *dc, const float *g, const float *c_prev,
                       const float *tc, float *d, int j, long k, __m256i m, int tail) {
    const __m256 one = _mm256_set1_ps(1.0f);
    __m256 ig = ld(g + j, m, tail), fg = ld(g + H + j, m, tail);
    __m256 gg = ld(g + 2 * H + j, m, tail), og = ld(g + 3 * H + j, m, tail);
    __m256 t = ld(tc + k, m, tail), dhv = ld(dh + k, m, tail);
    __m256 dct = _mm256_fmadd_ps(_mm256_mul_ps(dhv, og), _mm256_fnmadd_ps(t, t, one), ld(dc + k, m, tail));
    st(d + j, _mm256_mul_ps(_mm256_mul_ps(dct, gg), _mm256_mul_ps(ig, _mm256_sub_ps(one, ig))), m, tail);
    st(d + H + j, _mm256_mul_ps(_mm256_mul_ps(dct, ld(c_prev + k, m, tail)),
                                _mm256_mul_ps(fg, _mm256_sub_ps(one, fg))), m, tail);
    st(d + 2 * H + j, _mm256_mul_ps(_mm256_mul_ps(dct, ig), _mm256_fnmadd_ps(gg, gg, one)), m, tail);
    st(d + 3 * H + j, _mm256_mul_ps(_mm256_mul_ps(dhv, t), _mm256_mul_ps(og, _mm256_sub_ps(one, og))), m, tail);
    st(dc + k, _mm256_mul_ps(dct, fg), m, tail);
}

__attribute__((target("avx2,fma")))
void rk_lstm_backward_avx2(int B, int H, const float *dh, float *dc, const float *gates,
                           const float *c_prev, const float *tc, float *dpre) {
#define BODY(b, j, m, tail)                                                                \
    lstm_bwd8(H, dh, dc, gates + (long)(b) * 4 * H, c_prev, tc, dpre + (long)(b) * 4 * H, \
              j, (long)(b) * H + (j), m, tail)
    RK_ROWS(B, H, BODY);
#undef BODY
}

RK_AVX2 void gru_fwd8(int H, const float *x, const float *r, const float *h_prev, float *g,
                      float *h, int j, long k, __m256i m, int tail) {
    __m256 rg = rk_sigmoid8(_mm256_add_ps(ld(x + j, m, tail), ld(r + j, m, tail)));
    __m256 zg = rk_sigmoid8(_mm256_add_ps(ld(x + H + j, m, tail), ld(r + H + j, m, tail)));
    __m256 ng = rk_tanh8(_mm256_fmadd_ps(rg, ld(r + 2 * H + j, m, tail), ld(x + 2 * H + j, m, tail)));
    st(g + j, rg, m, tail);
    st(g + H + j, zg, m, tail);
    st(g + 2 * H + j, ng, m, tail);
    // (1 - z) n + z h_prev = n + z (h_prev - n)
    st(h + k, _mm256_fmadd_ps(zg, _mm256_sub_ps(ld(h_prev + k, m, tail), ng), ng), m, tail);
}

__attribute__((target("avx2,fma")))
void rk_gru_forward_avx2(int B, int H, const float *xp, const float *hh, const float *h_prev,
                         float *gates, float *h) {
#define BODY(b, j, m, tail)                                                                \
    gru_fwd8(H, xp + (long)(b) * 3 * H, hh + (long)(b) * 3 * H, h_prev,                   \
             gates + (long)(b) * 3 * H, h, j, (long)(b) * H + (j), m, tail)
    RK_ROWS(B, H, BODY);
#undef BODY
}

RK_AVX2 void gru_bwd8(int H, const float *dh, const float *g, const float *r, const float *h_prev,
                      float *dx, float *dr, float *dh_prev, int j, long k, __m256i m, int tail) {
    const __m256 one = _mm256_set1_ps(1.0f);
    __m256 rg = ld(g + j, m, tail), zg = ld(g + H + j, m, tail), ng = ld(g + 2 * H + j, m, tail);
    __m256 d = ld(dh + k, m, tail);
    __m256 dn = _mm256_mul_ps(_mm256_mul_ps(d, _mm256_sub_ps(one, zg)), _mm256_fnmadd_ps(ng, ng, one));
    __m256 dz = _mm256_mul_ps(_mm256_mul_ps(d, _mm256_sub_ps(ld(h_prev + k, m, tail), ng)),
                              _mm256_mul_ps(zg, _mm256_sub_ps(one, zg)));
    __m256 drr = _mm256_mul_ps(_mm256_mul_ps(dn, ld(r + 2 * H + j, m, tail)),
                               _mm256_mul_ps(rg, _mm256_sub_ps(one, rg)));
    st(dx + j, drr, m, tail);
    st(dr + j, drr, m, tail);
    st(dx + H + j, dz, m, tail);
    st(dr + H + j, dz, m, tail);
    st(dx + 2 * H + j, dn, m, tail);
    st(dr + 2 * H + j, _mm256_mul_ps(dn, rg), m, tail);
    st(dh_prev + k, _mm256_mul_ps(d, zg), m, tail);
}

__attribute__((target("avx2,fma")))
void rk_gru_backward_avx2(int B, int H, const float *dh, const float *gates, const float *hh,
                          const float *h_prev, float *dxp, float *dhh, float *dh_prev) {
#define BODY(b, j, m, tail)                                                                \
    gru_bwd8(H, dh, gates + (long)(b) * 3 * H, hh + (long)(b) * 3 * H, h_prev,            \
             dxp + (long)(b) * 3 * H, dhh + (long)(b) * 3 * H, dh_prev, j,                \
             (long)(b) * H + (j), m, tail)
    RK_ROWS(B, H, BODY);
#undef BODY
}
#endif
