// What the CPU and the operating system support, read once by dispatch.c.
#ifndef RECURRENT_CKERNELS_CPU_FEATURES_H
#define RECURRENT_CKERNELS_CPU_FEATURES_H

typedef struct {
    int avx2, fma, avx512f, avx512dq, avx512bw, avx512vl, avx512vnni, avx512bf16;  // usable now
    int neon;
    char model[64];      // brand string, "" where unknown
    char features[160];  // the flags above that are set, space-separated
} rk_cpu_info;

void rk_detect_cpu(rk_cpu_info *info);

#endif
