// CPU feature detection. On x86-64 a feature counts only when CPUID reports it AND the
// operating system saves the register state it needs (XGETBV): AVX needs the SSE and AVX
// state (XCR0 bits 1-2), AVX-512 also the opmask and upper-ZMM state (bits 5-7).
#include "cpu_features.h"
#include <stdio.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>

static unsigned long long read_xcr0(void) {
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
}

static void read_model(char *out, size_t size) {
    unsigned regs[12], a, b, c, d;
    out[0] = 0;
    if (!__get_cpuid(0x80000000u, &a, &b, &c, &d) || a < 0x80000004u) return;
    for (unsigned leaf = 0; leaf < 3; leaf++) {
        __get_cpuid(0x80000002u + leaf, &regs[leaf * 4], &regs[leaf * 4 + 1], &regs[leaf * 4 + 2], &regs[leaf * 4 + 3]);
    }
    char raw[49];
    memcpy(raw, regs, 48);
    raw[48] = 0;
    const char *s = raw;
    while (*s == ' ') s++;
    snprintf(out, size, "%s", s);
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == ' ') out[--n] = 0;
}

static void detect_x86(rk_cpu_info *info) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return;
    const int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1;
    if (!osxsave || !avx) return;
    const unsigned long long xcr0 = read_xcr0();
    const int os_avx = (xcr0 & 0x6) == 0x6, os_avx512 = (xcr0 & 0xE6) == 0xE6;
    if (!os_avx) return;
    unsigned max_leaf = __get_cpuid_max(0, NULL);
    if (max_leaf < 7) return;
    __cpuid_count(7, 0, a, b, c, d);
    info->avx2 = (b >> 5) & 1;
    info->fma = fma;
    if (os_avx512) {
        info->avx512f = (b >> 16) & 1;
        info->avx512dq = (b >> 17) & 1;
        info->avx512bw = (b >> 30) & 1;
        info->avx512vl = (b >> 31) & 1;
        info->avx512vnni = (c >> 11) & 1;
        unsigned a1, b1, c1, d1;
        __cpuid_count(7, 1, a1, b1, c1, d1);
        info->avx512bf16 = (a1 >> 5) & 1;
    }
}
#endif

static void append(rk_cpu_info *info, int set, const char *name) {
    if (!set) return;
    size_t n = strlen(info->features);
    snprintf(info->features + n, sizeof info->features - n, "%s%s", n ? " " : "", name);
}

void rk_detect_cpu(rk_cpu_info *info) {
    memset(info, 0, sizeof *info);
#if defined(__x86_64__)
    detect_x86(info);
    read_model(info->model, sizeof info->model);
#elif defined(__aarch64__)
    info->neon = 1;  // Advanced SIMD is part of every ARMv8-A core
    snprintf(info->model, sizeof info->model, "arm64");
#endif
    append(info, info->fma, "fma");
    append(info, info->avx2, "avx2");
    append(info, info->avx512f, "avx512f");
    append(info, info->avx512dq, "avx512dq");
    append(info, info->avx512bw, "avx512bw");
    append(info, info->avx512vl, "avx512vl");
    append(info, info->avx512vnni, "avx512vnni");
    append(info, info->avx512bf16, "avx512bf16");
    append(info, info->neon, "neon");
}
