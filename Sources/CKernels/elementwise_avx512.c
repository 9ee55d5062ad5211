// AVX-512 element-wise kernels: elementwise_template.h on 16-wide vectors.
#if defined(__x86_64__)
#include "vec_avx512.h"
#define RK_SFX avx512
#include "elementwise_template.h"
#endif
