// Run-time choice between the reference kernels and the fast ones.
#include "CKernels.h"
#include "internal.h"

static rk_path selected_path = RK_PATH_AUTO;

void rk_set_path(rk_path path) { selected_path = path; }

int rk_cpu_has_avx2_fma(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

int rk_using_avx2(void) {
    return selected_path != RK_PATH_REFERENCE && rk_cpu_has_avx2_fma();
}

static int use_reference(void) { return selected_path == RK_PATH_REFERENCE; }

void rk_sgemm(int transA, int transB, int M, int N, int K, float alpha,
              const float *A, int lda, const float *B, int ldb,
              float beta, float *C, int ldc) {
    // TODO(fast path): blocked AVX2/FMA kernel. Until then the reference loops serve both.
    rk_sgemm_reference(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void rk_sigmoid(const float *x, float *y, long n) { rk_sigmoid_reference(x, y, n); }
void rk_tanh(const float *x, float *y, long n) { rk_tanh_reference(x, y, n); }

void rk_add_bias_rows(float *X, int M, int N, int ldx, const float *bias) {
    for (int i = 0; i < M; i++) {
        float *row = X + (long)i * ldx;
        for (int j = 0; j < N; j++) row[j] += bias[j];
    }
}

void rk_accumulate_column_sums(const float *X, int M, int N, int ldx, float *acc) {
    for (int i = 0; i < M; i++) {
        const float *row = X + (long)i * ldx;
        for (int j = 0; j < N; j++) acc[j] += row[j];
    }
}

void rk_rnn_forward(int B, int H, int activation, const float *xp, const float *hh, float *h) {
    rk_rnn_forward_reference(B, H, activation, xp, hh, h);
}
void rk_rnn_backward(int B, int H, int activation, const float *dh, const float *h, float *dpre) {
    rk_rnn_backward_reference(B, H, activation, dh, h, dpre);
}
void rk_lstm_forward(int B, int H, const float *xp, const float *hh, const float *c_prev,
                     float *gates, float *c, float *tc, float *h) {
    rk_lstm_forward_reference(B, H, xp, hh, c_prev, gates, c, tc, h);
}
void rk_lstm_backward(int B, int H, const float *dh, float *dc, const float *gates,
                      const float *c_prev, const float *tc, float *dpre) {
    rk_lstm_backward_reference(B, H, dh, dc, gates, c_prev, tc, dpre);
}
void rk_gru_forward(int B, int H, const float *xp, const float *hh, const float *h_prev,
                    float *gates, float *h) {
    rk_gru_forward_reference(B, H, xp, hh, h_prev, gates, h);
}
void rk_gru_backward(int B, int H, const float *dh, const float *gates, const float *hh,
                     const float *h_prev, float *dxp, float *dhh, float *dh_prev) {
    rk_gru_backward_reference(B, H, dh, gates, hh, h_prev, dxp, dhh, dh_prev);
}
