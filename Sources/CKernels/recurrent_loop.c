// The recurrent time loops (forward and BPTT) for one direction of SimpleRNN, LSTM or GRU.
//
// Batch rows are independent for the whole sequence, so the batch is split into one row
// block per thread and every thread runs all T steps for its rows: the threads meet once
// per pass, not once per step. Per step a thread does its slice of the recurrent product
// (W_hh packed once per pass) and the fused cell kernel; nothing is allocated in the loop.
// The large products over all steps (input projection, weight gradients) stay outside,
// in the caller, where rk_sgemm threads them.
#include "CKernels.h"
#include "internal.h"
#include <stdlib.h>
#include <string.h>

// Rows below which a thread's share is not worth the hand-off; and minimum multiply-adds
// per step (B·G·H·H) before the batch is split at all.
#define RK_LOOP_MIN_ROWS 4
#define RK_LOOP_MIN_STEP_WORK (1L << 15)

static int gate_count(int cell) { return cell == RK_CELL_LSTM ? 4 : cell == RK_CELL_GRU ? 3 : 1; }

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

// Packs W_hh [G·H, H] for the selected path; returns 0 on the reference path or on failure.
static int pack_weights(rk_weights *w, int forward_only, int GH, int H, const float *whh, float **buffer) {
    w->cfg = NULL;
    w->wf = w->wb = NULL;
    *buffer = NULL;
    const rk_gemm_config *cfg = rk_active_kernels()->gemm;
    if (!cfg) return 0;  // the reference path
    long nf = rk_packed_b_floats(cfg, H, GH), nb = forward_only ? 0 : rk_packed_b_floats(cfg, GH, H);
    void *p = NULL;
    if (posix_memalign(&p, 64, (size_t)(nf + nb) * sizeof(float)) != 0) return 0;
    float *buf = p;
    rk_pack_b_full(cfg, 1, whh, H, H, GH, buf);               // op(B) = W_hhᵀ [H, G·H]
    if (!forward_only) rk_pack_b_full(cfg, 0, whh, H, GH, H, buf + nf);  // op(B) = W_hh [G·H, H]
    w->cfg = cfg;
    w->wf = buf;
    w->wb = forward_only ? NULL : buf + nf;
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
    int cell, activation, B, T, H;
    const float *xp, *bhh;
    float *hs, *cs, *gates, *tcs, *hh;
    int hh_per_step, keep_steps, t0;
    const int *lengths;
    rk_weights w;
    const float *whh;
} fwd_job;

static void forward_rows(const fwd_job *j, int b0, int b1) {
    const int B = j->B, H = j->H, G = gate_count(j->cell), GH = G * H, rows = b1 - b0;
    const long bh = (long)B * H, bgh = (long)B * GH;
    if (rows <= 0) return;
    for (int t = 0; t < j->T; t++) {
        float *hh = j->hh + (j->hh_per_step ? t * bgh : 0) + (long)b0 * GH;
        const float *hprev = j->hs + t * bh + (long)b0 * H;
        float *hnext = j->hs + (t + 1) * bh + (long)b0 * H;
        const float *xp = j->xp + t * bgh + (long)b0 * GH;
        float *g = j->gates + (j->keep_steps ? t * bgh : 0) + (long)b0 * GH;
        float *tc = j->tcs ? j->tcs + (j->keep_steps ? t * bh : 0) + (long)b0 * H : NULL;
        step_product(&j->w, 1, rows, GH, H, hprev, j->whh, 0.0f, hh);
        if (j->bhh) rk_add_bias_rows(hh, rows, GH, GH, j->bhh);
        switch (j->cell) {
        case RK_CELL_RNN:
            rk_rnn_forward(rows, H, j->activation, xp, hh, hnext);
            break;
        case RK_CELL_LSTM:
            rk_lstm_forward(rows, H, xp, hh, j->cs + t * bh + (long)b0 * H, g,
                            j->cs + (t + 1) * bh + (long)b0 * H, tc, hnext);
            break;
        default:
            rk_gru_forward(rows, H, xp, hh, hprev, g, hnext);
            break;
        }
        if (j->lengths) {
            // Finished sequences keep their last state.
            for (int b = b0; b < b1; b++) {
                if (j->t0 + t < j->lengths[b]) continue;
                memcpy(j->hs + (t + 1) * bh + (long)b * H, j->hs + t * bh + (long)b * H, (size_t)H * sizeof(float));
                if (j->cell == RK_CELL_LSTM)
                    memcpy(j->cs + (t + 1) * bh + (long)b * H, j->cs + t * bh + (long)b * H, (size_t)H * sizeof(float));
            }
        }
    }
}

static void forward_part(void *arg, int index, int count) {
    const fwd_job *j = arg;
    int b0, b1;
    part_rows(j->B, index, count, &b0, &b1);
    forward_rows(j, b0, b1);
}

void rk_recurrent_forward(int cell, int activation, int B, int T, int H, const float *xp,
                          const float *whh, const float *bhh, float *hs, float *cs, float *gates,
                          float *tcs, float *hh, int flags, int t0, const int *lengths) {
    if (B <= 0 || T <= 0 || H <= 0) return;
    const int GH = gate_count(cell) * H;
    fwd_job j = {cell, activation, B, T, H, xp, bhh, hs, cs, gates, tcs, hh,
                 (flags & RK_LOOP_HH_PER_STEP) != 0, (flags & RK_LOOP_KEEP_STEPS) != 0, t0, lengths, {0}, whh};
    float *buffer;
    pack_weights(&j.w, 1, GH, H, whh, &buffer);
    int parts = loop_parts(B, (long)B * GH * H);
    if (parts <= 1) forward_rows(&j, 0, B);
    else rk_parallel(forward_part, &j, parts);
    free(buffer);
}

