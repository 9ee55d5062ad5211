// The element-wise kernels written once over a vector type: the activations, bias rows,
// column sums and the fused RNN/LSTM/GRU cells with the formulas of reference.c.
// Before including, define RK_SFX (the name suffix) and include a vector header that
// provides rkv/rkm, RK_W, RK_TARGET, RK_VEC and the rkv_* operations (vec_avx2.h,
// vec_avx512.h, vec_neon.h). Every row is processed RK_W units at a time, the last partial vector with
// masked (or copied) loads and stores.
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

RK_TARGET void RK_NAME(rk_sigmoid)(const float *x, float *y, long n) {
    long i = 0;
    for (; i + RK_W <= n; i += RK_W) rkv_st(y + i, rkv_sigmoid(rkv_ld(x + i)));
    if (i < n) {
        rkm m = rkm_first(n - i);
        rkv_stm(y + i, rkv_sigmoid(rkv_ldm(x + i, m)), m);
    }
}

RK_TARGET void RK_NAME(rk_tanh)(const float *x, float *y, long n) {
    long i = 0;
    for (; i + RK_W <= n; i += RK_W) rkv_st(y + i, rkv_tanh(rkv_ld(x + i)));
    if (i < n) {
        rkm m = rkm_first(n - i);
        rkv_stm(y + i, rkv_tanh(rkv_ldm(x + i, m)), m);
    }
}

RK_TARGET void RK_NAME(rk_add_bias_rows)(float *X, int M, int N, int ldx, const float *bias) {
    for (int i = 0; i < M; i++) {
        float *row = X + (long)i * ldx;
#define BODY(b, j, m, tail) st(row + (j), rkv_add(ld(row + (j), m, tail), ld(bias + (j), m, tail)), m, tail)
        RK_ROWS(1, N, BODY);
#undef BODY
    }
}

// Two vectors of columns kept in registers across all rows, so acc is read and written once.
RK_TARGET void RK_NAME(rk_accumulate_column_sums)(const float *X, int M, int N, int ldx, float *acc) {
    int j = 0;
    for (; j + 2 * RK_W <= N; j += 2 * RK_W) {
        rkv s0 = rkv_ld(acc + j), s1 = rkv_ld(acc + j + RK_W);
        for (int i = 0; i < M; i++) {
            const float *row = X + (long)i * ldx + j;
            s0 = rkv_add(s0, rkv_ld(row));
            s1 = rkv_add(s1, rkv_ld(row + RK_W));
        }
        rkv_st(acc + j, s0);
        rkv_st(acc + j + RK_W, s1);
    }
    for (; j < N; j += RK_W) {
        rkm m = rkm_first(N - j < RK_W ? N - j : RK_W);
        rkv s = rkv_ldm(acc + j, m);
        for (int i = 0; i < M; i++) s = rkv_add(s, rkv_ldm(X + (long)i * ldx + j, m));
        rkv_stm(acc + j, s, m);
    }
}

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
