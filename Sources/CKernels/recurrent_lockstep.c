// Forward inference of a batch too small to split by rows (one window, a few series): the
// hidden units are split between two threads instead, each holding the recurrent weights of
// its units (half of W_hh, which then fits the core's L1 where the whole matrix did not) and
// keeping c for its units; the two meet once per step, when both halves of h_t are written.
//
// Every unit's arithmetic is what the one-thread loop does (each column of the packed product
// is one FMA chain over k, each unit of a cell kernel one lane of lane-wise operations,
// wherever it sits in a vector), so the result is identical to the bit. Before the first step
// the caller waits a short while for a pool worker; if none comes (its core is busy) it gives
// up and the caller runs the loop alone.
//
// Whether the split pays depends on how fast the two cores see each other's writes, which
// on a virtual machine changes with where its CPUs are placed: on the 2-CPU Zen 5 machine of
// issue 14 the lab model's one-window prediction took 0.69× the one-thread time at one hour
// and about 1.05× an hour later. So the choice is measured
// too: each mode's time per multiply-add is kept as a running average, the faster one runs,
// and every LOCKSTEP_EXPLORE-th call runs the other to notice when that changes.
#include "CKernels.h"
#include "internal.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOCKSTEP_MAX_ROWS 7        // larger batches are split by rows (recurrent_loop.c)
#define LOCKSTEP_MIN_UNITS 32      // each half at least 16 units
#define LOCKSTEP_MIN_STEP_WORK 4096L  // multiply-adds per step (G·H·H), below which one core wins
#define LOCKSTEP_WAIT_NS 50000L    // how long the caller waits for the worker
#define LOCKSTEP_EXPLORE 32       // every this many calls the slower mode runs once

// Ticks per 4096 multiply-adds of each mode, averaged (0: not measured yet).
static atomic_llong cost_split, cost_alone;
static atomic_uint small_calls;

enum { MODE_UNDECIDED = 0, MODE_SPLIT = 1, MODE_ALONE = 2 };

typedef struct {
    _Alignas(64) atomic_int steps;  // steps this half has finished (its own cache line)
} half_clock;

typedef struct {
    const rk_loop_args *a;
    const rk_gemm_config *cfg;
    const rk_kernel_set *k;
    int split;  // first unit of the second half
    float *memory[2];
    atomic_int mode;
    half_clock clock[2];
} lockstep_job;

// A cheap monotonic tick count (only ratios of two spans are used).
static inline unsigned long long ticks(void) {
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_ia32_rdtsc();
#elif defined(__aarch64__)
    unsigned long long v;
    __asm__ __volatile__("mrs %0, cntvct_el0" : "=r"(v));
    return v;
#else
    return (unsigned long long)rk_now_ns();
#endif
}

static void *aligned_floats(long n) {
    void *p = NULL;
    return posix_memalign(&p, 64, (size_t)(n > 0 ? n : 1) * sizeof(float)) == 0 ? p : NULL;
}

// Each buffer starts on a 64-byte boundary (the packed panels are read with aligned loads).
static long round16(long n) { return (n + 15) / 16 * 16; }

// Floats one half needs: its W_hh rows [G·Hp, H], their packed form, and per-step xp, hh,
// gates (each [B, G·Hp]), tanh(c) [Hp] and b_hh [G·Hp].
static long half_floats(const rk_gemm_config *cfg, int B, int G, int H, int Hp) {
    return round16((long)G * Hp * H) + round16(rk_packed_b_floats(cfg, H, G * Hp)) + 3 * round16((long)B * G * Hp) +
           round16(Hp) + round16((long)G * Hp);
}

// Units [u0, u1) for every row and step, in `memory` (half_floats of it). The gate blocks of
// this half are laid out [G][Hp] (Hp = u1 - u0): a row of Hp units as the cell kernels read it.
static void run_half(lockstep_job *j, int half, int u0, int u1, float *memory) {
    const rk_loop_args *a = j->a;
    const rk_kernel_set *k = j->k;
    const int B = a->B, H = a->H, G = rk_gate_count(a->cell), GH = G * H, Hp = u1 - u0, GHp = G * Hp;
    const long bh = (long)B * H, bgh = (long)B * GH;
    float *rows = memory, *packed = rows + round16((long)GHp * H), *xp = packed + round16(rk_packed_b_floats(j->cfg, H, GHp));
    float *hh = xp + round16((long)B * GHp), *gates = hh + round16((long)B * GHp), *tc = gates + round16((long)B * GHp);
    float *bias = tc + round16(Hp);
    // W_hh rows of this half's units, gate by gate, packed as op(B) = rowsᵀ [H, G·Hp].
    for (int g = 0; g < G; g++)
        for (int u = 0; u < Hp; u++)
            memcpy(rows + ((long)g * Hp + u) * H, a->whh + ((long)g * H + u0 + u) * H, (size_t)H * sizeof(float));
    rk_pack_b_full(j->cfg, 1, rows, H, H, GHp, packed);
    if (a->bhh)
        for (int g = 0; g < G; g++) memcpy(bias + (long)g * Hp, a->bhh + (long)g * H + u0, (size_t)Hp * sizeof(float));
    for (int t = 0; t < a->T; t++) {
        const float *hprev = a->hs + t * bh;
        float *hnext = a->hs + (t + 1) * bh;
        for (int b = 0; b < B; b++)
            for (int g = 0; g < G; g++)
                memcpy(xp + (long)b * GHp + (long)g * Hp, a->xp + t * bgh + (long)b * GH + (long)g * H + u0,
                       (size_t)Hp * sizeof(float));
        rk_gemm_prepacked_b(j->cfg, B, GHp, H, hprev, H, packed, 0.0f, hh, GHp);
        if (a->bhh) rk_add_bias_rows(hh, B, GHp, GHp, bias);
        for (int b = 0; b < B; b++) {
            const long at = (long)b * H + u0;  // this row's first unit of the half in hs, cs
            const int lstm = a->cell == RK_CELL_LSTM;
            rk_cell_forward(k, a->cell, a->activation, 1, Hp, xp + (long)b * GHp, hh + (long)b * GHp, hprev + at,
                            lstm ? a->cs + t * bh + at : NULL, gates, lstm ? a->cs + (t + 1) * bh + at : NULL, tc, hnext + at);
        }
        // h_t is whole once both halves have written theirs.
        atomic_store_explicit(&j->clock[half].steps, t + 1, memory_order_release);
        while (atomic_load_explicit(&j->clock[1 - half].steps, memory_order_acquire) < t + 1) rk_cpu_relax();
    }
}

