// Declarations shared between the kernel files; not part of the public interface.
#ifndef RECURRENT_CKERNELS_INTERNAL_H
#define RECURRENT_CKERNELS_INTERNAL_H

#include "CKernels.h"
#include <stddef.h>
#include <time.h>

/// G: gate blocks in a cell's weight matrices (SimpleRNN 1, LSTM 4, GRU 3).
static inline int rk_gate_count(int cell) { return cell == RK_CELL_LSTM ? 4 : cell == RK_CELL_GRU ? 3 : 1; }

/// A hint to the core that this thread is spinning on a flag another thread will set.
static inline void rk_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/// Monotonic nanoseconds (spin time limits).
static inline long rk_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

void rk_sigmoid_reference(const float *x, float *y, long n);
void rk_tanh_reference(const float *x, float *y, long n);
void rk_add_bias_rows_reference(float *X, int M, int N, int ldx, const float *bias);
void rk_accumulate_column_sums_reference(const float *X, int M, int N, int ldx, float *acc);
void rk_rnn_forward_reference(int B, int H, int activation, const float *xp, const float *hh, float *h);
void rk_rnn_backward_reference(int B, int H, int activation, const float *dh, const float *h, float *dpre);
void rk_lstm_forward_reference(int B, int H, const float *xp, const float *hh, const float *c_prev,
                               float *gates, float *c, float *tc, float *h);
void rk_lstm_backward_reference(int B, int H, const float *dh, float *dc, const float *gates,
                                const float *c_prev, const float *tc, float *dpre);
void rk_gru_forward_reference(int B, int H, const float *xp, const float *hh, const float *h_prev,
                              float *gates, float *h);
void rk_gru_backward_reference(int B, int H, const float *dh, const float *gates, const float *hh,
                               const float *h_prev, float *dxp, float *dhh, float *dh_prev);

/* ---- GEMM engine (gemm.c) ---- */

/// Micro-kernel: C[mr,nr] (row stride ldc) = alpha * Ap * Bp + beta * C over kc steps, where
/// Ap holds mr floats per k and Bp holds nr floats per k. beta == 0 must not read C.
typedef void (*rk_microkernel)(int kc, const float *Ap, const float *Bp, float alpha,
                               float beta, float *C, long ldc);

/// Same for a partial tile: only rows x cols of C are read/written.
typedef void (*rk_edgekernel)(int kc, const float *Ap, const float *Bp, float alpha,
                              float beta, float *C, long ldc, int rows, int cols);

/// One row of C [1, N] = A (kc floats, a_stride apart) · prepacked B panels (nr columns,
/// panel_stride floats apart) + beta·C, with the full kernel's per-element arithmetic.
typedef void (*rk_rowkernel)(int kc, const float *A, int a_stride, const float *Bp, long panel_stride,
                             int N, float beta, float *C);

typedef struct {
    int mr, nr;            // register tile
    int mc, kc, nc;        // cache blocks (mc multiple of mr, nc multiple of nr)
    rk_microkernel kernel; // full tiles
    rk_edgekernel edge;    // partial tiles; NULL: full kernel into a scratch tile
    rk_rowkernel row;      // one row against prepacked B; NULL: the tiled loop
} rk_gemm_config;

const rk_gemm_config *rk_gemm_config_avx2(void);      // NULL when not compiled for x86-64
const rk_gemm_config *rk_gemm_config_avx512(void);    // NULL when not compiled for x86-64
const rk_gemm_config *rk_gemm_config_neon(void);      // NULL when not compiled for arm64
const rk_gemm_config *rk_gemm_config_portable(void);

/* ---- The kernels of one instruction set (dispatch.c picks one set at a time) ---- */

typedef int (*rk_gemv_n1_fn)(int transA, int transB, int M, int K, float alpha, const float *A, long lda,
                             const float *B, long ldb, float beta, float *C, long ldc);

typedef struct {
    rk_isa isa;
    const rk_gemm_config *gemm;  // NULL: the reference loops
    rk_gemv_n1_fn gemv_n1;       // NULL: products with N = 1 go through the tiled GEMM
    void (*sigmoid)(const float *x, float *y, long n);
    void (*tanh)(const float *x, float *y, long n);
    void (*add_bias_rows)(float *X, int M, int N, int ldx, const float *bias);
    void (*column_sums)(const float *X, int M, int N, int ldx, float *acc);
    void (*rnn_forward)(int B, int H, int activation, const float *xp, const float *hh, float *h);
    void (*rnn_backward)(int B, int H, int activation, const float *dh, const float *h, float *dpre);
    void (*lstm_forward)(int B, int H, const float *xp, const float *hh, const float *c_prev,
                         float *gates, float *c, float *tc, float *h);
    void (*lstm_backward)(int B, int H, const float *dh, float *dc, const float *gates,
                          const float *c_prev, const float *tc, float *dpre);
    void (*gru_forward)(int B, int H, const float *xp, const float *hh, const float *h_prev,
                        float *gates, float *h);
    void (*gru_backward)(int B, int H, const float *dh, const float *gates, const float *hh,
                         const float *h_prev, float *dxp, float *dhh, float *dh_prev);
} rk_kernel_set;

/// The kernel set in use now (never NULL).
const rk_kernel_set *rk_active_kernels(void);

