// Checks every fast kernel path this CPU has against the reference kernels on odd shapes
// (1, 3, 17, 50, 64, 129). Built straight from Sources/CKernels by Tests/kernels/run.sh,
// natively and cross-compiled for arm64 (run under qemu-user), so the NEON path is checked
// on machines without an arm64 CPU. Prints one line per path; exits 1 on any mismatch.
#include "CKernels.h"
#include "internal.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int sizes[] = {1, 3, 17, 50, 64, 129};
#define NSIZES (int)(sizeof sizes / sizeof sizes[0])

static unsigned long long rng_state = 12345;
static float uniform(float lo, float hi) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return lo + (hi - lo) * (float)(rng_state >> 40) / (float)(1 << 24);
}
static float *random_array(long n, float lo, float hi) {
    float *p = malloc((size_t)(n > 0 ? n : 1) * sizeof(float));
    for (long i = 0; i < n; i++) p[i] = uniform(lo, hi);
    return p;
}
static float *copy(const float *x, long n) {
    float *p = malloc((size_t)(n > 0 ? n : 1) * sizeof(float));
    memcpy(p, x, (size_t)n * sizeof(float));
    return p;
}

static int failures;
static double worst_gemm, worst_elementwise;
static int split_runs, split_eligible;  // small-batch inference loops run split across two threads

// |fast - ref| <= tol * max(1, |ref|) for every element.
static void compare(const char *what, const char *path, const float *fast, const float *ref, long n, float tol,
                    double *worst) {
    for (long i = 0; i < n; i++) {
        double err = fabs((double)fast[i] - (double)ref[i]);
        double scale = fabs((double)ref[i]) > 1 ? fabs((double)ref[i]) : 1;
        if (err / scale > *worst) *worst = err / scale;
        if (!(err <= tol * scale)) {
            if (failures++ < 10) printf("FAIL %s on %s: [%ld] = %.9g, reference %.9g\n", what, path, i, fast[i], ref[i]);
            return;
        }
    }
}

static void check_gemm(rk_path path, const char *name) {
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++)
            for (int mi = 0; mi < NSIZES; mi++)
                for (int ni = 0; ni < NSIZES; ni++)
                    for (int ki = 0; ki < NSIZES; ki += 1 + (mi + ni) % 2) {
                        int M = sizes[mi], N = sizes[ni], K = sizes[ki];
                        int lda = (ta ? M : K) + 1, ldb = (tb ? K : N) + 2, ldc = N + 3;
                        float *A = random_array((long)(ta ? K : M) * lda, -1, 1);
                        float *B = random_array((long)(tb ? N : K) * ldb, -1, 1);
                        float *C0 = random_array((long)M * ldc, -1, 1);
                        float beta = (mi + ki) % 2 ? 0.5f : 0.0f, alpha = ni % 2 ? 1.0f : -1.5f;
                        float *cf = copy(C0, (long)M * ldc), *cr = copy(C0, (long)M * ldc);
                        rk_set_path(path);
                        rk_sgemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, cf, ldc);
                        rk_set_path(RK_PATH_REFERENCE);
                        rk_sgemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, cr, ldc);
                        char what[96];
                        snprintf(what, sizeof what, "sgemm tA=%d tB=%d M=%d N=%d K=%d", ta, tb, M, N, K);
                        // Float sums of K products of magnitude <= 1.5 against a double-accumulated reference.
                        compare(what, name, cf, cr, (long)M * ldc, 2e-6f * (float)K, &worst_gemm);
                        free(A); free(B); free(C0); free(cf); free(cr);
                    }
}

// Runs one cell kernel on `path` and on the reference with identical inputs, compares outputs.
#define BOTH(path, name, what, n_out, setup, call, outputs)                                   \
    do {                                                                                    \
        setup;                                                                              \
        rk_set_path(path);                                                                  \
        call;                                                                               \
        float *fast_out[] = outputs;                                                        \
        float *fast_copy[8];                                                                \
        for (int o = 0; o < (n_out); o++) fast_copy[o] = copy(fast_out[o], sizes_out[o]);   \
        setup;                                                                              \
        rk_set_path(RK_PATH_REFERENCE);                                                     \
        call;                                                                               \
        float *ref_out[] = outputs;                                                         \
        for (int o = 0; o < (n_out); o++) {                                                 \
            compare(what, name, fast_copy[o], ref_out[o], sizes_out[o], 3e-6f, &worst_elementwise); \
            free(fast_copy[o]);                                                             \
        }                                                                                   \
    } while (0)