static void lockstep_part(void *arg, int index, int count) {
    (void)count;
    lockstep_job *j = arg;
    if (index == 1) {
        int undecided = MODE_UNDECIDED;
        if (!atomic_compare_exchange_strong(&j->mode, &undecided, MODE_SPLIT) && undecided != MODE_SPLIT) return;
        run_half(j, 1, j->split, j->a->H, j->memory[1]);
        return;
    }
    const long start = rk_now_ns();
    int polls = 0;
    while (atomic_load_explicit(&j->mode, memory_order_acquire) == MODE_UNDECIDED) {
        rk_cpu_relax();
        if (++polls % 64 == 0 && rk_now_ns() - start > LOCKSTEP_WAIT_NS) {
            int undecided = MODE_UNDECIDED;
            if (atomic_compare_exchange_strong(&j->mode, &undecided, MODE_ALONE)) return;
        }
    }
    run_half(j, 0, 0, j->split, j->memory[0]);
}

int rk_lockstep_eligible(const rk_loop_args *a) {
    if (a->flags != 0 || a->lengths || a->B < 1 || a->B > LOCKSTEP_MAX_ROWS || a->T < 2) return 0;
    if (a->H < LOCKSTEP_MIN_UNITS || (long)rk_gate_count(a->cell) * a->H * a->H < LOCKSTEP_MIN_STEP_WORK) return 0;
    if (rk_active_isa() == RK_ISA_REFERENCE || rk_threads() < 2) return 0;
    return rk_active_kernels()->gemm != NULL;
}

int rk_recurrent_forward_lockstep(const rk_loop_args *a) {
    const rk_kernel_set *k = rk_active_kernels();
    if (!k->gemm) return 0;
    const int G = rk_gate_count(a->cell), split = a->H / 2;
    lockstep_job j = {.a = a, .cfg = k->gemm, .k = k, .split = split};
    const long first = half_floats(k->gemm, a->B, G, a->H, split);
    j.memory[0] = aligned_floats(first + half_floats(k->gemm, a->B, G, a->H, a->H - split));
    if (!j.memory[0]) return 0;
    j.memory[1] = j.memory[0] + first;
    atomic_init(&j.mode, MODE_UNDECIDED);
    atomic_init(&j.clock[0].steps, 0);
    atomic_init(&j.clock[1].steps, 0);
    rk_parallel(lockstep_part, &j, 2);
    free(j.memory[0]);
    return atomic_load(&j.mode) == MODE_SPLIT;
}

static void record(atomic_llong *cost, long long value) {
    long long old = atomic_load_explicit(cost, memory_order_relaxed);
    atomic_store_explicit(cost, old == 0 ? value : (3 * old + value) / 4, memory_order_relaxed);
}

void rk_recurrent_forward_small(const rk_loop_args *a, void (*alone)(const rk_loop_args *)) {
    const long long s = atomic_load_explicit(&cost_split, memory_order_relaxed);
    const long long o = atomic_load_explicit(&cost_alone, memory_order_relaxed);
    const int explore = atomic_fetch_add_explicit(&small_calls, 1, memory_order_relaxed) % LOCKSTEP_EXPLORE == 0;
    const int use_split = s == 0 ? 1 : o == 0 ? 0 : (s <= o) != explore;
    const long long work = (long long)a->T * a->B * rk_gate_count(a->cell) * a->H * a->H;
    const unsigned long long start = ticks();
    int split_ran = use_split && rk_recurrent_forward_lockstep(a);
    if (!split_ran) alone(a);
    long long cost = (long long)((ticks() - start) * 4096 / (unsigned long long)(work > 0 ? work : 1));
    if (cost < 1) cost = 1;  // 0 means "not measured yet"
    // A split that found no worker counts against the split, with the wait it cost.
    record(use_split ? &cost_split : &cost_alone, cost);
}
