// One allocation for everything a layer pass keeps (rk_layer_arena in CKernels.h): the
// sizes are worked out once here and every buffer is a pointer into the block.
#include "CKernels.h"
#include "internal.h"
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

rk_layer_shape rk_layer_shape_make(int cell, int activation, int B, int T, int I, int H, int keep) {
    rk_layer_shape s = {cell, activation, B, T, I, H, keep, 1};
    // The input projection runs in blocks of steps so its buffer stays about 1 MiB (2^18
    // floats) whatever T and B; training keeps every step's gates regardless.
    long per_step = (long)B * rk_gate_count(cell) * H;
    long chunk = (1L << 18) / (per_step > 1 ? per_step : 1);
    if (chunk > T) chunk = T;
    s.chunk = chunk < 1 ? 1 : (int)chunk;
    return s;
}

// Hands out the next `count` floats of the block (NULL for none, or when only counting),
// each buffer 64 bytes apart from a multiple so the relative alignment holds.
static float *carve(float *base, long *offset, long count) {
    if (count <= 0) return NULL;
    float *p = base ? base + *offset : NULL;
    *offset += (count + 15) / 16 * 16;
    return p;
}

// Lays the buffers out from `base` (NULL: only counts) and returns the floats used.
static long layout(const rk_layer_shape *s, float *base, rk_layer_arena *a) {
    const long G = rk_gate_count(s->cell), B = s->B, T = s->T, H = s->H, I = s->I, GH = G * H;
    const int lstm = s->cell == RK_CELL_LSTM, gru = s->cell == RK_CELL_GRU;
    const int train = s->keep == RK_KEEP_TRAINING;
    const long S = s->keep == RK_KEEP_FINAL ? s->chunk : T, kept = train ? T : 1;
    long at = 0;
    a->x = carve(base, &at, T * B * I);
    a->xp = carve(base, &at, (long)s->chunk * B * GH);
    a->hs = carve(base, &at, (S + 1) * B * H);
    a->cs = carve(base, &at, lstm ? (S + 1) * B * H : 0);
    a->gates = carve(base, &at, kept * B * GH);
    a->tcs = carve(base, &at, lstm ? kept * B * H : 0);
    a->hh = carve(base, &at, (gru ? kept : 1) * B * GH);
    a->dxp = carve(base, &at, train ? T * B * GH : 0);
    a->dhh = carve(base, &at, train && gru ? T * B * GH : 0);
    a->dh = carve(base, &at, train ? B * H : 0);
    a->dc = carve(base, &at, train && lstm ? B * H : 0);
    a->dh_direct = carve(base, &at, train && gru ? B * H : 0);
    a->saved_dh = carve(base, &at, train ? B * H : 0);
    a->saved_dc = carve(base, &at, train && lstm ? B * H : 0);
    a->h_norms = carve(base, &at, train ? T : 0);
    a->c_norms = carve(base, &at, train && lstm ? T : 0);
    return at;
}

long rk_layer_arena_floats(const rk_layer_shape *shape) {
    rk_layer_arena unused;
    return layout(shape, NULL, &unused);
}

void rk_layer_arena_point(const rk_layer_shape *shape, float *base, rk_layer_arena *arena) {
    layout(shape, base, arena);
}

// Inference arenas come from one buffer per thread that outlives the call, so a stream of
// predictions reuses pages already mapped instead of mapping and faulting in fresh ones per
// call and layer (4–5 % of the lab model's batched inference went to page faults). The
// buffer only grows, up to RK_SCRATCH_MAX_FLOATS, and is freed when its thread exits.
#define RK_SCRATCH_MAX_FLOATS (8L << 20)  // 32 MiB a thread

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static _Thread_local float *scratch;
static _Thread_local long scratch_floats;

static void scratch_free(void *p) { free(p); }
static void scratch_key_make(void) { pthread_key_create(&scratch_key, scratch_free); }

float *rk_inference_scratch(long floats) {
    if (floats > RK_SCRATCH_MAX_FLOATS) return NULL;
    if (floats <= scratch_floats) return scratch;
    pthread_once(&scratch_once, scratch_key_make);
    // Round up so a slightly larger next call does not reallocate.
    long want = floats + floats / 4;
    if (want > RK_SCRATCH_MAX_FLOATS) want = RK_SCRATCH_MAX_FLOATS;
    void *p = NULL;
    if (posix_memalign(&p, 64, (size_t)want * sizeof(float)) != 0) return NULL;
    free(scratch);
    scratch = p;
    scratch_floats = want;
    pthread_setspecific(scratch_key, p);
    return scratch;
}
