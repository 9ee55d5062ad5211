// NEON one-column products: gemv_template.h on 4-wide vectors.
#if defined(__aarch64__)
#include "vec_neon.h"
#define RK_SFX neon
#include "gemv_template.h"
#endif