/* ---------------------------------------------------------------- backward */

typedef struct {
    int cell, activation, B, T, H, bptt;
    const float *whh, *gates, *hs, *cs, *tcs, *hh, *seq;
    const int *lengths;
    float *dh, *dc, *dxp, *dhh, *direct, *saved_dh, *saved_dc;
    rk_weights w;
} bwd_job;

static void backward_rows(const bwd_job *j, int b0, int b1) {
    const int B = j->B, H = j->H, G = gate_count(j->cell), GH = G * H, rows = b1 - b0;
    const long bh = (long)B * H, bgh = (long)B * GH, o = (long)b0 * H, og = (long)b0 * GH;
    const int gru = j->cell == RK_CELL_GRU, lstm = j->cell == RK_CELL_LSTM;
    if (rows <= 0) return;
    float *dh = j->dh + o, *dc = lstm ? j->dc + o : NULL;
    for (int t = j->T - 1; t >= 0; t--) {
        if (j->seq) {
            const float *s = j->seq + t * bh + o;
            if (!j->lengths) {
                for (long k = 0; k < (long)rows * H; k++) dh[k] += s[k];
            } else {
                for (int b = 0; b < rows; b++)
                    if (t < j->lengths[b0 + b])
                        for (int k = 0; k < H; k++) dh[(long)b * H + k] += s[(long)b * H + k];
            }
        }
        if (j->lengths) {
            // Padding steps: no input gradient; dh and dc pass through unchanged.
            for (int b = 0; b < rows; b++) {
                if (t < j->lengths[b0 + b]) continue;
                memcpy(j->saved_dh + o + (long)b * H, dh + (long)b * H, (size_t)H * sizeof(float));
                if (lstm) memcpy(j->saved_dc + o + (long)b * H, dc + (long)b * H, (size_t)H * sizeof(float));
            }
        }
        const float *g = j->gates + t * bgh + og;
        float *dxp = j->dxp + t * bgh + og;
        float *dhh = gru ? j->dhh + t * bgh + og : dxp;
        switch (j->cell) {
        case RK_CELL_RNN:
            rk_rnn_backward(rows, H, j->activation, dh, j->hs + (t + 1) * bh + o, dxp);
            break;
        case RK_CELL_LSTM:
            rk_lstm_backward(rows, H, dh, dc, g, j->cs + t * bh + o, j->tcs + t * bh + o, dxp);
            break;
        default:
            rk_gru_backward(rows, H, dh, g, j->hh + t * bgh + og, j->hs + t * bh + o, dxp, dhh, j->direct + o);
            break;
        }
        if (j->lengths) {
            for (int b = 0; b < rows; b++) {
                if (t < j->lengths[b0 + b]) continue;
                memset(dxp + (long)b * GH, 0, (size_t)GH * sizeof(float));
                if (gru) memset(dhh + (long)b * GH, 0, (size_t)GH * sizeof(float));
            }
        }
        // dh_{t-1} = d(HH_t)·W_hh (+ z ⊙ dh_t for GRU)
        if (gru) memcpy(dh, j->direct + o, (size_t)rows * H * sizeof(float));
        step_product(&j->w, 0, rows, H, GH, dhh, j->whh, gru ? 1.0f : 0.0f, dh);
        if (j->lengths) {
            for (int b = 0; b < rows; b++) {
                if (t < j->lengths[b0 + b]) continue;
                memcpy(dh + (long)b * H, j->saved_dh + o + (long)b * H, (size_t)H * sizeof(float));
                if (lstm) memcpy(dc + (long)b * H, j->saved_dc + o + (long)b * H, (size_t)H * sizeof(float));
            }
        }
        if (j->bptt > 0 && t % j->bptt == 0 && t > 0) {
            // Truncated BPTT: h_{t-1} (and c_{t-1}) start a new chunk and count as constants.
            memset(dh, 0, (size_t)rows * H * sizeof(float));
            if (lstm) memset(dc, 0, (size_t)rows * H * sizeof(float));
        }
    }
}

static void backward_part(void *arg, int index, int count) {
    const bwd_job *j = arg;
    int b0, b1;
    part_rows(j->B, index, count, &b0, &b1);
    backward_rows(j, b0, b1);
}

void rk_recurrent_backward(int cell, int activation, int B, int T, int H, const float *whh,
                           const float *gates, const float *hs, const float *cs, const float *tcs,
                           const float *hh, const float *seq_grad, const int *lengths, int bptt_steps,
                           float *dh, float *dc, float *dxp, float *dhh, float *dh_direct,
                           float *saved_dh, float *saved_dc) {
    if (B <= 0 || T <= 0 || H <= 0) return;
    const int GH = gate_count(cell) * H;
    bwd_job j = {cell, activation, B, T, H, bptt_steps, whh, gates, hs, cs, tcs, hh, seq_grad, lengths,
                 dh, dc, dxp, dhh, dh_direct, saved_dh, saved_dc, {0}};
    float *buffer;
    pack_weights(&j.w, 0, GH, H, whh, &buffer);
    int parts = loop_parts(B, (long)B * GH * H);
    if (parts <= 1) backward_rows(&j, 0, B);
    else rk_parallel(backward_part, &j, parts);
    free(buffer);
}
