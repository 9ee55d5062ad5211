// Run under ThreadSanitizer by Tests/kernels/run.sh: four threads call the kernels while one
// of them keeps switching the kernel path; the dispatch state (CPU check, selected set) must
// be free of data races. TSan exits non-zero on any report.
#include "CKernels.h"
#include <pthread.h>
#include <stdio.h>

enum { N = 48 };

static void *work(void *arg) {
    static _Thread_local float A[N * N], B[N * N], C[N * N];
    for (int i = 0; i < N * N; i++) { A[i] = (float)(i % 3); B[i] = (float)(i % 5) * 0.1f; }
    for (int r = 0; r < 40; r++) {
        if (arg == NULL) rk_set_path(r % 3 == 0 ? RK_PATH_PORTABLE : r % 3 == 1 ? RK_PATH_FAST : RK_PATH_AUTO);
        rk_sgemm(0, 1, N, N, N, 1.0f, A, N, B, N, 0.0f, C, N);
        rk_sigmoid(C, C, N * N);
        (void)rk_using_avx2();
        (void)rk_cpu_has_avx2_fma();
        (void)rk_active_isa();
    }
    return NULL;
}

int main(void) {
    pthread_t threads[4];
    for (long i = 0; i < 4; i++) pthread_create(&threads[i], NULL, work, i == 0 ? NULL : (void *)i);
    for (int i = 0; i < 4; i++) pthread_join(threads[i], NULL);
    printf("ok dispatch under ThreadSanitizer: no data race reported\n");
    return 0;
}