#define LIST(...) {__VA_ARGS__}

static void check_cells(rk_path path, const char *name) {
    for (int bi = 0; bi < 4; bi++)
        for (int hi = 0; hi < NSIZES; hi++) {
            int B = sizes[bi], H = sizes[hi];
            long bh = (long)B * H;
            char what[64];
            float *xp = random_array(4 * bh, -3, 3), *hh = random_array(4 * bh, -3, 3);
            float *prev = random_array(bh, -1, 1), *dh0 = random_array(bh, -1, 1), *dc0 = random_array(bh, -1, 1);
            float *gates = malloc(4 * bh * sizeof(float)), *c = malloc(bh * sizeof(float));
            float *tc = malloc(bh * sizeof(float)), *h = malloc(bh * sizeof(float)), *dc = malloc(bh * sizeof(float));
            float *d1 = malloc(4 * bh * sizeof(float)), *d2 = malloc(4 * bh * sizeof(float)), *d3 = malloc(bh * sizeof(float));
            float *act = malloc(4 * bh * sizeof(float));
            long sizes_out[8] = {4 * bh, bh, bh, bh, bh, 0, 0, 0};

            snprintf(what, sizeof what, "sigmoid n=%ld", 4 * bh);
            { long sizes_out[1] = {4 * bh}; BOTH(path, name, what, 1, (void)0, rk_sigmoid(xp, act, 4 * bh), LIST(act)); }
            snprintf(what, sizeof what, "tanh n=%ld", 4 * bh);
            { long sizes_out[1] = {4 * bh}; BOTH(path, name, what, 1, (void)0, rk_tanh(xp, act, 4 * bh), LIST(act)); }
            for (int a = 0; a < 2; a++) {
                snprintf(what, sizeof what, "rnn_forward act=%d B=%d H=%d", a, B, H);
                { long sizes_out[1] = {bh}; BOTH(path, name, what, 1, (void)0, rk_rnn_forward(B, H, a, xp, hh, h), LIST(h)); }
                snprintf(what, sizeof what, "rnn_backward act=%d B=%d H=%d", a, B, H);
                { long sizes_out[1] = {bh}; BOTH(path, name, what, 1, (void)0, rk_rnn_backward(B, H, a, dh0, prev, d3), LIST(d3)); }
            }
            snprintf(what, sizeof what, "lstm_forward B=%d H=%d", B, H);
            BOTH(path, name, what, 4, (void)0, rk_lstm_forward(B, H, xp, hh, prev, gates, c, tc, h), LIST(gates, c, tc, h));
            snprintf(what, sizeof what, "lstm_backward B=%d H=%d", B, H);
            {
                long sizes_out[2] = {4 * bh, bh};
                rk_set_path(RK_PATH_REFERENCE);
                rk_lstm_forward(B, H, xp, hh, prev, gates, c, tc, h);
                BOTH(path, name, what, 2, memcpy(dc, dc0, bh * sizeof(float)),
                     rk_lstm_backward(B, H, dh0, dc, gates, prev, tc, d1), LIST(d1, dc));
            }
            snprintf(what, sizeof what, "gru_forward B=%d H=%d", B, H);
            { long sizes_out[2] = {3 * bh, bh}; BOTH(path, name, what, 2, (void)0, rk_gru_forward(B, H, xp, hh, prev, gates, h), LIST(gates, h)); }
            snprintf(what, sizeof what, "gru_backward B=%d H=%d", B, H);
            {
                long sizes_out[3] = {3 * bh, 3 * bh, bh};
                rk_set_path(RK_PATH_REFERENCE);
                rk_gru_forward(B, H, xp, hh, prev, gates, h);
                BOTH(path, name, what, 3, (void)0, rk_gru_backward(B, H, dh0, gates, hh, prev, d1, d2, d3), LIST(d1, d2, d3));
            }
            snprintf(what, sizeof what, "bias/column sums M=%d N=%d", B, H);
            {
                long sizes_out[2] = {bh, H};
                BOTH(path, name, what, 2, (memcpy(act, xp, bh * sizeof(float)), memcpy(d3, dh0, H * sizeof(float))),
                     (rk_add_bias_rows(act, B, H, H, prev), rk_accumulate_column_sums(xp, B, H, H, d3)), LIST(act, d3));
            }
            (void)sizes_out;
            free(xp); free(hh); free(prev); free(dh0); free(dc0); free(gates); free(c); free(tc); free(h);
            free(dc); free(d1); free(d2); free(d3); free(act);
        }
}

