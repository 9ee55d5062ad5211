// The element-wise kernels written once over a vector type: exp, sigmoid and tanh, the
// activations over arrays, bias rows, column sums and the fused RNN/LSTM/GRU cells with the
// formulas of reference.c. Before including, define RK_SFX (the name suffix) and include a
// vector header that provides rkv/rkm/rkb, RK_W, RK_TARGET, RK_VEC and the rkv_* operations
// (vec_avx2.h, vec_avx512.h, vec_neon.h). Every row is processed RK_W units at a time, the
// last partial vector with masked (or copied) loads and stores.
#include "internal.h"

#define RK_CAT2(a, b) a##_##b
#define RK_CAT(a, b) RK_CAT2(a, b)
#define RK_NAME(base) RK_CAT(base, RK_SFX)

// `tail` is a compile-time constant at every call site, so full vectors use plain loads.
RK_VEC rkv ld(const float *p, rkm m, int tail) { return tail ? rkv_ldm(p, m) : rkv_ld(p); }
RK_VEC void st(float *p, rkv v, rkm m, int tail) {
    if (tail) rkv_stm(p, v, m);
    else rkv_st(p, v);
}

/// exp(x) for x <= 0 (the callers only need that half): 0 below -87.33, where the true
/// value would be a denormal (< 1.2e-38). exp(x) = 2^n exp(r), n = round(x / ln 2),
/// r = x - n ln 2 in [-ln2/2, ln2/2] with ln 2 split in two parts (Cody-Waite) so r is exact;
/// exp(r) by a degree-6 minimax polynomial (the Cephes expf coefficients, relative error
/// about 1e-7). NaN lanes may come back as anything: the callers restore them.
RK_VEC rkv rkv_exp_nonpos(rkv x) {
    const rkv lo = rkv_set1(-87.33f);
    rkb keep = rkv_not_below(x, lo);
    x = rkv_max(x, lo);
    rkv n = rkv_round(rkv_mul(x, rkv_set1(1.44269504088896341f)));
    rkv r = rkv_fnma(n, rkv_set1(0.693359375f), x);
    r = rkv_fnma(n, rkv_set1(-2.12194440e-4f), r);
    rkv p = rkv_set1(1.9875691500e-4f);
    p = rkv_fma(p, r, rkv_set1(1.3981999507e-3f));
    p = rkv_fma(p, r, rkv_set1(8.3334519073e-3f));
    p = rkv_fma(p, r, rkv_set1(4.1665795894e-2f));
    p = rkv_fma(p, r, rkv_set1(1.6666665459e-1f));
    p = rkv_fma(p, r, rkv_set1(5.0000001201e-1f));
    p = rkv_fma(p, rkv_mul(r, r), rkv_add(r, rkv_set1(1.0f)));
    // n >= -126 here, so p · 2^n stays normal.
    return rkv_zero_unless(keep, rkv_scale_pow2(p, n));
}

/// 1 / (1 + e^-x) through e = e^-|x| <= 1, which never overflows:
/// x >= 0: 1 / (1 + e);  x < 0: e / (1 + e), keeping full relative accuracy for tiny results.
RK_VEC rkv rkv_sigmoid(rkv x) {
    rkv e = rkv_exp_nonpos(rkv_neg_abs(x));
    rkv inv = rkv_recip_1to2(rkv_add(rkv_set1(1.0f), e));
    return rkv_keep_nan(x, rkv_select(rkv_lt(x, rkv_set1(0.0f)), rkv_mul(e, inv), inv));
}

