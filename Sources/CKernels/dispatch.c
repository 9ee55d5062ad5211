// Run-time choice between the reference kernels and the fast ones.
#include "CKernels.h"
#include "internal.h"

static rk_path selected_path = RK_PATH_AUTO;
static int cpu_avx2 = -1;  // cached CPU check, -1 until first asked

void rk_set_path(rk_path path) { selected_path = path; }
rk_path rk_get_path(void) { return selected_path; }

int rk_cpu_has_avx2_fma(void) {
    if (cpu_avx2 < 0) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
        __builtin_cpu_init();
        cpu_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
        cpu_avx2 = 0;
#endif
    }
    return cpu_avx2;
}

int rk_using_avx2(void) {
    return selected_path != RK_PATH_REFERENCE && selected_path != RK_PATH_PORTABLE &&
           rk_cpu_has_avx2_fma();
}

static int use_reference(void) { return selected_path == RK_PATH_REFERENCE; }

void rk_sgemm(int transA, int transB, int M, int N, int K, float alpha,
              const float *A, int lda, const float *B, int ldb,
              float beta, float *C, int ldc) {
    if (use_reference()) {
        rk_sgemm_reference(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
#if defined(__x86_64__)
    // One output column: a matrix-vector product (the tiled kernel would pad N to 16).
    if (N == 1 && M > 0 && K > 0 && rk_using_avx2() &&
        rk_gemv_n1_avx2(transA, transB, M, K, alpha, A, lda, B, ldb, beta, C, ldc))
        return;
#endif
    const rk_gemm_config *cfg = rk_using_avx2() ? rk_gemm_config_avx2() : rk_gemm_config_portable();
    rk_gemm_run(cfg, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

// Element-wise kernels: AVX2 when available, else the reference loops (already the
// portable path; their cost is the libm calls, not the loop).
#if defined(__x86_64__)
#define RK_PICK(avx2_call, ref_call) \
    do {                             \
        if (rk_using_avx2()) avx2_call; \
        else ref_call;               \
    } while (0)
#else
#define RK_PICK(avx2_call, ref_call) ref_call
#endif

void rk_sigmoid(const float *x, float *y, long n) {
    RK_PICK(rk_sigmoid_avx2(x, y, n), rk_sigmoid_reference(x, y, n));
}
void rk_tanh(const float *x, float *y, long n) {
    RK_PICK(rk_tanh_avx2(x, y, n), rk_tanh_reference(x, y, n));
}
void rk_add_bias_rows(float *X, int M, int N, int ldx, const float *bias) {
    RK_PICK(rk_add_bias_rows_avx2(X, M, N, ldx, bias), rk_add_bias_rows_reference(X, M, N, ldx, bias));
}
void rk_accumulate_column_sums(const float *X, int M, int N, int ldx, float *acc) {
    RK_PICK(rk_accumulate_column_sums_avx2(X, M, N, ldx, acc),
            rk_accumulate_column_sums_reference(X, M, N, ldx, acc));
}
void rk_rnn_forward(int B, int H, int activation, const float *xp, const float *hh, float *h) {
    RK_PICK(rk_rnn_forward_avx2(B, H, activation, xp, hh, h),
            rk_rnn_forward_reference(B, H, activation, xp, hh, h));
}
void rk_rnn_backward(int B, int H, int activation, const float *dh, const float *h, float *dpre) {
    RK_PICK(rk_rnn_backward_avx2(B, H, activation, dh, h, dpre),
            rk_rnn_backward_reference(B, H, activation, dh, h, dpre));
}
void rk_lstm_forward(int B, int H, const float *xp, const float *hh, const float *c_prev,
                     float *gates, float *c, float *tc, float *h) {
    RK_PICK(rk_lstm_forward_avx2(B, H, xp, hh, c_prev, gates, c, tc, h),
            rk_lstm_forward_reference(B, H, xp, hh, c_prev, gates, c, tc, h));
}
void rk_lstm_backward(int B, int H, const float *dh, float *dc, const float *gates,
                      const float *c_prev, const float *tc, float *dpre) {
    RK_PICK(rk_lstm_backward_avx2(B, H, dh, dc, gates, c_prev, tc, dpre),
            rk_lstm_backward_reference(B, H, dh, dc, gates, c_prev, tc, dpre));
}
void rk_gru_forward(int B, int H, const float *xp, const float *hh, const float *h_prev,
                    float *gates, float *h) {
    RK_PICK(rk_gru_forward_avx2(B, H, xp, hh, h_prev, gates, h),
            rk_gru_forward_reference(B, H, xp, hh, h_prev, gates, h));
}
void rk_gru_backward(int B, int H, const float *dh, const float *gates, const float *hh,
                     const float *h_prev, float *dxp, float *dhh, float *dh_prev) {
    RK_PICK(rk_gru_backward_avx2(B, H, dh, gates, hh, h_prev, dxp, dhh, dh_prev),
            rk_gru_backward_reference(B, H, dh, gates, hh, h_prev, dxp, dhh, dh_prev));
}
