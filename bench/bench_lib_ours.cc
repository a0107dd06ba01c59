// Library benchmarks (bench_lib_common.h) against our library: the
// sentencepiece::SentencePieceProcessor facade of spm_runtime.
#include "bench_lib_common.h"
