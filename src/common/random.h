// The random generator behind sampling and BPE-dropout.
//
// As in SentencePiece: each thread owns a std::mt19937, created on its first
// use and seeded with the global seed if one was set, else from
// std::random_device. Draws use the standard distributions (the same ones
// the reference uses), so with the same seed and the same sequence of calls
// the outputs are identical to the reference's.

#ifndef SPM_SRC_COMMON_RANDOM_H_
#define SPM_SRC_COMMON_RANDOM_H_

#include <cstdint>
#include <random>

namespace sentencepiece {
namespace random {

// Sets the seed for generators created after this call (threads that have
// not drawn yet). UINT32_MAX (the "unset" value) is ignored.
void SetSeed(uint32_t seed);

// The seed set with SetSeed(), or a fresh std::random_device value when none
// was set (what SentencePiece seeds its own generators with).
uint32_t GetSeed();

// The calling thread's generator.
std::mt19937* GetGenerator();

}  // namespace random
}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_RANDOM_H_
