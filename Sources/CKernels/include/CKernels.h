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

/* ---- The cells: forward and backward equations (PyTorch's gate order and conventions) ----

   Per step t, for a batch of B rows (⊙ elementwise, σ the logistic sigmoid):
     xp_t = x_t·W_ihᵀ + b_ih      (all steps in one product, outside the time loop)
     hh_t = h_{t-1}·W_hhᵀ + b_hh  (per step; the loops fold b_hh into b_ih except for GRU)
   G gate blocks of H columns each, in this order:

   SimpleRNN (G = 1), act = tanh or relu:
     h_t = act(xp_t + hh_t)
     d_t = dh_t ⊙ act'(·), with tanh' = 1 - h_t², relu' = [h_t > 0];   d(xp_t) = d(hh_t) = d_t

   LSTM (G = 4: i, f, g, o):
     i = σ(xp_i + hh_i)   f = σ(xp_f + hh_f)   g = tanh(xp_g + hh_g)   o = σ(xp_o + hh_o)
     c_t = f ⊙ c_{t-1} + i ⊙ g        h_t = o ⊙ tanh(c_t)
     dc  = dc_t + dh_t ⊙ o ⊙ (1 - tanh²c_t)     (dc_t: gradient arriving from step t+1)
     d_i = dc ⊙ g ⊙ i(1-i)    d_f = dc ⊙ c_{t-1} ⊙ f(1-f)    d_g = dc ⊙ i ⊙ (1-g²)
     d_o = dh_t ⊙ tanh(c_t) ⊙ o(1-o)            dc_{t-1} = dc ⊙ f;   d(xp_t) = d(hh_t) = d

   GRU (G = 3: r, z, n; the reset gate multiplies the recurrent product, as PyTorch):
     r = σ(xp_r + hh_r)   z = σ(xp_z + hh_z)   n = tanh(xp_n + r ⊙ hh_n)
     h_t = (1 - z) ⊙ n + z ⊙ h_{t-1}
     d_n = dh_t ⊙ (1-z) ⊙ (1-n²)    d_z = dh_t ⊙ (h_{t-1} - n) ⊙ z(1-z)    d_r = d_n ⊙ hh_n ⊙ r(1-r)
     d(xp_t) = [d_r, d_z, d_n]      d(hh_t) = [d_r, d_z, d_n ⊙ r]

   Every cell then: dh_{t-1} = d(hh_t)·W_hh (+ z ⊙ dh_t for GRU), and over all steps
   dW_hh = Σ_t d(hh_t)ᵀ·h_{t-1}, db_hh = Σ_t d(hh_t), dW_ih = Σ_t d(xp_t)ᵀ·x_t, db_ih = Σ_t d(xp_t),
   dx_t = d(xp_t)·W_ih.

   The fused kernels below run one step for B rows; xp and hh are [B, G·H], states [B, H],
   all contiguous. */

/// SimpleRNN: h = act(xp + hh), act 0 = tanh, 1 = relu.
void rk_rnn_forward(int B, int H, int activation, const float *xp, const float *hh, float *h);
/// dpre = dh * act'(·) computed from h; dpre is both d(xp) and d(hh).
void rk_rnn_backward(int B, int H, int activation, const float *dh, const float *h, float *dpre);

/// LSTM: gates ← activated gates [B,4H]; c, tc = tanh(c), h [B,H].
void rk_lstm_forward(int B, int H, const float *xp, const float *hh, const float *c_prev,
                     float *gates, float *c, float *tc, float *h);
/// Given dh [B,H] and dc [B,H] (gradient arriving from step t+1), writes dpre [B,4H]
/// (= d(xp) = d(hh)) and overwrites dc with dL/dc_{t-1}.
void rk_lstm_backward(int B, int H, const float *dh, float *dc, const float *gates,
                      const float *c_prev, const float *tc, float *dpre);

/// GRU: gates ← r, z, n [B,3H]; h [B,H]. hh includes b_hh.
void rk_gru_forward(int B, int H, const float *xp, const float *hh, const float *h_prev,
                    float *gates, float *h);
/// Writes dxp [B,3H], dhh [B,3H] and dh_prev = dh * z (the direct part of dL/dh_{t-1}).
void rk_gru_backward(int B, int H, const float *dh, const float *gates, const float *hh,
                     const float *h_prev, float *dxp, float *dhh, float *dh_prev);

/* ---- Whole time loops, one direction (recurrent_loop.c). ----
   The batch is split across the thread pool when it pays; each thread runs every step for
   its rows, so results do not depend on the thread count. */

typedef enum { RK_CELL_RNN = 0, RK_CELL_LSTM = 1, RK_CELL_GRU = 2 } rk_cell;

/// What a forward pass keeps.
typedef enum {
    RK_KEEP_TRAINING = 0,  ///< every step's states, gates, tanh(c) (and GRU's hh): BPTT follows
    RK_KEEP_SEQUENCE = 1,  ///< inference: every state h_t, one reused block of gates
    RK_KEEP_FINAL = 2      ///< inference: only the final states (a ring of one time chunk)
} rk_keep;

