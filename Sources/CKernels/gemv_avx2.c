// AVX2 one-column products: gemv_template.h on 8-wide vectors (the AVX-512 set uses them too:
// these products are bound by memory, not by vector width).
#if defined(__x86_64__)
#include "vec_avx2.h"
#define RK_SFX avx2
#include "gemv_template.h"
#endif
