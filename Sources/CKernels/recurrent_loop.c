// The recurrent time loops (forward and BPTT) for one direction of SimpleRNN, LSTM or GRU.
//
// Batch rows are independent for the whole sequence. When a step has enough work
// (RK_LOOP_MIN_STEP_WORK) and the batch at least RK_LOOP_MIN_ROWS rows a thread, the batch is
// split into row blocks, one per pool thread, and every thread runs all T steps for its rows,
// so the threads meet once per pass, not once per step; otherwise the calling thread runs the
// pass alone. Per step a thread does its slice of the recurrent product and the fused cell
// kernel. W_hh is packed once per pass, in the one orientation the pass needs: the only
// allocation. The large products over all steps (input projection, weight gradients) stay
// outside, in the caller, where rk_sgemm threads them.
#include "CKernels.h"
#include "internal.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

// Rows below which a thread's share is not worth the hand-off; and minimum multiply-adds
// per step (B·G·H·H) before the batch is split at all.
#define RK_LOOP_MIN_ROWS 4
#define RK_LOOP_MIN_STEP_WORK (1L << 15)

typedef struct {
    const rk_gemm_config *cfg;  // NULL: reference path (plain loops, one thread)
    const float *wf;            // W_hh packed as op(B) for the forward product h·W_hhᵀ
    const float *wb;            // W_hh packed for the backward product d(HH)·W_hh
} rk_weights;

// C[M, N] = A[M, K] · op(W) + beta·C with the packed weights (or the reference loops).
static void step_product(const rk_weights *w, int forward, int M, int N, int K, const float *A,
                         const float *whh, float beta, float *C) {
    if (w->cfg) {
        rk_gemm_prepacked_b(w->cfg, M, N, K, A, K, forward ? w->wf : w->wb, beta, C, N);
    } else if (forward) {
        rk_sgemm_reference(0, 1, M, N, K, 1.0f, A, K, whh, K, beta, C, N);
    } else {
        rk_sgemm_reference(0, 0, M, N, K, 1.0f, A, K, whh, N, beta, C, N);
    }
}

// Packs W_hh [G·H, H] as op(B) of the forward product (forward = 1) or of the backward one;
// returns 0 on the reference path or on failure (the plain loops then run).
static int pack_weights(rk_weights *w, int forward, int GH, int H, const float *whh, float **buffer) {
    w->cfg = NULL;
    w->wf = w->wb = NULL;
    *buffer = NULL;
    const rk_gemm_config *cfg = rk_active_kernels()->gemm;
    if (!cfg) return 0;  // the reference path
    long n = forward ? rk_packed_b_floats(cfg, H, GH) : rk_packed_b_floats(cfg, GH, H);
    void *p = NULL;
    if (posix_memalign(&p, 64, (size_t)n * sizeof(float)) != 0) return 0;
    float *buf = p;
    if (forward) rk_pack_b_full(cfg, 1, whh, H, H, GH, buf);  // op(B) = W_hhᵀ [H, G·H]
    else rk_pack_b_full(cfg, 0, whh, H, GH, H, buf);          // op(B) = W_hh [G·H, H]
    w->cfg = cfg;
    if (forward) w->wf = buf;
    else w->wb = buf;
    *buffer = buf;
    return 1;
}

// Number of row blocks for a batch of B with per-step work `work`.
static int loop_parts(int B, long work) {
    if (rk_active_isa() == RK_ISA_REFERENCE) return 1;
    int threads = rk_threads();
    if (threads <= 1 || work < RK_LOOP_MIN_STEP_WORK) return 1;
    int parts = B / RK_LOOP_MIN_ROWS;
    return parts < threads ? (parts < 1 ? 1 : parts) : threads;
}

static void part_rows(int B, int index, int count, int *b0, int *b1) {
    *b0 = (int)((long)B * index / count);
    *b1 = (int)((long)B * (index + 1) / count);
}

/* ---------------------------------------------------------------- forward */

typedef struct {
    const rk_loop_args *a;
    rk_weights w;
} loop_job;

