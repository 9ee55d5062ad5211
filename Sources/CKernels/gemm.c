// Blocked GEMM driver (GotoBLAS loop order): packs op(A) and op(B) into register-tile
// panels and calls the configuration's micro-kernel; the same driver serves the AVX2 and
// the portable kernels. Splitting across threads lives in rk_gemm_run.
#include "CKernels.h"
#include "internal.h"
#include <stdlib.h>
#include <string.h>

#define RK_MAX_TILE 128  // mr * nr of any configuration

// Per-thread packing buffers, grown on demand and kept for the thread's life.
static _Thread_local float *pack_a, *pack_b;
static _Thread_local size_t pack_a_cap, pack_b_cap;

static float *grow(float **buf, size_t *cap, size_t n) {
    if (n > *cap) {
        free(*buf);
        void *p = NULL;
        if (posix_memalign(&p, 64, n * sizeof(float)) != 0) p = NULL;
        *buf = p;
        *cap = p ? n : 0;
    }
    return *buf;
}

// Ap[(panel)][k][r] = op(A)[i0 + r, p0 + k], rows past mb zero-filled.
static void pack_a_block(int transA, const float *A, long lda, int i0, int p0, int mb, int kb,
                         int mr, float *Ap) {
    for (int ir = 0; ir < mb; ir += mr) {
        int rows = mb - ir < mr ? mb - ir : mr;
        float *dst = Ap + (long)ir * kb;
        if (transA) {
            // op(A)[i,k] = A[k,i]: each k contributes `rows` contiguous floats.
            for (int k = 0; k < kb; k++) {
                const float *src = A + (long)(p0 + k) * lda + i0 + ir;
                float *d = dst + (long)k * mr;
                int r = 0;
                for (; r < rows; r++) d[r] = src[r];
                for (; r < mr; r++) d[r] = 0.0f;
            }
        } else {
            for (int r = 0; r < rows; r++) {
                const float *src = A + (long)(i0 + ir + r) * lda + p0;
                for (int k = 0; k < kb; k++) dst[(long)k * mr + r] = src[k];
            }
            for (int r = rows; r < mr; r++)
                for (int k = 0; k < kb; k++) dst[(long)k * mr + r] = 0.0f;
        }
    }
}

// Bp[(panel)][k][c] = op(B)[p0 + k, j0 + c], columns past nb zero-filled.
static void pack_b_block(int transB, const float *B, long ldb, int p0, int j0, int kb, int nb,
                         int nr, float *Bp) {
    for (int jr = 0; jr < nb; jr += nr) {
        int cols = nb - jr < nr ? nb - jr : nr;
        float *dst = Bp + (long)jr * kb;
        if (!transB) {
            for (int k = 0; k < kb; k++) {
                const float *src = B + (long)(p0 + k) * ldb + j0 + jr;
                float *d = dst + (long)k * nr;
                if (cols == nr) {
                    memcpy(d, src, (size_t)nr * sizeof(float));
                } else {
                    int c = 0;
                    for (; c < cols; c++) d[c] = src[c];
                    for (; c < nr; c++) d[c] = 0.0f;
                }
            }
        } else {
            // op(B)[k,j] = B[j,k]: walk each stored row contiguously, scatter with stride nr.
            for (int c = 0; c < cols; c++) {
                const float *src = B + (long)(j0 + jr + c) * ldb + p0;
                for (int k = 0; k < kb; k++) dst[(long)k * nr + c] = src[k];
            }
            for (int c = cols; c < nr; c++)
                for (int k = 0; k < kb; k++) dst[(long)k * nr + c] = 0.0f;
        }
    }
}

static void scale_c(int M, int N, float beta, float *C, long ldc) {
    for (int i = 0; i < M; i++) {
        float *row = C + (long)i * ldc;
        if (beta == 0.0f) memset(row, 0, (size_t)N * sizeof(float));
        else for (int j = 0; j < N; j++) row[j] *= beta;
    }
}

void rk_gemm_blocked(const rk_gemm_config *cfg, int transA, int transB, int M, int N, int K,
                     float alpha, const float *A, long lda, const float *B, long ldb,
                     float beta, float *C, long ldc) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0) { scale_c(M, N, beta, C, ldc); return; }
    const int mr = cfg->mr, nr = cfg->nr;
    const int kc = K < cfg->kc ? K : cfg->kc;
    const int mc = M < cfg->mc ? ((M + mr - 1) / mr) * mr : cfg->mc;
    const int nc = N < cfg->nc ? ((N + nr - 1) / nr) * nr : cfg->nc;
    float *Ap = grow(&pack_a, &pack_a_cap, (size_t)mc * kc);
    float *Bp = grow(&pack_b, &pack_b_cap, (size_t)nc * kc);
    if (!Ap || !Bp) {
        rk_sgemm_reference(transA, transB, M, N, K, alpha, A, (int)lda, B, (int)ldb, beta, C, (int)ldc);
        return;
    }
    float tile[RK_MAX_TILE] __attribute__((aligned(64)));

    for (int jc = 0; jc < N; jc += nc) {
        int nb = N - jc < nc ? N - jc : nc;
        for (int pc = 0; pc < K; pc += kc) {
            int kb = K - pc < kc ? K - pc : kc;
            float b_eff = pc == 0 ? beta : 1.0f;
            pack_b_block(transB, B, ldb, pc, jc, kb, nb, nr, Bp);
            for (int ic = 0; ic < M; ic += mc) {
                int mb = M - ic < mc ? M - ic : mc;
                pack_a_block(transA, A, lda, ic, pc, mb, kb, mr, Ap);
                for (int jr = 0; jr < nb; jr += nr) {
                    int cols = nb - jr < nr ? nb - jr : nr;
                    const float *bp = Bp + (long)jr * kb;
                    for (int ir = 0; ir < mb; ir += mr) {
                        int rows = mb - ir < mr ? mb - ir : mr;
                        const float *ap = Ap + (long)ir * kb;
                        float *c = C + (long)(ic + ir) * ldc + jc + jr;
                        if (rows == mr && cols == nr) {
                            cfg->kernel(kb, ap, bp, alpha, b_eff, c, ldc);
                        } else if (cfg->edge) {
                            cfg->edge(kb, ap, bp, alpha, b_eff, c, ldc, rows, cols);
                        } else {
                            cfg->kernel(kb, ap, bp, alpha, 0.0f, tile, nr);
                            for (int r = 0; r < rows; r++) {
                                float *cr = c + (long)r * ldc;
                                const float *t = tile + r * nr;
                                if (b_eff == 0.0f) for (int j = 0; j < cols; j++) cr[j] = t[j];
                                else for (int j = 0; j < cols; j++) cr[j] = t[j] + b_eff * cr[j];
                            }
                        }
                    }
                }
            }
        }
    }
}