// The product with op(B) packed once (the time loops' recurrent product), on one and two rows:
// widths around every panel-group boundary of each ISA (one row takes up to four panels at a
// time; N = 97…127 once computed nothing on AVX-512).
static void check_prepacked(rk_path path, const char *name) {
    static const int widths[] = {1, 15, 17, 31, 33, 63, 65, 97, 100, 127, 128, 129, 200, 257};
    rk_set_path(path);
    const rk_gemm_config *cfg = rk_active_kernels()->gemm;
    if (!cfg) return;
    for (unsigned wi = 0; wi < sizeof widths / sizeof widths[0]; wi++)
        for (int M = 1; M <= 2; M++)
            for (int K = 1; K <= 50; K += 49) {
                const int N = widths[wi];
                float *A = random_array((long)M * K, -1, 1), *W = random_array((long)N * K, -1, 1);
                float *C0 = random_array((long)M * N, -1, 1);
                float *fast = copy(C0, (long)M * N), *ref = copy(C0, (long)M * N);
                float *packed = malloc((size_t)rk_packed_b_floats(cfg, K, N) * sizeof(float) + 64);
                float *aligned = (float *)(((unsigned long)packed + 63) & ~63UL);
                rk_pack_b_full(cfg, 1, W, K, K, N, aligned);
                float beta = N % 2 ? 0.5f : 0.0f;
                rk_gemm_prepacked_b(cfg, M, N, K, A, K, aligned, beta, fast, N);
                rk_sgemm_reference(0, 1, M, N, K, 1.0f, A, K, W, K, beta, ref, N);
                char what[64];
                snprintf(what, sizeof what, "prepacked product M=%d N=%d K=%d", M, N, K);
                compare(what, name, fast, ref, (long)M * N, 1e-4f, &worst_gemm);
                free(A); free(W); free(C0); free(fast); free(ref); free(packed);
            }
}

// Column sums large enough to be split across threads: every column is one in-order sum
// whatever the split, so the result must equal the reference to the bit.
static void check_column_sums_split(rk_path path, const char *name) {
    const int M = 1500, N = 333, ldx = 340;
    float *X = random_array((long)M * ldx, -1, 1), *acc0 = random_array(N, -1, 1);
    float *ref = copy(acc0, N), *fast = copy(acc0, N);
    rk_set_path(RK_PATH_REFERENCE);
    rk_accumulate_column_sums(X, M, N, ldx, ref);
    rk_set_path(path);
    const int default_threads = rk_threads();
    for (int threads = 1; threads <= 3; threads++) {
        rk_set_threads(threads);
        memcpy(fast, acc0, N * sizeof(float));
        rk_accumulate_column_sums(X, M, N, ldx, fast);
        char what[80];
        snprintf(what, sizeof what, "column sums M=%d N=%d on %d threads", M, N, threads);
        double unused = 0;
        compare(what, name, fast, ref, N, 0.0f, &unused);
    }
    rk_set_threads(default_threads);
    free(X); free(acc0); free(ref); free(fast);
}