static void forward_rows(const loop_job *j, int b0, int b1) {
    const rk_kernel_set *k = rk_active_kernels();  /* the cell kernels of this thread's ISA, called directly */
    const rk_loop_args *a = j->a;
    const int B = a->B, H = a->H, GH = rk_gate_count(a->cell) * H, rows = b1 - b0;
    const int hh_per_step = (a->flags & RK_LOOP_HH_PER_STEP) != 0, keep_steps = (a->flags & RK_LOOP_KEEP_STEPS) != 0;
    const long bh = (long)B * H, bgh = (long)B * GH;
    if (rows <= 0) return;
    for (int t = 0; t < a->T; t++) {
        float *hh = a->hh + (hh_per_step ? t * bgh : 0) + (long)b0 * GH;
        const float *hprev = a->hs + t * bh + (long)b0 * H;
        float *hnext = a->hs + (t + 1) * bh + (long)b0 * H;
        const float *xp = a->xp + t * bgh + (long)b0 * GH;
        float *g = a->gates + (keep_steps ? t * bgh : 0) + (long)b0 * GH;
        float *tc = a->tcs ? a->tcs + (keep_steps ? t * bh : 0) + (long)b0 * H : NULL;
        step_product(&j->w, 1, rows, GH, H, hprev, a->whh, 0.0f, hh);
        if (a->bhh) rk_add_bias_rows(hh, rows, GH, GH, a->bhh);
        const int lstm = a->cell == RK_CELL_LSTM;
        rk_cell_forward(k, a->cell, a->activation, rows, H, xp, hh, hprev, lstm ? a->cs + t * bh + (long)b0 * H : NULL, g,
                        lstm ? a->cs + (t + 1) * bh + (long)b0 * H : NULL, tc, hnext);
        if (a->lengths) {
            // Finished sequences keep their last state.
            for (int b = b0; b < b1; b++) {
                if (a->t0 + t < a->lengths[b]) continue;
                memcpy(a->hs + (t + 1) * bh + (long)b * H, a->hs + t * bh + (long)b * H, (size_t)H * sizeof(float));
                if (a->cell == RK_CELL_LSTM)
                    memcpy(a->cs + (t + 1) * bh + (long)b * H, a->cs + t * bh + (long)b * H, (size_t)H * sizeof(float));
            }
        }
    }
}

static void forward_part(void *arg, int index, int count) {
    const loop_job *j = arg;
    int b0, b1;
    part_rows(j->a->B, index, count, &b0, &b1);
    forward_rows(j, b0, b1);
}

/* ---------------------------------------------------------------- backward */

// Σ v² over n floats, in Double and in index order (the order the norms were always summed in).
static double sum_of_squares(const float *v, long n) {
    double s = 0;
    for (long k = 0; k < n; k++) s += (double)v[k] * (double)v[k];
    return s;
}

// ‖dL/dc_t‖ where dL/dc_t = dc (from c_{t+1}) + dh_t ⊙ o_t ⊙ (1 − tanh²c_t): the total
// derivative the LSTM backward forms before it updates dc. Rows of B·H, gates [B, 4H].
// Every product is rounded on its own (no fused multiply-add), as the norms always were.
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("fp-contract=off")))
#endif
static float lstm_cell_norm(int rows, int H, const float *dh, const float *dc, const float *gates, const float *tc) {
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif
    double s = 0;
    for (int b = 0; b < rows; b++)
        for (int j = 0; j < H; j++) {
            long k = (long)b * H + j;
            float o = gates[(long)b * 4 * H + 3 * H + j], t = tc[k];
            float v = dc[k] + dh[k] * o * (1 - t * t);
            s += (double)v * (double)v;
        }
    return (float)sqrt(s);
}