/// The sizes of one layer pass; rk_layer_shape_make fills `chunk`.
typedef struct {
    int cell;        ///< rk_cell
    int activation;  ///< SimpleRNN: 0 tanh, 1 relu
    int B, T, I, H;  ///< batch rows, time steps, input features, units
    int keep;        ///< rk_keep
    int chunk;       ///< steps per input-projection block (its buffer stays about 1 MiB)
} rk_layer_shape;

rk_layer_shape rk_layer_shape_make(int cell, int activation, int B, int T, int I, int H, int keep);

/// Everything one layer pass reads and writes, carved out of ONE float allocation of
/// rk_layer_arena_floats(shape) floats by rk_layer_arena_point. G = gates per cell (1, 4, 3);
/// S = T, or chunk for RK_KEEP_FINAL. A buffer the shape does not use is NULL.
typedef struct {
    float *x;          ///< [T, B, I]       input, time-major
    float *xp;         ///< [chunk, B, G·H] input projection of one block of steps
    float *hs;         ///< [S+1, B, H]     h_0 … h_S, h_0 the initial state
    float *cs;         ///< [S+1, B, H]     c_0 … c_S (LSTM)
    float *gates;      ///< [T, B, G·H]     activated gates (training; else [1, B, G·H], reused)
    float *tcs;        ///< [T, B, H]       tanh(c_t) (LSTM; training, else [1, B, H])
    float *hh;         ///< [T, B, G·H]     h_{t-1}·W_hhᵀ + b_hh (GRU training; else [1, B, G·H])
    float *dxp;        ///< [T, B, G·H]     d(xp_t) (training)
    float *dhh;        ///< [T, B, G·H]     d(hh_t) (GRU training; the others use dxp)
    float *dh;         ///< [B, H]          dL/dh_t during BPTT, dL/dh_0 after it (training)
    float *dc;         ///< [B, H]          dL/dc_t, likewise (LSTM training)
    float *dh_direct;  ///< [B, H]          z ⊙ dh_t (GRU training)
    float *saved_dh;   ///< [B, H]          dh of rows on padding steps (training)
    float *saved_dc;   ///< [B, H]          dc of rows on padding steps (LSTM training)
    float *h_norms;    ///< [T]             ‖dL/dh_t‖ when recorded (training)
    float *c_norms;    ///< [T]             ‖dL/dc_t‖ when recorded (LSTM training)
} rk_layer_arena;

/// Floats the arena of `shape` needs (each buffer starts on a 64-byte boundary relative to
/// the base).
long rk_layer_arena_floats(const rk_layer_shape *shape);
/// Points every buffer of `arena` into `base` (NULL when its size is 0 or base is NULL).
void rk_layer_arena_point(const rk_layer_shape *shape, float *base, rk_layer_arena *arena);
/// A 64-byte-aligned buffer of at least `floats` floats owned by the calling thread, for an
/// inference arena: valid until this thread's next call, kept between calls (at most 32 MiB a
/// thread, freed at thread exit). NULL above that size or when memory runs out: allocate then.
float *rk_inference_scratch(long floats);

enum {
    RK_LOOP_HH_PER_STEP = 1,  ///< keep every step's recurrent product hh (GRU training)
    RK_LOOP_KEEP_STEPS = 2    ///< keep every step's gates and tanh(c) (training); else one reused block
};

/// The arguments of one time loop. Time-major buffers: xp, gates, hh, dxp, dhh [T, B, G·H];
/// hs, cs [T+1, B, H] (index 0 = initial state); tcs, seq_grad [T, B, H].
typedef struct {
    int cell, activation, B, T, H;
    const float *whh;      ///< [G·H, H]
    const float *bhh;      ///< [G·H] added to hh per step, or NULL
    float *hs, *cs, *gates, *tcs, *hh;
    const int *lengths;    ///< [B] or NULL: steps t0+t >= lengths[b] are padding
    /* forward */
    const float *xp;
    int flags;             ///< RK_LOOP_*
    int t0;                ///< index of step 0 in the whole sequence (the loop may run in chunks)
    /* backward */
    const float *seq_grad; ///< dL/dh_t from above, added at each step, or NULL
    int bptt_steps;        ///< > 0: the gradient is cut every bptt_steps steps
    float *dh, *dc;        ///< [B, H] dL/dh_T, dL/dc_T on entry; dL/dh_0, dL/dc_0 on return
    float *dxp, *dhh;      ///< dhh: GRU only (for the others d(hh) = d(xp))
    float *dh_direct;      ///< [B, H] GRU scratch
    float *saved_dh, *saved_dc;  ///< [B, H] scratch when lengths is not NULL
    float *h_norms;        ///< [T] or NULL: ‖dh_t‖ over the whole batch, after seq_grad is added
    float *c_norms;        ///< [T] or NULL (LSTM): ‖dc_t + dh_t ⊙ o_t ⊙ (1 - tanh²c_t)‖
} rk_loop_args;

/// Runs steps 0..<T: hh_t = h_{t-1}·W_hhᵀ (+ bhh) into hh, then the fused cell.
void rk_recurrent_forward(const rk_loop_args *args);
/// BPTT from step T-1 down to 0; writes dxp (and dhh for GRU), dh and dc. With h_norms or
/// c_norms set the batch is not split across threads, so each norm is one sum in a fixed order.
void rk_recurrent_backward(const rk_loop_args *args);

#ifdef __cplusplus
}
#endif
#endif
