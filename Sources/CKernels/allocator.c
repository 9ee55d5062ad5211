// Keeps freed large buffers in the heap (glibc). A training step frees and reallocates
// buffers of the same few sizes (batch activations, layer outputs); with glibc's defaults
// those above the trim threshold go back to the kernel and every batch pays page faults
// to get them again (measured: 15-20 % of a training epoch, most of batched inference).
// Set RK_MALLOC_DEFAULTS=1 to keep glibc's own settings.
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>

__attribute__((constructor)) static void rk_tune_allocator(void) {
    const char *keep = getenv("RK_MALLOC_DEFAULTS");
    if (keep && keep[0] == '1') return;
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);   // glibc's own dynamic maximum
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
}
#endif