static void backward_rows(const loop_job *j, int b0, int b1) {
    const rk_kernel_set *k = rk_active_kernels();  /* the cell kernels of this thread's ISA, called directly */
    const rk_loop_args *a = j->a;
    const int B = a->B, H = a->H, G = rk_gate_count(a->cell), GH = G * H, rows = b1 - b0;
    const long bh = (long)B * H, bgh = (long)B * GH, o = (long)b0 * H, og = (long)b0 * GH;
    const int gru = a->cell == RK_CELL_GRU, lstm = a->cell == RK_CELL_LSTM;
    if (rows <= 0) return;
    float *dh = a->dh + o, *dc = lstm ? a->dc + o : NULL;
    for (int t = a->T - 1; t >= 0; t--) {
        if (a->seq_grad) {
            const float *s = a->seq_grad + t * bh + o;
            if (!a->lengths) {
                for (long k = 0; k < (long)rows * H; k++) dh[k] += s[k];
            } else {
                for (int b = 0; b < rows; b++)
                    if (t < a->lengths[b0 + b])
                        for (int k = 0; k < H; k++) dh[(long)b * H + k] += s[(long)b * H + k];
            }
        }
        if (a->lengths) {
            // Padding steps: no input gradient; dh and dc pass through unchanged.
            for (int b = 0; b < rows; b++) {
                if (t < a->lengths[b0 + b]) continue;
                memcpy(a->saved_dh + o + (long)b * H, dh + (long)b * H, (size_t)H * sizeof(float));
                if (lstm) memcpy(a->saved_dc + o + (long)b * H, dc + (long)b * H, (size_t)H * sizeof(float));
            }
        }
        const float *g = a->gates + t * bgh + og;
        // Recording runs on one row block (rk_recurrent_backward), so these are whole-batch norms.
        if (a->h_norms) a->h_norms[t] = (float)sqrt(sum_of_squares(dh, (long)rows * H));
        if (a->c_norms && lstm) a->c_norms[t] = lstm_cell_norm(rows, H, dh, dc, g, a->tcs + t * bh + o);
        float *dxp = a->dxp + t * bgh + og;
        float *dhh = gru ? a->dhh + t * bgh + og : dxp;
        switch (a->cell) {
        case RK_CELL_RNN:
            k->rnn_backward(rows, H, a->activation, dh, a->hs + (t + 1) * bh + o, dxp);
            break;
        case RK_CELL_LSTM:
            k->lstm_backward(rows, H, dh, dc, g, a->cs + t * bh + o, a->tcs + t * bh + o, dxp);
            break;
        default:
            k->gru_backward(rows, H, dh, g, a->hh + t * bgh + og, a->hs + t * bh + o, dxp, dhh, a->dh_direct + o);
            break;
        }
        if (a->lengths) {
            for (int b = 0; b < rows; b++) {
                if (t < a->lengths[b0 + b]) continue;
                memset(dxp + (long)b * GH, 0, (size_t)GH * sizeof(float));
                if (gru) memset(dhh + (long)b * GH, 0, (size_t)GH * sizeof(float));
            }
        }
        // dh_{t-1} = d(HH_t)·W_hh (+ z ⊙ dh_t for GRU)
        if (gru) memcpy(dh, a->dh_direct + o, (size_t)rows * H * sizeof(float));
        step_product(&j->w, 0, rows, H, GH, dhh, a->whh, gru ? 1.0f : 0.0f, dh);
        if (a->lengths) {
            for (int b = 0; b < rows; b++) {
                if (t < a->lengths[b0 + b]) continue;
                memcpy(dh + (long)b * H, a->saved_dh + o + (long)b * H, (size_t)H * sizeof(float));
                if (lstm) memcpy(dc + (long)b * H, a->saved_dc + o + (long)b * H, (size_t)H * sizeof(float));
            }
        }
        if (a->bptt_steps > 0 && t % a->bptt_steps == 0 && t > 0) {
            // Truncated BPTT: h_{t-1} (and c_{t-1}) start a new chunk and count as constants.
            memset(dh, 0, (size_t)rows * H * sizeof(float));
            if (lstm) memset(dc, 0, (size_t)rows * H * sizeof(float));
        }
    }
}

static void backward_part(void *arg, int index, int count) {
    const loop_job *j = arg;
    int b0, b1;
    part_rows(j->a->B, index, count, &b0, &b1);
    backward_rows(j, b0, b1);
}

/* ---------------------------------------------------------------- both */

// Packs W_hh for the direction into *buffer (free it after the pass) and returns the number
// of row blocks: 0 when there is nothing to run; 1 on this thread alone, also whenever norms
// are recorded (each norm is then one sum in a fixed order); more across the pool.
static int prepare(loop_job *j, const rk_loop_args *a, int forward, float **buffer) {
    *buffer = NULL;
    if (a->B <= 0 || a->T <= 0 || a->H <= 0) return 0;
    const int GH = rk_gate_count(a->cell) * a->H;
    j->a = a;
    pack_weights(&j->w, forward, GH, a->H, a->whh, buffer);
    if (!forward && (a->h_norms || a->c_norms)) return 1;
    return loop_parts(a->B, (long)a->B * GH * a->H);
}

static void forward_by_rows(const rk_loop_args *a) {
    loop_job j;
    float *buffer;
    int parts = prepare(&j, a, 1, &buffer);
    if (parts == 1) forward_rows(&j, 0, a->B);
    else if (parts > 1) rk_parallel(forward_part, &j, parts);
    free(buffer);
}

void rk_recurrent_forward(const rk_loop_args *a) {
    // A batch too small to split by rows may split by hidden units (recurrent_lockstep.c).
    if (rk_lockstep_eligible(a)) rk_recurrent_forward_small(a, forward_by_rows);
    else forward_by_rows(a);
}

void rk_recurrent_backward(const rk_loop_args *a) {
    loop_job j;
    float *buffer;
    int parts = prepare(&j, a, 0, &buffer);
    if (parts == 1) backward_rows(&j, 0, a->B);
    else if (parts > 1) rk_parallel(backward_part, &j, parts);
    free(buffer);
}
