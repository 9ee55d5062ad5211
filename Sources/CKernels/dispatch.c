// Run-time choice of the kernel set: reference loops, portable C tiles, AVX2, AVX-512 or
// NEON. The CPU is examined once (pthread_once); the selection is one atomic pointer, so
// any thread may read or change it without a data race.
#include "CKernels.h"
#include "internal.h"
#include "cpu_features.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const rk_kernel_set reference_set = {
    RK_ISA_REFERENCE, NULL, NULL,
    rk_sigmoid_reference, rk_tanh_reference, rk_add_bias_rows_reference,
    rk_accumulate_column_sums_reference, rk_rnn_forward_reference, rk_rnn_backward_reference,
    rk_lstm_forward_reference, rk_lstm_backward_reference, rk_gru_forward_reference,
    rk_gru_backward_reference,
};

// The portable path: plain-C GEMM tiles the compiler vectorises for the baseline ISA, and
// the reference element-wise loops (their cost is the libm calls, not the loop).
static rk_kernel_set portable_set;

#if defined(__x86_64__)
static const rk_kernel_set avx2_set = {
    RK_ISA_AVX2, NULL /* set in detect() */, rk_gemv_n1_avx2,
    rk_sigmoid_avx2, rk_tanh_avx2, rk_add_bias_rows_avx2, rk_accumulate_column_sums_avx2,
    rk_rnn_forward_avx2, rk_rnn_backward_avx2, rk_lstm_forward_avx2, rk_lstm_backward_avx2,
    rk_gru_forward_avx2, rk_gru_backward_avx2,
};
// AVX-512 has no matrix-vector kernel of its own: N = 1 products are memory-bound and the
// AVX2 one (always present on AVX-512 CPUs) already streams at the memory rate.
static const rk_kernel_set avx512_set = {
    RK_ISA_AVX512, NULL, rk_gemv_n1_avx2,
    rk_sigmoid_avx512, rk_tanh_avx512, rk_add_bias_rows_avx512, rk_accumulate_column_sums_avx512,
    rk_rnn_forward_avx512, rk_rnn_backward_avx512, rk_lstm_forward_avx512, rk_lstm_backward_avx512,
    rk_gru_forward_avx512, rk_gru_backward_avx512,
};
static rk_kernel_set avx2_ready, avx512_ready;
#endif

#if defined(__aarch64__)
static const rk_kernel_set neon_template = {
    RK_ISA_NEON, NULL, rk_gemv_n1_neon,
    rk_sigmoid_neon, rk_tanh_neon, rk_add_bias_rows_neon, rk_accumulate_column_sums_neon,
    rk_rnn_forward_neon, rk_rnn_backward_neon, rk_lstm_forward_neon, rk_lstm_backward_neon,
    rk_gru_forward_neon, rk_gru_backward_neon,
};
static rk_kernel_set neon_ready;
#endif

static pthread_once_t detect_once = PTHREAD_ONCE_INIT;
static rk_cpu_info cpu;
static const rk_kernel_set *sets[5];  // by rk_isa; NULL where the CPU lacks it
static rk_isa best, env_choice;
static _Atomic(const rk_kernel_set *) active;
static atomic_int active_path;

static rk_isa parse_isa(const char *s, int *ok) {
    static const char *names[] = {"reference", "portable", "avx2", "avx512", "neon"};
    for (int i = 0; i < 5; i++)
        if (strcmp(s, names[i]) == 0) { *ok = 1; return (rk_isa)i; }
    *ok = 0;
    return RK_ISA_REFERENCE;
}

