// AVX2 element-wise kernels: elementwise_template.h on 8-wide vectors.
#if defined(__x86_64__)
#include "vec_avx2.h"
#define RK_SFX avx2
#include "elementwise_template.h"
#endif
