// Library benchmarks (bench_lib_common.h) against the reference: the system
// libsentencepiece (libsentencepiece-dev). Never linked with our libraries.
#include "bench_lib_common.h"