static void detect(void) {
    rk_detect_cpu(&cpu);
    portable_set = reference_set;
    portable_set.isa = RK_ISA_PORTABLE;
    portable_set.gemm = rk_gemm_config_portable();
    sets[RK_ISA_REFERENCE] = &reference_set;
    sets[RK_ISA_PORTABLE] = &portable_set;
    best = RK_ISA_PORTABLE;
#if defined(__x86_64__)
    if (cpu.avx2 && cpu.fma) {
        avx2_ready = avx2_set;
        avx2_ready.gemm = rk_gemm_config_avx2();
        sets[RK_ISA_AVX2] = &avx2_ready;
        best = RK_ISA_AVX2;
    }
    if (cpu.avx2 && cpu.fma && cpu.avx512f) {
        avx512_ready = avx512_set;
        avx512_ready.gemm = rk_gemm_config_avx512();
        sets[RK_ISA_AVX512] = &avx512_ready;
        best = RK_ISA_AVX512;
    }
#endif
#if defined(__aarch64__)
    neon_ready = neon_template;
    neon_ready.gemm = rk_gemm_config_neon();
    sets[RK_ISA_NEON] = &neon_ready;
    best = RK_ISA_NEON;
#endif
    env_choice = best;
    const char *env = getenv("RK_ISA");
    if (env && env[0] && strcmp(env, "auto") != 0) {
        int ok;
        rk_isa want = parse_isa(env, &ok);
        if (!ok)
            fprintf(stderr, "RK_ISA=%s: expected auto, avx512, avx2, neon, portable or reference; using %s\n",
                    env, rk_isa_name(best));
        else if (!sets[want])
            fprintf(stderr, "RK_ISA=%s: this CPU cannot run it; using %s\n", env, rk_isa_name(best));
        else
            env_choice = want;
    }
    atomic_store(&active, sets[env_choice]);
    atomic_store(&active_path, RK_PATH_AUTO);
}

static inline void ensure_detected(void) { pthread_once(&detect_once, detect); }

const rk_kernel_set *rk_active_kernels(void) {
    ensure_detected();
    return atomic_load_explicit(&active, memory_order_acquire);
}

int rk_set_path(rk_path path) {
    ensure_detected();
    const rk_kernel_set *set = NULL;
    switch (path) {
    case RK_PATH_AUTO: set = sets[env_choice]; break;
    case RK_PATH_FAST: set = sets[best]; break;
    case RK_PATH_REFERENCE: set = sets[RK_ISA_REFERENCE]; break;
    case RK_PATH_PORTABLE: set = sets[RK_ISA_PORTABLE]; break;
    case RK_PATH_AVX2: set = sets[RK_ISA_AVX2]; break;
    case RK_PATH_AVX512: set = sets[RK_ISA_AVX512]; break;
    case RK_PATH_NEON: set = sets[RK_ISA_NEON]; break;
    }
    if (!set) return 0;
    atomic_store_explicit(&active, set, memory_order_release);
    atomic_store_explicit(&active_path, path, memory_order_relaxed);
    return 1;
}

rk_path rk_get_path(void) {
    ensure_detected();
    return (rk_path)atomic_load_explicit(&active_path, memory_order_relaxed);
}

int rk_cpu_supports(rk_isa isa) {
    ensure_detected();
    return (int)isa >= 0 && (int)isa < 5 && sets[isa] != NULL;
}

rk_isa rk_best_isa(void) {
    ensure_detected();
    return best;
}

rk_isa rk_active_isa(void) { return rk_active_kernels()->isa; }

const char *rk_isa_name(rk_isa isa) {
    switch (isa) {
    case RK_ISA_REFERENCE: return "reference";
    case RK_ISA_PORTABLE: return "portable";
    case RK_ISA_AVX2: return "avx2";
    case RK_ISA_AVX512: return "avx512";
    case RK_ISA_NEON: return "neon";
    }
    return "unknown";
}

const char *rk_cpu_model(void) {
    ensure_detected();
    return cpu.model;
}

const char *rk_cpu_features(void) {
    ensure_detected();
    return cpu.features;
}

int rk_using_avx2(void) {
    rk_isa isa = rk_active_isa();
    return isa == RK_ISA_AVX2 || isa == RK_ISA_AVX512;
}

int rk_cpu_has_avx2_fma(void) { return rk_cpu_supports(RK_ISA_AVX2); }

