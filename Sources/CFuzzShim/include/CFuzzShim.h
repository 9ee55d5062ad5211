#ifndef CFUZZSHIM_H
#define CFUZZSHIM_H
#include <stddef.h>
#include <stdint.h>

/// 1 when libFuzzer is linked into this executable (built with -sanitize=fuzzer), else 0.
int rk_fuzz_available(void);

/// Runs libFuzzer's driver with `argc`/`argv` (its flags, corpus folders) and `callback` as
/// the target. Only call when rk_fuzz_available() is 1.
int rk_fuzz_run(int argc, char **argv, int (*callback)(const uint8_t *data, size_t size));

#endif