// The whole time loop (packed weights, per-step products and cells), forward and BPTT.
static void check_loops(rk_path path, const char *name) {
    for (int cell = 0; cell < 3; cell++)
        for (int hi = 0; hi < NSIZES; hi++) {
            int B = 5, T = 7, H = sizes[hi], G = cell == 1 ? 4 : cell == 2 ? 3 : 1;
            long bh = (long)B * H, bgh = bh * G;
            float *xp = random_array(T * bgh, -1, 1), *whh = random_array((long)G * H * H, -0.3f, 0.3f);
            float *bhh = random_array(G * H, -0.1f, 0.1f), *h0 = random_array(bh, -1, 1), *c0 = random_array(bh, -1, 1);
            float *out[2][4];
            for (int pass = 0; pass < 2; pass++) {
                rk_set_path(pass == 0 ? path : RK_PATH_REFERENCE);
                float *hs = calloc((T + 1) * bh, sizeof(float)), *cs = calloc((T + 1) * bh, sizeof(float));
                float *gates = calloc(T * bgh, sizeof(float)), *tcs = calloc(T * bh, sizeof(float));
                float *hhb = calloc(T * bgh, sizeof(float));
                memcpy(hs, h0, bh * sizeof(float));
                memcpy(cs, c0, bh * sizeof(float));
                rk_loop_args loop = {.cell = cell, .B = B, .T = T, .H = H, .whh = whh, .bhh = bhh, .hs = hs,
                                     .cs = cs, .gates = gates, .tcs = tcs, .hh = hhb, .xp = xp,
                                     .flags = RK_LOOP_HH_PER_STEP | RK_LOOP_KEEP_STEPS};
                rk_recurrent_forward(&loop);
                float *dh = calloc(bh, sizeof(float)), *dc = calloc(bh, sizeof(float));
                float *dxp = calloc(T * bgh, sizeof(float)), *dhh = calloc(T * bgh, sizeof(float));
                rng_state = 777;  // the same seq gradient on both passes
                float *direct = calloc(bh, sizeof(float)), *seq = random_array(T * bh, -1, 1);
                loop.seq_grad = seq;
                loop.dh = dh; loop.dc = dc; loop.dxp = dxp; loop.dhh = dhh; loop.dh_direct = direct;
                rk_recurrent_backward(&loop);
                out[pass][0] = hs; out[pass][1] = dxp; out[pass][2] = dh; out[pass][3] = dhh;
                free(cs); free(gates); free(tcs); free(hhb); free(dc); free(direct); free(seq);
            }
            char what[64];
            snprintf(what, sizeof what, "recurrent loop cell=%d H=%d: h", cell, H);
            compare(what, name, out[0][0], out[1][0], (T + 1) * bh, 1e-4f, &worst_elementwise);
            snprintf(what, sizeof what, "recurrent loop cell=%d H=%d: dxp", cell, H);
            compare(what, name, out[0][1], out[1][1], T * bgh, 1e-4f, &worst_elementwise);
            snprintf(what, sizeof what, "recurrent loop cell=%d H=%d: dh0", cell, H);
            compare(what, name, out[0][2], out[1][2], bh, 1e-4f, &worst_elementwise);
            for (int p = 0; p < 2; p++) for (int k = 0; k < 4; k++) free(out[p][k]);
            free(xp); free(whh); free(bhh); free(h0); free(c0);
        }
}

