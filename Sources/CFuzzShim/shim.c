#include "CFuzzShim.h"

// Weak, so that a normal build links without libFuzzer (the symbol is then NULL) and the
// same executable replays inputs from files instead.
extern int LLVMFuzzerRunDriver(int *argc, char ***argv,
                               int (*callback)(const uint8_t *data, size_t size)) __attribute__((weak));

int rk_fuzz_available(void) { return LLVMFuzzerRunDriver != 0; }

int rk_fuzz_run(int argc, char **argv, int (*callback)(const uint8_t *data, size_t size)) {
    return LLVMFuzzerRunDriver(&argc, &argv, callback);
}