/// tanh: |x| < 0.625 by the odd polynomial x + x^3 P(x^2) (Cephes tanhf coefficients;
/// avoids the cancellation in 1 - e for small x), otherwise sign(x) (1 - 2e / (1 + e)) with
/// e = e^-2|x|, which saturates to +-1 by itself. The sign bit is or-ed back in, which keeps
/// tanh(-0) = -0 (x + x^3 P would round it to +0).
RK_VEC rkv rkv_tanh(rkv x) {
    rkv ax = rkv_abs(x), sign = rkv_sign_bit(x);
    rkv e = rkv_exp_nonpos(rkv_mul(ax, rkv_set1(-2.0f)));
    rkv big = rkv_or(rkv_one_minus_quotient(rkv_add(e, e), rkv_add(rkv_set1(1.0f), e)), sign);
    rkv z = rkv_mul(x, x);
    rkv p = rkv_set1(-5.70498872745e-3f);
    p = rkv_fma(p, z, rkv_set1(2.06390887954e-2f));
    p = rkv_fma(p, z, rkv_set1(-5.37397155531e-2f));
    p = rkv_fma(p, z, rkv_set1(1.33314422036e-1f));
    p = rkv_fma(p, z, rkv_set1(-3.33332819422e-1f));
    rkv small = rkv_or(rkv_fma(rkv_mul(p, z), x, x), sign);
    return rkv_keep_nan(x, rkv_select(rkv_lt(ax, rkv_set1(0.625f)), small, big));
}

// Runs body(row, j, mask, tail) over j in steps of RK_W for each of the B rows.
#define RK_ROWS(B, H, body)                                       \
    do {                                                          \
        rkm m_ = rkm_first((H) % RK_W);                           \
        for (int b_ = 0; b_ < (B); b_++) {                        \
            int j_ = 0;                                           \
            for (; j_ + RK_W <= (H); j_ += RK_W) body(b_, j_, m_, 0); \
            if (j_ < (H)) body(b_, j_, m_, 1);                    \
        }                                                         \
    } while (0)

// y[i] = fn(x[i]) over whole vectors, then one masked vector for the rest.
#define RK_MAP_ARRAY(name, fn)                                                  \
    RK_TARGET void RK_NAME(name)(const float *x, float *y, long n) {            \
        long i = 0;                                                             \
        for (; i + RK_W <= n; i += RK_W) rkv_st(y + i, fn(rkv_ld(x + i)));      \
        if (i < n) {                                                            \
            rkm m = rkm_first(n - i);                                           \
            rkv_stm(y + i, fn(rkv_ldm(x + i, m)), m);                           \
        }                                                                       \
    }
RK_MAP_ARRAY(rk_sigmoid, rkv_sigmoid)
RK_MAP_ARRAY(rk_tanh, rkv_tanh)

RK_TARGET void RK_NAME(rk_add_bias_rows)(float *X, int M, int N, int ldx, const float *bias) {
    for (int i = 0; i < M; i++) {
        float *row = X + (long)i * ldx;
#define BODY(b, j, m, tail) st(row + (j), rkv_add(ld(row + (j), m, tail), ld(bias + (j), m, tail)), m, tail)
        RK_ROWS(1, N, BODY);
#undef BODY
    }
}

// Up to eight vectors of columns kept in registers across all rows, so acc is read and
// written once and each row is read in runs of 8·RK_W floats (a 2-vector version spent 9 % of
// GRU(128) training here, striding through the matrix 16 times). Every column is still one
// sum over the rows in order, as in reference.c.
#define RK_COLSUM_GROUP(V)                                                              \
    for (; j + (V) * RK_W <= N; j += (V) * RK_W) {                                      \
        rkv s[V];                                                                       \
        for (int v = 0; v < (V); v++) s[v] = rkv_ld(acc + j + v * RK_W);                \
        for (int i = 0; i < M; i++) {                                                   \
            const float *row = X + (long)i * ldx + j;                                   \
            for (int v = 0; v < (V); v++) s[v] = rkv_add(s[v], rkv_ld(row + v * RK_W)); \
        }                                                                               \
        for (int v = 0; v < (V); v++) rkv_st(acc + j + v * RK_W, s[v]);                 \
    }
RK_TARGET void RK_NAME(rk_accumulate_column_sums)(const float *X, int M, int N, int ldx, float *acc) {
    int j = 0;
    RK_COLSUM_GROUP(8)
    RK_COLSUM_GROUP(2)
    for (; j < N; j += RK_W) {
        rkm m = rkm_first(N - j < RK_W ? N - j : RK_W);
        rkv s = rkv_ldm(acc + j, m);
        for (int i = 0; i < M; i++) s = rkv_add(s, rkv_ldm(X + (long)i * ldx + j, m));
        rkv_stm(acc + j, s, m);
    }
}
#undef RK_COLSUM_GROUP

