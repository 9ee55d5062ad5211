#ifndef RECURRENT_CKERNELS_H
#define RECURRENT_CKERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// Which implementation the dispatching entry points use.
typedef enum {
    RK_PATH_AUTO = 0,       ///< fastest available on this CPU (the default)
    RK_PATH_REFERENCE = 1,  ///< plain portable loops, the reference for tests
    RK_PATH_FAST = 2,       ///< AVX2/FMA when the CPU has it, else the portable fast path
    RK_PATH_PORTABLE = 3    ///< the portable fast path even on AVX2 CPUs (for tests)
} rk_path;

void rk_set_path(rk_path path);
/// 1 when the selected path uses AVX2/FMA code right now.
int rk_using_avx2(void);
/// 1 when this CPU supports AVX2 and FMA.
int rk_cpu_has_avx2_fma(void);

/// Row-major C[M,N] = alpha * op(A) * op(B) + beta * C, op(X) = X or Xᵀ.
/// op(A) is [M,K], op(B) is [K,N]; lda/ldb/ldc are row strides of the stored matrices.
void rk_sgemm(int transA, int transB, int M, int N, int K, float alpha,
              const float *A, int lda, const float *B, int ldb,
              float beta, float *C, int ldc);
void rk_sgemm_reference(int transA, int transB, int M, int N, int K, float alpha,
                        const float *A, int lda, const float *B, int ldb,
                        float beta, float *C, int ldc);

/// Threads used by large GEMMs (a persistent pool; small products always run on the calling
/// thread). Default: the number of online CPUs, or the RK_THREADS environment variable.
void rk_set_threads(int n);
int rk_threads(void);

/// Times `repeats` square size x size x size sgemm calls on the current path and thread
/// setting and returns the best rate in GFLOP/s (2 * size^3 flops per call).
double rk_measure_gemm_peak_gflops(int size, int repeats);

/// y[i] = 1 / (1 + exp(-x[i])) and y[i] = tanh(x[i]); x and y may alias.
void rk_sigmoid(const float *x, float *y, long n);
void rk_tanh(const float *x, float *y, long n);

/// Adds bias[N] to every row of X[M,N] (row stride ldx).
void rk_add_bias_rows(float *X, int M, int N, int ldx, const float *bias);
/// acc[N] += column sums of X[M,N].
void rk_accumulate_column_sums(const float *X, int M, int N, int ldx, float *acc);

/* ---- Fused recurrent cells, one time step for a batch of B rows. ----
   xp = W_ih x_t + b_ih and hh = W_hh h_{t-1} + b_hh, both [B, G*H] with gate blocks in
   PyTorch order. All buffers are contiguous with the row lengths given. */

/// SimpleRNN: h = act(xp + hh), act 0 = tanh, 1 = relu.
void rk_rnn_forward(int B, int H, int activation, const float *xp, const float *hh, float *h);
/// dpre = dh * act'(·) computed from h; dpre is both d(xp) and d(hh).
void rk_rnn_backward(int B, int H, int activation, const float *dh, const float *h, float *dpre);

/// LSTM (gates i, f, g, o): gates ← activated gates [B,4H]; c, tc = tanh(c), h [B,H].
void rk_lstm_forward(int B, int H, const float *xp, const float *hh, const float *c_prev,
                     float *gates, float *c, float *tc, float *h);
/// Given dh [B,H] and dc [B,H] (gradient arriving from step t+1), writes dpre [B,4H]
/// (= d(xp) = d(hh)) and overwrites dc with dL/dc_{t-1}.
void rk_lstm_backward(int B, int H, const float *dh, float *dc, const float *gates,
                      const float *c_prev, const float *tc, float *dpre);

/// GRU (gates r, z, n; reset applied after the recurrent product, as PyTorch):
/// gates ← r, z, n [B,3H]; h [B,H].
void rk_gru_forward(int B, int H, const float *xp, const float *hh, const float *h_prev,
                    float *gates, float *h);
/// Writes dxp [B,3H], dhh [B,3H] and dh_prev = dh * z (the direct part of dL/dh_{t-1}).
void rk_gru_backward(int B, int H, const float *dh, const float *gates, const float *hh,
                     const float *h_prev, float *dxp, float *dhh, float *dh_prev);

#ifdef __cplusplus
}
#endif
#endif
