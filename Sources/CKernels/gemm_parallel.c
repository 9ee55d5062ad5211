// Splits one GEMM into independent blocks of C for the thread pool. Each part packs its
// own operands, so parts share nothing but read-only A and B.
#include "CKernels.h"
#include "internal.h"
#include <stdatomic.h>

// Below this many multiply-adds (M*N*K) the hand-off costs more than the second core
// saves; measured on a 2-core Zen3 (see the kernels benchmark notes in the commit log).
long rk_gemm_parallel_min_work = 1L << 19;

typedef struct {
    const rk_gemm_config *cfg;
    int transA, transB, M, N, K;
    float alpha, beta;
    const float *A, *B;
    float *C;
    long lda, ldb, ldc;
    int split_rows;  // 1: chunks are row blocks of C, 0: column blocks
    int chunks;      // more chunks than threads, claimed dynamically, so a descheduled
    atomic_int next; // worker (the other core busy with another process) stalls nobody
} gemm_job;

// [begin, end) of part `index` out of `count`, in whole tiles of `tile`.
static void part_range(int n, int tile, int index, int count, int *begin, int *end) {
    int tiles = (n + tile - 1) / tile;
    int b = (int)((long)tiles * index / count) * tile;
    int e = (int)((long)tiles * (index + 1) / count) * tile;
    *begin = b < n ? b : n;
    *end = e < n ? e : n;
}

static void gemm_chunk(gemm_job *j, int index, int count) {
    int b, e;
    if (j->split_rows) {
        part_range(j->M, j->cfg->mr, index, count, &b, &e);
        if (b >= e) return;
        const float *A = j->transA ? j->A + b : j->A + (long)b * j->lda;
        rk_gemm_blocked(j->cfg, j->transA, j->transB, e - b, j->N, j->K, j->alpha, A, j->lda,
                        j->B, j->ldb, j->beta, j->C + (long)b * j->ldc, j->ldc);
    } else {
        part_range(j->N, j->cfg->nr, index, count, &b, &e);
        if (b >= e) return;
        const float *B = j->transB ? j->B + (long)b * j->ldb : j->B + b;
        rk_gemm_blocked(j->cfg, j->transA, j->transB, j->M, e - b, j->K, j->alpha, j->A, j->lda,
                        B, j->ldb, j->beta, j->C + b, j->ldc);
    }
}

static void gemm_part(void *p, int index, int count) {
    (void)index;
    (void)count;
    gemm_job *j = p;
    int c;
    while ((c = atomic_fetch_add_explicit(&j->next, 1, memory_order_relaxed)) < j->chunks)
        gemm_chunk(j, c, j->chunks);
}

void rk_gemm_run(const rk_gemm_config *cfg, int transA, int transB, int M, int N, int K,
                 float alpha, const float *A, long lda, const float *B, long ldb,
                 float beta, float *C, long ldc) {
    int threads = rk_threads();
    long work = (long)M * N * (K > 0 ? K : 1);
    if (threads <= 1 || work < rk_gemm_parallel_min_work) {
        rk_gemm_blocked(cfg, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    gemm_job job = {cfg, transA, transB, M, N, K, alpha, beta, A, B, C, lda, ldb, ldc, 0, 0, 0};
    // Split the dimension that gives every part the most whole tiles.
    int row_tiles = (M + cfg->mr - 1) / cfg->mr, col_tiles = (N + cfg->nr - 1) / cfg->nr;
    job.split_rows = row_tiles >= col_tiles * 2 || (row_tiles >= threads && col_tiles < threads);
    int tiles = job.split_rows ? row_tiles : col_tiles;
    int parts = tiles < threads ? tiles : threads;
    if (parts <= 1) {
        rk_gemm_blocked(cfg, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    job.chunks = tiles < 2 * parts ? tiles : 2 * parts;
    atomic_init(&job.next, 0);
    rk_parallel(gemm_part, &job, parts);
}
