// Reservoir sampling with the exact draws of SentencePiece 0.1.97.
//
// The reference keeps the first `size` items, then replaces slot
// n = uniform_int_distribution<uint64_t>(0, t - 1)(mt19937) for item number t
// (1-based) when n < size. Which lines a training run keeps therefore
// depends on that distribution's algorithm; UniformUint64 spells out the one
// in libstdc++ (GCC 12), the library the reference was built with, so the
// selection stays the same whatever standard library builds us.

#ifndef SPM_SRC_TRAINER_RESERVOIR_SAMPLER_H_
#define SPM_SRC_TRAINER_RESERVOIR_SAMPLER_H_

#include <cstdint>
#include <random>

namespace sentencepiece {

// A uniform draw from [0, max], as libstdc++'s
// uniform_int_distribution<uint64_t>(0, max)(*gen): Lemire's multiply-shift
// with rejection for max < 2^32 - 1, one raw draw for max == 2^32 - 1, and
// for larger ranges high * 2^32 + low with a recursive draw of high.
uint64_t UniformUint64(std::mt19937* gen, uint64_t max);

// Decides, item by item, where an item goes in a reservoir of `size` slots.
class ReservoirSampler {
 public:
  ReservoirSampler(uint64_t size, uint32_t seed) : size_(size), gen_(seed) {}

  // For the next item: returns the slot to fill (== the current count while
  // the reservoir fills up), or -1 to drop the item. With size 0 every item
  // is dropped and not counted.
  int64_t Add() {
    if (size_ == 0) return -1;
    ++total_;
    if (total_ <= size_) return static_cast<int64_t>(total_ - 1);
    const uint64_t n = UniformUint64(&gen_, total_ - 1);
    return n < size_ ? static_cast<int64_t>(n) : -1;
  }

  // Items offered so far.
  uint64_t total() const { return total_; }

 private:
  uint64_t size_;
  uint64_t total_ = 0;
  std::mt19937 gen_;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_RESERVOIR_SAMPLER_H_