/// One forward step of the cell on `rows` rows of H units with the kernels of `k` (the time
/// loops of recurrent_loop.c and recurrent_lockstep.c). h_prev is read by GRU only; c_prev, c
/// and tc are used by LSTM only.
static inline void rk_cell_forward(const rk_kernel_set *k, int cell, int activation, int rows, int H, const float *xp,
                                   const float *hh, const float *h_prev, const float *c_prev, float *gates, float *c,
                                   float *tc, float *h) {
    switch (cell) {
    case RK_CELL_RNN: k->rnn_forward(rows, H, activation, xp, hh, h); break;
    case RK_CELL_LSTM: k->lstm_forward(rows, H, xp, hh, c_prev, gates, c, tc, h); break;
    default: k->gru_forward(rows, H, xp, hh, h_prev, gates, h); break;
    }
}

/// Single-threaded blocked GEMM on the given configuration.
void rk_gemm_blocked(const rk_gemm_config *cfg, int transA, int transB, int M, int N, int K,
                     float alpha, const float *A, long lda, const float *B, long ldb,
                     float beta, float *C, long ldc);
/// Blocked GEMM, split across the thread pool when the work is large enough.
void rk_gemm_run(const rk_gemm_config *cfg, int transA, int transB, int M, int N, int K,
                 float alpha, const float *A, long lda, const float *B, long ldb,
                 float beta, float *C, long ldc);

/* ---- Prepacked-B GEMM (gemm_prepacked.c) ---- */

/// Floats needed to hold op(B) [K, N] packed for `cfg`.
long rk_packed_b_floats(const rk_gemm_config *cfg, int K, int N);
/// Packs op(B) [K, N] (op = transpose when transB) into nr-column panels of full K.
void rk_pack_b_full(const rk_gemm_config *cfg, int transB, const float *B, long ldb, int K, int N, float *Bp);
/// Forward inference of 1–7 rows with enough work per step: rk_lockstep_eligible says whether a
/// loop is one, rk_recurrent_forward_small runs it split across two threads or with `alone`,
/// whichever has been faster lately (recurrent_lockstep.c), and rk_recurrent_forward_lockstep
/// runs the split (0: no worker came or no memory; nothing was written).
int rk_lockstep_eligible(const rk_loop_args *args);
void rk_recurrent_forward_small(const rk_loop_args *args, void (*alone)(const rk_loop_args *));
int rk_recurrent_forward_lockstep(const rk_loop_args *args);
/// Single-threaded C[M,N] = A[M,K] · op(B) + beta·C with op(B) packed by rk_pack_b_full.
void rk_gemm_prepacked_b(const rk_gemm_config *cfg, int M, int N, int K, const float *A, long lda,
                         const float *Bp, float beta, float *C, long ldc);

#if defined(__x86_64__)
/// C[M, 1] = alpha·op(A)·op(B) + beta·C when N = 1 (gemv_avx2.c); 0 when it could not run.
int rk_gemv_n1_avx2(int transA, int transB, int M, int K, float alpha, const float *A, long lda,
                    const float *B, long ldb, float beta, float *C, long ldc);
#endif
#if defined(__aarch64__)
int rk_gemv_n1_neon(int transA, int transB, int M, int K, float alpha, const float *A, long lda,
                    const float *B, long ldb, float beta, float *C, long ldc);
#endif

/* ---- Thread pool (threads.c) ---- */

typedef void (*rk_task)(void *arg, int index, int count);
/// Runs task(arg, i, count) for i in 0..<count, index 0 on the calling thread; count is
/// clamped to rk_threads(). Returns when all parts are done.
void rk_parallel(rk_task task, void *arg, int count);

/* ---- Element-wise kernels of each SIMD set (elementwise_template.h in elementwise_avx2.c,
        elementwise_avx512.c, elementwise_neon.c) ---- */
#define RK_DECLARE_ELEMENTWISE(sfx)                                                                        \
    void rk_sigmoid_##sfx(const float *x, float *y, long n);                                               \
    void rk_tanh_##sfx(const float *x, float *y, long n);                                                  \
    void rk_add_bias_rows_##sfx(float *X, int M, int N, int ldx, const float *bias);                       \
    void rk_accumulate_column_sums_##sfx(const float *X, int M, int N, int ldx, float *acc);               \
    void rk_rnn_forward_##sfx(int B, int H, int activation, const float *xp, const float *hh, float *h);   \
    void rk_rnn_backward_##sfx(int B, int H, int activation, const float *dh, const float *h, float *dpre); \
    void rk_lstm_forward_##sfx(int B, int H, const float *xp, const float *hh, const float *c_prev,        \
                               float *gates, float *c, float *tc, float *h);                               \
    void rk_lstm_backward_##sfx(int B, int H, const float *dh, float *dc, const float *gates,              \
                                const float *c_prev, const float *tc, float *dpre);                        \
    void rk_gru_forward_##sfx(int B, int H, const float *xp, const float *hh, const float *h_prev,         \
                              float *gates, float *h);                                                     \
    void rk_gru_backward_##sfx(int B, int H, const float *dh, const float *gates, const float *hh,         \
                               const float *h_prev, float *dxp, float *dhh, float *dh_prev);
RK_DECLARE_ELEMENTWISE(avx2)
RK_DECLARE_ELEMENTWISE(avx512)
RK_DECLARE_ELEMENTWISE(neon)

#endif