RK_VEC void rnn_fwd(int activation, const float *xp, const float *hh, float *h, long k, rkm m, int tail) {
    rkv pre = rkv_add(ld(xp + k, m, tail), ld(hh + k, m, tail));
    st(h + k, activation == 0 ? rkv_tanh(pre) : rkv_relu(pre), m, tail);
}

RK_TARGET void RK_NAME(rk_rnn_forward)(int B, int H, int activation, const float *xp, const float *hh, float *h) {
#define BODY(b, j, m, tail) rnn_fwd(activation, xp, hh, h, (long)(b) * H + (j), m, tail)
    RK_ROWS(B, H, BODY);
#undef BODY
}

RK_VEC void rnn_bwd(int activation, const float *dh, const float *h, float *dpre, long k, rkm m, int tail) {
    rkv hv = ld(h + k, m, tail);
    rkv d = activation == 0 ? rkv_fnma(hv, hv, rkv_set1(1.0f)) : rkv_step(hv);
    st(dpre + k, rkv_mul(ld(dh + k, m, tail), d), m, tail);
}

RK_TARGET void RK_NAME(rk_rnn_backward)(int B, int H, int activation, const float *dh, const float *h, float *dpre) {
#define BODY(b, j, m, tail) rnn_bwd(activation, dh, h, dpre, (long)(b) * H + (j), m, tail)
    RK_ROWS(B, H, BODY);
#undef BODY
}

RK_VEC void lstm_fwd(int H, const float *x, const float *r, const float *c_prev, float *g, float *c,
                     float *tc, float *h, int j, long k, rkm m, int tail) {
    rkv ig = rkv_sigmoid(rkv_add(ld(x + j, m, tail), ld(r + j, m, tail)));
    rkv fg = rkv_sigmoid(rkv_add(ld(x + H + j, m, tail), ld(r + H + j, m, tail)));
    rkv gg = rkv_tanh(rkv_add(ld(x + 2 * H + j, m, tail), ld(r + 2 * H + j, m, tail)));
    rkv og = rkv_sigmoid(rkv_add(ld(x + 3 * H + j, m, tail), ld(r + 3 * H + j, m, tail)));
    rkv cn = rkv_fma(fg, ld(c_prev + k, m, tail), rkv_mul(ig, gg));
    rkv t = rkv_tanh(cn);
    st(g + j, ig, m, tail);
    st(g + H + j, fg, m, tail);
    st(g + 2 * H + j, gg, m, tail);
    st(g + 3 * H + j, og, m, tail);
    st(c + k, cn, m, tail);
    st(tc + k, t, m, tail);
    st(h + k, rkv_mul(og, t), m, tail);
}

RK_TARGET void RK_NAME(rk_lstm_forward)(int B, int H, const float *xp, const float *hh, const float *c_prev,
                                        float *gates, float *c, float *tc, float *h) {
#define BODY(b, j, m, tail)                                                                           \
    lstm_fwd(H, xp + (long)(b) * 4 * H, hh + (long)(b) * 4 * H, c_prev,                               \
             gates + (long)(b) * 4 * H, c, tc, h, j, (long)(b) * H + (j), m, tail)
    RK_ROWS(B, H, BODY);
#undef BODY
}

RK_VEC void lstm_bwd(int H, const float *dh, float *dc, const float *g, const float *c_prev, const float *tc,
                     float *d, int j, long k, rkm m, int tail) {
    const rkv one = rkv_set1(1.0f);
    rkv ig = ld(g + j, m, tail), fg = ld(g + H + j, m, tail);
    rkv gg = ld(g + 2 * H + j, m, tail), og = ld(g + 3 * H + j, m, tail);
    rkv t = ld(tc + k, m, tail), dhv = ld(dh + k, m, tail);
    rkv dct = rkv_fma(rkv_mul(dhv, og), rkv_fnma(t, t, one), ld(dc + k, m, tail));
    st(d + j, rkv_mul(rkv_mul(dct, gg), rkv_mul(ig, rkv_sub(one, ig))), m, tail);
    st(d + H + j, rkv_mul(rkv_mul(dct, ld(c_prev + k, m, tail)), rkv_mul(fg, rkv_sub(one, fg))), m, tail);
    st(d + 2 * H + j, rkv_mul(rkv_mul(dct, ig), rkv_fnma(gg, gg, one)), m, tail);
    st(d + 3 * H + j, rkv_mul(rkv_mul(dhv, t), rkv_mul(og, rkv_sub(one, og))), m, tail);
    st(dc + k, rkv_mul(dct, fg), m, tail);
}

