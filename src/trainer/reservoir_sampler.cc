#include "trainer/reservoir_sampler.h"

namespace sentencepiece {

uint64_t UniformUint64(std::mt19937* gen, uint64_t max) {
  constexpr uint64_t kGenRange = 0xFFFFFFFFull;  // mt19937 yields 32 bits.
  if (max < kGenRange) {
    // Lemire's nearly divisionless method on 32-bit values.
    const uint32_t range = static_cast<uint32_t>(max + 1);
    uint64_t product = uint64_t{(*gen)()} * range;
    uint32_t low = static_cast<uint32_t>(product);
    if (low < range) {
      const uint32_t threshold = static_cast<uint32_t>(-range) % range;
      while (low < threshold) {
        product = uint64_t{(*gen)()} * range;
        low = static_cast<uint32_t>(product);
      }
    }
    return product >> 32;
  }
  if (max == kGenRange) return (*gen)();
  // Upscaling: max = (kGenRange + 1) * high + low.
  uint64_t result, high_part;
  do {
    high_part = (kGenRange + 1) * UniformUint64(gen, max / (kGenRange + 1));
    result = high_part + (*gen)();
  } while (result > max || result < high_part);
  return result;
}

}  // namespace sentencepiece
