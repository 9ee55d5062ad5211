#ifndef RECURRENT_CKERNELS_H
#define RECURRENT_CKERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// Which implementation the dispatching entry points use.
typedef enum {
    RK_PATH_AUTO = 0,       ///< fastest available on this CPU, or what $RK_ISA names (the default)
    RK_PATH_REFERENCE = 1,  ///< plain portable loops, the reference for tests
    RK_PATH_FAST = 2,       ///< the fastest ISA this CPU has, ignoring $RK_ISA
    RK_PATH_PORTABLE = 3,   ///< the portable fast path (plain C tiles) even on SIMD CPUs
    RK_PATH_AVX2 = 4,       ///< AVX2/FMA kernels (x86-64)
    RK_PATH_AVX512 = 5,     ///< AVX-512F kernels (x86-64)
    RK_PATH_NEON = 6        ///< NEON kernels (arm64)
} rk_path;

/// Instruction sets with kernels of their own.
typedef enum {
    RK_ISA_REFERENCE = 0,
    RK_ISA_PORTABLE = 1,
    RK_ISA_AVX2 = 2,
    RK_ISA_AVX512 = 3,
    RK_ISA_NEON = 4
} rk_isa;

/// Selects the kernels for the whole process. A path this CPU cannot run is refused:
/// returns 0 and keeps the current selection; 1 on success. Thread-safe.
int rk_set_path(rk_path path);
rk_path rk_get_path(void);
/// 1 when this CPU and its operating system can run `isa` (reference and portable: always).
int rk_cpu_supports(rk_isa isa);
/// The fastest instruction set this CPU supports.
rk_isa rk_best_isa(void);
/// The instruction set the kernels use now.
rk_isa rk_active_isa(void);
/// "reference", "portable", "avx2", "avx512" or "neon".
const char *rk_isa_name(rk_isa isa);
/// The CPU's model name ("" where unknown) and the SIMD features detected, space-separated.
const char *rk_cpu_model(void);
const char *rk_cpu_features(void);
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
/// Threads the kernels may use when called from this thread: 1 after rk_set_thread_serial(1).
int rk_threads(void);
/// serial = 1: kernels called from the calling thread run on it alone (for callers that
/// already split their work across threads); 0 restores the pool. Affects this thread only.
void rk_set_thread_serial(int serial);

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

/* ---- Whole time loops, one direction (recurrent_loop.c). ----
   Time-major buffers: xp, gates, hh [T, B, G*H]; hs, cs [T+1, B, H] (index 0 = initial
   state); tcs [T, B, H]. The batch is split across the thread pool when it pays; each
   thread runs every step for its rows, so results do not depend on the thread count. */

typedef enum { RK_CELL_RNN = 0, RK_CELL_LSTM = 1, RK_CELL_GRU = 2 } rk_cell;

enum {
    RK_LOOP_HH_PER_STEP = 1,  ///< keep every step's recurrent product hh (GRU training)
    RK_LOOP_KEEP_STEPS = 2    ///< keep every step's gates and tanh(c) (training); else one reused block
};

/// Runs steps 0..<T: hh_t = h_{t-1}·W_hhᵀ (+ bhh when not NULL) into hh, then the fused cell.
/// flags: RK_LOOP_*. t0: the index of step 0 in the whole sequence (the loop may run in
/// chunks of time). lengths [B] (or NULL): steps t0+t >= lengths[b] copy the previous state.
void rk_recurrent_forward(int cell, int activation, int B, int T, int H, const float *xp,
                          const float *whh, const float *bhh, float *hs, float *cs, float *gates,
                          float *tcs, float *hh, int flags, int t0, const int *lengths);

/// BPTT from step T-1 down to 0. dh [B,H] (and dc for LSTM) hold dL/dh_T on entry and
/// dL/dh_0 on return; seq_grad [T,B,H] (or NULL) is added at each step. Writes dxp [T,B,G*H]
/// and, for GRU, dhh [T,B,G*H] (for the others d(HH) = d(XP)). dh_direct [B,H] is GRU
/// scratch; saved_dh, saved_dc [B,H] are scratch when lengths is not NULL. bptt_steps > 0
/// cuts the gradient every bptt_steps steps.
void rk_recurrent_backward(int cell, int activation, int B, int T, int H, const float *whh,
                           const float *gates, const float *hs, const float *cs, const float *tcs,
                           const float *hh, const float *seq_grad, const int *lengths, int bptt_steps,
                           float *dh, float *dc, float *dxp, float *dhh, float *dh_direct,
                           float *saved_dh, float *saved_dc);

#ifdef __cplusplus
}
#endif
#endif