RK_TARGET void RK_NAME(rk_lstm_backward)(int B, int H, const float *dh, float *dc, const float *gates,
                                         const float *c_prev, const float *tc, float *dpre) {
#define BODY(b, j, m, tail)                                                                           \
    lstm_bwd(H, dh, dc, gates + (long)(b) * 4 * H, c_prev, tc, dpre + (long)(b) * 4 * H, j,           \
             (long)(b) * H + (j), m, tail)
    RK_ROWS(B, H, BODY);
#undef BODY
}

RK_VEC void gru_fwd(int H, const float *x, const float *r, const float *h_prev, float *g, float *h, int j,
                    long k, rkm m, int tail) {
    rkv rg = rkv_sigmoid(rkv_add(ld(x + j, m, tail), ld(r + j, m, tail)));
    rkv zg = rkv_sigmoid(rkv_add(ld(x + H + j, m, tail), ld(r + H + j, m, tail)));
    rkv ng = rkv_tanh(rkv_fma(rg, ld(r + 2 * H + j, m, tail), ld(x + 2 * H + j, m, tail)));
    st(g + j, rg, m, tail);
    st(g + H + j, zg, m, tail);
    st(g + 2 * H + j, ng, m, tail);
    // (1 - z) n + z h_prev = n + z (h_prev - n)
    st(h + k, rkv_fma(zg, rkv_sub(ld(h_prev + k, m, tail), ng), ng), m, tail);
}

RK_TARGET void RK_NAME(rk_gru_forward)(int B, int H, const float *xp, const float *hh, const float *h_prev,
                                       float *gates, float *h) {
#define BODY(b, j, m, tail)                                                                           \
    gru_fwd(H, xp + (long)(b) * 3 * H, hh + (long)(b) * 3 * H, h_prev,                                \
            gates + (long)(b) * 3 * H, h, j, (long)(b) * H + (j), m, tail)
    RK_ROWS(B, H, BODY);
#undef BODY
}

RK_VEC void gru_bwd(int H, const float *dh, const float *g, const float *r, const float *h_prev, float *dx,
                    float *dr, float *dh_prev, int j, long k, rkm m, int tail) {
    const rkv one = rkv_set1(1.0f);
    rkv rg = ld(g + j, m, tail), zg = ld(g + H + j, m, tail), ng = ld(g + 2 * H + j, m, tail);
    rkv d = ld(dh + k, m, tail);
    rkv dn = rkv_mul(rkv_mul(d, rkv_sub(one, zg)), rkv_fnma(ng, ng, one));
    rkv dz = rkv_mul(rkv_mul(d, rkv_sub(ld(h_prev + k, m, tail), ng)), rkv_mul(zg, rkv_sub(one, zg)));
    rkv drr = rkv_mul(rkv_mul(dn, ld(r + 2 * H + j, m, tail)), rkv_mul(rg, rkv_sub(one, rg)));
    st(dx + j, drr, m, tail);
    st(dr + j, drr, m, tail);
    st(dx + H + j, dz, m, tail);
    st(dr + H + j, dz, m, tail);
    st(dx + 2 * H + j, dn, m, tail);
    st(dr + 2 * H + j, rkv_mul(dn, rg), m, tail);
    st(dh_prev + k, rkv_mul(d, zg), m, tail);
}

RK_TARGET void RK_NAME(rk_gru_backward)(int B, int H, const float *dh, const float *gates, const float *hh,
                                        const float *h_prev, float *dxp, float *dhh, float *dh_prev) {
#define BODY(b, j, m, tail)                                                                           \
    gru_bwd(H, dh, gates + (long)(b) * 3 * H, hh + (long)(b) * 3 * H, h_prev, dxp + (long)(b) * 3 * H, \
            dhh + (long)(b) * 3 * H, dh_prev, j, (long)(b) * H + (j), m, tail)
    RK_ROWS(B, H, BODY);
#undef BODY
}
