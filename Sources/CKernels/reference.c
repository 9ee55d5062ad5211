// Portable reference kernels: plain loops, the ground truth the fast paths are tested against.
#include "CKernels.h"
#include "internal.h"
#include <math.h>

void rk_sgemm_reference(int transA, int transB, int M, int N, int K, float alpha,
                        const float *A, int lda, const float *B, int ldb,
                        float beta, float *C, int ldc) {
    for (int i = 0; i < M; i++) {
        for (int j = 0; j < N; j++) {
            double sum = 0.0;
            for (int k = 0; k < K; k++) {
                float a = transA ? A[(long)k * lda + i] : A[(long)i * lda + k];
                float b = transB ? B[(long)j * ldb + k] : B[(long)k * ldb + j];
                sum += (double)a * (double)b;
            }
            float *c = &C[(long)i * ldc + j];
            *c = (beta == 0.0f ? 0.0f : beta * *c) + alpha * (float)sum;
        }
    }
}

static inline float sigmoidf_ref(float x) { return 1.0f / (1.0f + expf(-x)); }

void rk_sigmoid_reference(const float *x, float *y, long n) {
    for (long i = 0; i < n; i++) y[i] = sigmoidf_ref(x[i]);
}

void rk_tanh_reference(const float *x, float *y, long n) {
    for (long i = 0; i < n; i++) y[i] = tanhf(x[i]);
}

void rk_add_bias_rows_reference(float *X, int M, int N, int ldx, const float *bias) {
    for (int i = 0; i < M; i++) {
        float *row = X + (long)i * ldx;
        for (int j = 0; j < N; j++) row[j] += bias[j];
    }
}

void rk_accumulate_column_sums_reference(const float *X, int M, int N, int ldx, float *acc) {
    for (int i = 0; i < M; i++) {
        const float *row = X + (long)i * ldx;
        for (int j = 0; j < N; j++) acc[j] += row[j];
    }
}

void rk_rnn_forward_reference(int B, int H, int activation, const float *xp, const float *hh, float *h) {
    long n = (long)B * H;
    for (long i = 0; i < n; i++) {
        float pre = xp[i] + hh[i];
        h[i] = activation == 0 ? tanhf(pre) : (pre > 0.0f ? pre : 0.0f);
    }
}

void rk_rnn_backward_reference(int B, int H, int activation, const float *dh, const float *h, float *dpre) {
    long n = (long)B * H;
    for (long i = 0; i < n; i++) {
        float d = activation == 0 ? 1.0f - h[i] * h[i] : (h[i] > 0.0f ? 1.0f : 0.0f);
        dpre[i] = dh[i] * d;
    }
}

void rk_lstm_forward_reference(int B, int H, const float *xp, const float *hh, const float *c_prev,
                               float *gates, float *c, float *tc, float *h) {
    for (int b = 0; b < B; b++) {
        const float *x = xp + (long)b * 4 * H, *r = hh + (long)b * 4 * H;
        float *g = gates + (long)b * 4 * H;
        for (int j = 0; j < H; j++) {
            float ig = sigmoidf_ref(x[j] + r[j]);
            float fg = sigmoidf_ref(x[H + j] + r[H + j]);
            float gg = tanhf(x[2 * H + j] + r[2 * H + j]);
            float og = sigmoidf_ref(x[3 * H + j] + r[3 * H + j]);
            long k = (long)b * H + j;
            float cn = fg * c_prev[k] + ig * gg;
            float t = tanhf(cn);
            g[j] = ig; g[H + j] = fg; g[2 * H + j] = gg; g[3 * H + j] = og;
            c[k] = cn; tc[k] = t; h[k] = og * t;
        }
    }
}

void rk_lstm_backward_reference(int B, int H, const float *dh, float *dc, const float *gates,
                                const float *c_prev, const float *tc, float *dpre) {
    for (int b = 0; b < B; b++) {
        const float *g = gates + (long)b * 4 * H;
        float *d = dpre + (long)b * 4 * H;
        for (int j = 0; j < H; j++) {
            long k = (long)b * H + j;
            float ig = g[j], fg = g[H + j], gg = g[2 * H + j], og = g[3 * H + j];
            float t = tc[k];
            float dct = dc[k] + dh[k] * og * (1.0f - t * t);
            d[j] = dct * gg * ig * (1.0f - ig);
            d[H + j] = dct * c_prev[k] * fg * (1.0f - fg);
            d[2 * H + j] = dct * ig * (1.0f - gg * gg);
            d[3 * H + j] = dh[k] * t * og * (1.0f - og);
            dc[k] = dct * fg;
        }
    }
}

void rk_gru_forward_reference(int B, int H, const float *xp, const float *hh, const float *h_prev,
                              float *gates, float *h) {
    for (int b = 0; b < B; b++) {
        const float *x = xp + (long)b * 3 * H, *r = hh + (long)b * 3 * H;
        float *g = gates + (long)b * 3 * H;
        for (int j = 0; j < H; j++) {
            float rg = sigmoidf_ref(x[j] + r[j]);
            float zg = sigmoidf_ref(x[H + j] + r[H + j]);
            float ng = tanhf(x[2 * H + j] + rg * r[2 * H + j]);
            long k = (long)b * H + j;
            g[j] = rg; g[H + j] = zg; g[2 * H + j] = ng;
            h[k] = (1.0f - zg) * ng + zg * h_prev[k];
        }
    }
}

void rk_gru_backward_reference(int B, int H, const float *dh, const float *gates, const float *hh,
                               const float *h_prev, float *dxp, float *dhh, float *dh_prev) {
    for (int b = 0; b < B; b++) {
        const float *g = gates + (long)b * 3 * H, *r = hh + (long)b * 3 * H;
        float *dx = dxp + (long)b * 3 * H, *dr = dhh + (long)b * 3 * H;
        for (int j = 0; j < H; j++) {
            long k = (long)b * H + j;
            float rg = g[j], zg = g[H + j], ng = g[2 * H + j];
            float d = dh[k];
            float dn = d * (1.0f - zg) * (1.0f - ng * ng);
            float dz = d * (h_prev[k] - ng) * zg * (1.0f - zg);
            float drr = dn * r[2 * H + j] * rg * (1.0f - rg);
            dx[j] = drr; dr[j] = drr;
            dx[H + j] = dz; dr[H + j] = dz;
            dx[2 * H + j] = dn; dr[2 * H + j] = dn * rg;
            dh_prev[k] = d * zg;
        }
    }
}
