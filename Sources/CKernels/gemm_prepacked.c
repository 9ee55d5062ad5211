// GEMM with op(B) packed once and reused: the recurrent weights are the same for every time
// step, so the time loops pack W_hh once per pass instead of once per step.
//
// Packed layout: op(B) [K, N] as ceil(N / nr) panels of nr columns, each panel [K][nr]
// (k-major, columns past N zero). Any K range [p0, p0 + kb) of a panel is then contiguous,
// so the blocked loop can take its kc blocks straight from it.
#include "CKernels.h"
#include "internal.h"
#include <stdlib.h>

static _Thread_local float *pack_a_tls;
static _Thread_local size_t pack_a_tls_cap;

long rk_packed_b_floats(const rk_gemm_config *cfg, int K, int N) {
    int panels = (N + cfg->nr - 1) / cfg->nr;
    return (long)panels * cfg->nr * (K > 0 ? K : 1);
}

void rk_pack_b_full(const rk_gemm_config *cfg, int transB, const float *B, long ldb, int K, int N, float *Bp) {
    const int nr = cfg->nr;
    for (int j0 = 0; j0 < N; j0 += nr) {
        int cols = N - j0 < nr ? N - j0 : nr;
        float *panel = Bp + (long)j0 * K;
        if (transB) {
            // op(B)[k, j] = B[j, k]: read each stored row contiguously, write with stride nr
            // (the panel, K·nr floats, stays in L1).
            for (int c = 0; c < cols; c++) {
                const float *src = B + (long)(j0 + c) * ldb;
                for (int k = 0; k < K; k++) panel[(long)k * nr + c] = src[k];
            }
            if (cols < nr)
                for (int k = 0; k < K; k++)
                    for (int c = cols; c < nr; c++) panel[(long)k * nr + c] = 0.0f;
        } else {
            for (int k = 0; k < K; k++) {
                float *d = panel + (long)k * nr;
                const float *src = B + (long)k * ldb + j0;
                int c = 0;
                for (; c < cols; c++) d[c] = src[c];
                for (; c < nr; c++) d[c] = 0.0f;
            }
        }
    }
}

// A block [mb, kb] of row-major (not transposed) A into mr-row panels, rows past mb zero.
static void pack_a_rows(const float *A, long lda, int mb, int kb, int mr, float *Ap) {
    for (int ir = 0; ir < mb; ir += mr) {
        int rows = mb - ir < mr ? mb - ir : mr;
        float *dst = Ap + (long)ir * kb;
        for (int r = 0; r < rows; r++) {
            const float *src = A + (long)(ir + r) * lda;
            for (int k = 0; k < kb; k++) dst[(long)k * mr + r] = src[k];
        }
        for (int r = rows; r < mr; r++)
            for (int k = 0; k < kb; k++) dst[(long)k * mr + r] = 0.0f;
    }
}

void rk_gemm_prepacked_b(const rk_gemm_config *cfg, int M, int N, int K, const float *A, long lda,
                         const float *Bp, float beta, float *C, long ldc) {
    if (M <= 0 || N <= 0) return;
    const int mr = cfg->mr, nr = cfg->nr;
    if (K <= 0) {
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) C[(long)i * ldc + j] = beta == 0.0f ? 0.0f : beta * C[(long)i * ldc + j];
        return;
    }
    const int kc = K < cfg->kc ? K : cfg->kc;
    const int mc = M < cfg->mc ? ((M + mr - 1) / mr) * mr : cfg->mc;
    size_t need = (size_t)mc * kc;
    if (need > pack_a_tls_cap) {
        free(pack_a_tls);
        void *p = NULL;
        if (posix_memalign(&p, 64, need * sizeof(float)) != 0) p = NULL;
        pack_a_tls = p;
        pack_a_tls_cap = p ? need : 0;
    }
    float *Ap = pack_a_tls;
    if (!Ap) {  // out of memory: unpack-free fallback through the reference product
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) {
                const float *panel = Bp + (long)(j / nr) * nr * K;
                float s = 0.0f;
                for (int k = 0; k < K; k++) s += A[(long)i * lda + k] * panel[(long)k * nr + j % nr];
                C[(long)i * ldc + j] = s + (beta == 0.0f ? 0.0f : beta * C[(long)i * ldc + j]);
            }
        return;
    }
    for (int pc = 0; pc < K; pc += kc) {
        int kb = K - pc < kc ? K - pc : kc;
        float b_eff = pc == 0 ? beta : 1.0f;
        for (int ic = 0; ic < M; ic += mc) {
            int mb = M - ic < mc ? M - ic : mc;
            if (mb == 1 && cfg->row) {
                // A single row needs no packing: its k values are contiguous in A.
                cfg->row(kb, A + (long)ic * lda + pc, 1, Bp + (long)pc * nr, (long)nr * K, N, b_eff,
                         C + (long)ic * ldc);
                continue;
            }
            pack_a_rows(A + (long)ic * lda + pc, lda, mb, kb, mr, Ap);
            for (int jr = 0; jr < N; jr += nr) {
                int cols = N - jr < nr ? N - jr : nr;
                const float *bp = Bp + (long)jr * K + (long)pc * nr;
                for (int ir = 0; ir < mb; ir += mr) {
                    int rows = mb - ir < mr ? mb - ir : mr;
                    const float *ap = Ap + (long)ir * kb;
                    float *c = C + (long)(ic + ir) * ldc + jr;
                    if (rows == mr && cols == nr) {
                        cfg->kernel(kb, ap, bp, 1.0f, b_eff, c, ldc);
                    } else if (cfg->edge) {
                        cfg->edge(kb, ap, bp, 1.0f, b_eff, c, ldc, rows, cols);
                    } else {
                        float tile[128] __attribute__((aligned(64)));
                        cfg->kernel(kb, ap, bp, 1.0f, 0.0f, tile, nr);
                        for (int r = 0; r < rows; r++)
                            for (int j = 0; j < cols; j++) {
                                float *cr = c + (long)r * ldc + j;
                                *cr = tile[r * nr + j] + (b_eff == 0.0f ? 0.0f : b_eff * *cr);
                            }
                    }
                }
            }
        }
    }
}