void rk_sgemm(int transA, int transB, int M, int N, int K, float alpha,
              const float *A, int lda, const float *B, int ldb,
              float beta, float *C, int ldc) {
    const rk_kernel_set *k = rk_active_kernels();
    if (!k->gemm) {
        rk_sgemm_reference(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    // One output column: a matrix-vector product (the tiled kernel would pad N to a full tile).
    if (N == 1 && M > 0 && K > 0 && k->gemv_n1 &&
        k->gemv_n1(transA, transB, M, K, alpha, A, lda, B, ldb, beta, C, ldc))
        return;
    rk_gemm_run(k->gemm, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void rk_sigmoid(const float *x, float *y, long n) { rk_active_kernels()->sigmoid(x, y, n); }
void rk_tanh(const float *x, float *y, long n) { rk_active_kernels()->tanh(x, y, n); }
void rk_add_bias_rows(float *X, int M, int N, int ldx, const float *bias) {
    rk_active_kernels()->add_bias_rows(X, M, N, ldx, bias);
}
typedef struct {
    void (*sums)(const float *X, int M, int N, int ldx, float *acc);
    const float *X;
    int M, N, ldx;
    float *acc;
} column_sums_job;

// Columns per share: whole cache lines of acc, so no two threads write the same line.
#define RK_COLUMN_SHARE 64

static void column_sums_part(void *arg, int index, int count) {
    const column_sums_job *j = arg;
    const int shares = (j->N + RK_COLUMN_SHARE - 1) / RK_COLUMN_SHARE;
    int c0 = shares * index / count * RK_COLUMN_SHARE, c1 = shares * (index + 1) / count * RK_COLUMN_SHARE;
    if (c1 > j->N) c1 = j->N;
    if (c1 > c0) j->sums(j->X + c0, j->M, c1 - c0, j->ldx, j->acc + c0);
}

// Large sums are split by columns across the pool: each column is still one sum over the
// rows in order, so the result does not depend on the thread count.
void rk_accumulate_column_sums(const float *X, int M, int N, int ldx, float *acc) {
    column_sums_job j = {rk_active_kernels()->column_sums, X, M, N, ldx, acc};
    int parts = (N + RK_COLUMN_SHARE - 1) / RK_COLUMN_SHARE;
    if (parts > rk_threads()) parts = rk_threads();
    if (rk_active_isa() == RK_ISA_REFERENCE || (long)M * N < (1L << 18)) parts = 1;
    if (parts > 1) rk_parallel(column_sums_part, &j, parts);
    else j.sums(X, M, N, ldx, acc);
}
void rk_rnn_forward(int B, int H, int activation, const float *xp, const float *hh, float *h) {
    rk_active_kernels()->rnn_forward(B, H, activation, xp, hh, h);
}
void rk_rnn_backward(int B, int H, int activation, const float *dh, const float *h, float *dpre) {
    rk_active_kernels()->rnn_backward(B, H, activation, dh, h, dpre);
}
void rk_lstm_forward(int B, int H, const float *xp, const float *hh, const float *c_prev,
                     float *gates, float *c, float *tc, float *h) {
    rk_active_kernels()->lstm_forward(B, H, xp, hh, c_prev, gates, c, tc, h);
}
void rk_lstm_backward(int B, int H, const float *dh, float *dc, const float *gates,
                      const float *c_prev, const float *tc, float *dpre) {
    rk_active_kernels()->lstm_backward(B, H, dh, dc, gates, c_prev, tc, dpre);
}
void rk_gru_forward(int B, int H, const float *xp, const float *hh, const float *h_prev,
                    float *gates, float *h) {
    rk_active_kernels()->gru_forward(B, H, xp, hh, h_prev, gates, h);
}
void rk_gru_backward(int B, int H, const float *dh, const float *gates, const float *hh,
                     const float *h_prev, float *dxp, float *dhh, float *dh_prev) {
    rk_active_kernels()->gru_backward(B, H, dh, gates, hh, h_prev, dxp, dhh, dh_prev);
}
