// NEON element-wise kernels: elementwise_template.h on 4-wide vectors.
#if defined(__aarch64__)
#include "vec_neon.h"
#define RK_SFX neon
#include "elementwise_template.h"
#endif