// Forward inference of 1 or 3 rows: on two threads the hidden units are split between them
// (recurrent_lockstep.c). That must equal the one-thread loop to the bit, and the reference
// within tolerance.
static void check_lockstep(rk_path path, const char *name) {
    const int default_threads = rk_threads();
    split_runs = split_eligible = 0;
    for (int cell = 0; cell < 3; cell++)
        for (int hi = 0; hi < NSIZES; hi++)
            for (int B = 1; B <= 3; B += 2) {
                int T = 9, H = sizes[hi], G = cell == 1 ? 4 : cell == 2 ? 3 : 1;
                long bh = (long)B * H, bgh = bh * G;
                float *xp = random_array(T * bgh, -1, 1), *whh = random_array((long)G * H * H, -0.3f, 0.3f);
                float *bhh = random_array(G * H, -0.1f, 0.1f), *h0 = random_array(bh, -1, 1), *c0 = random_array(bh, -1, 1);
                float *hs[3], *cs[3];
                for (int run = 0; run < 3; run++) {  // split on this path, one thread on it, reference
                    rk_set_path(run == 2 ? RK_PATH_REFERENCE : path);
                    rk_set_threads(run == 0 ? 2 : 1);
                    hs[run] = calloc((T + 1) * bh, sizeof(float));
                    cs[run] = calloc((T + 1) * bh, sizeof(float));
                    float *gates = calloc(bgh, sizeof(float)), *tcs = calloc(bh, sizeof(float)), *hhb = calloc(bgh, sizeof(float));
                    memcpy(hs[run], h0, bh * sizeof(float));
                    memcpy(cs[run], c0, bh * sizeof(float));
                    rk_loop_args loop = {.cell = cell, .B = B, .T = T, .H = H, .whh = whh, .bhh = cell == 2 ? bhh : NULL,
                                         .hs = hs[run], .cs = cs[run], .gates = gates, .tcs = tcs, .hh = hhb, .xp = xp};
                    if (run == 0) {
                        // The split needs the worker within 50 µs; under emulation a sleeping
                        // worker can take longer to wake, so it gets a few tries (a try
                        // that finds no worker has written nothing).
                        int split = 0;
                        for (int attempt = 0; attempt < 4 && !split && rk_lockstep_eligible(&loop); attempt++)
                            split = rk_recurrent_forward_lockstep(&loop);
                        if (split) split_runs++;
                        else rk_recurrent_forward(&loop);
                        if (rk_lockstep_eligible(&loop)) split_eligible++;
                    } else {
                        rk_recurrent_forward(&loop);
                    }
                    free(gates); free(tcs); free(hhb);
                }
                char what[80];
                double unused = 0;
                snprintf(what, sizeof what, "inference loop cell=%d B=%d H=%d, two threads vs one: h", cell, B, H);
                compare(what, name, hs[0], hs[1], (T + 1) * bh, 0.0f, &unused);
                snprintf(what, sizeof what, "inference loop cell=%d B=%d H=%d, two threads vs one: c", cell, B, H);
                compare(what, name, cs[0], cs[1], (T + 1) * bh, 0.0f, &unused);
                snprintf(what, sizeof what, "inference loop cell=%d B=%d H=%d: h", cell, B, H);
                compare(what, name, hs[0], hs[2], (T + 1) * bh, 1e-4f, &worst_elementwise);
                for (int run = 0; run < 3; run++) { free(hs[run]); free(cs[run]); }
                free(xp); free(whh); free(bhh); free(h0); free(c0);
            }
    rk_set_threads(default_threads);
    if (path != RK_PATH_REFERENCE && split_runs == 0) {
        printf("FAIL %s: the two-thread split of small-batch inference never ran (%d loops)\n", name, split_eligible);
        failures++;
    }
}

int main(void) {
    static const struct { rk_path path; rk_isa isa; } paths[] = {
        {RK_PATH_PORTABLE, RK_ISA_PORTABLE}, {RK_PATH_AVX2, RK_ISA_AVX2},
        {RK_PATH_AVX512, RK_ISA_AVX512}, {RK_PATH_NEON, RK_ISA_NEON},
    };
    printf("CPU: %s [%s], best path %s\n", rk_cpu_model(), rk_cpu_features(), rk_isa_name(rk_best_isa()));
    int checked = 0;
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        const char *name = rk_isa_name(paths[i].isa);
        if (!rk_cpu_supports(paths[i].isa)) {
            printf("skip %s: this CPU does not have it\n", name);
            continue;
        }
        int before = failures;
        worst_gemm = worst_elementwise = 0;
        check_gemm(paths[i].path, name);
        check_cells(paths[i].path, name);
        check_loops(paths[i].path, name);
        check_column_sums_split(paths[i].path, name);
        check_lockstep(paths[i].path, name);
        check_prepacked(paths[i].path, name);
        printf("%s %s vs reference: worst relative difference %.2e in GEMM, %.2e in cells and loops; "
               "small batches split across two threads in %d of %d loops, equal to one thread to the bit\n",
               failures == before ? "ok" : "FAILED", name, worst_gemm, worst_elementwise, split_runs, split_eligible);
        checked++;
    }
    if (checked == 0) { printf("FAIL: no fast path checked\n"); return 1; }
    return failures ? 1 : 0;
}
