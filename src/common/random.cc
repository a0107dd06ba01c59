#include "common/random.h"

#include <atomic>

namespace sentencepiece {
namespace random {
namespace {

constexpr uint32_t kUnset = static_cast<uint32_t>(-1);
std::atomic<uint32_t> g_seed{kUnset};

}  // namespace

void SetSeed(uint32_t seed) {
  if (seed != kUnset) g_seed.store(seed);
}

uint32_t GetSeed() {
  const uint32_t seed = g_seed.load();
  return seed == kUnset ? std::random_device{}() : seed;
}

std::mt19937* GetGenerator() {
  thread_local std::mt19937 generator(GetSeed());
  return &generator;
}

}  // namespace random
}  // namespace sentencepiece
