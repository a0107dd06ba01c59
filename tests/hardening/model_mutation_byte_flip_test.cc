// Model mutation (model_mutation.h): every bundled model with random byte
// flips.
//
// Work per model, at the default budget: 3000 variants with 1-4 flipped or
// overwritten bytes, half of them aimed at the non-piece fields, scaled down
// above 64 KB (at least 100; for large models on the slim copy, plus 10 on
// the full model).

#include <algorithm>
#include <cstddef>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "model_mutation.h"

namespace sentencepiece {
namespace model_mutation {
namespace {

// `bytes` with 1-4 bytes flipped or overwritten, half the time inside the
// non-piece fields `specs`.
std::string FlipBytes(const std::string& bytes, const std::vector<Field>& specs, bool aim,
                      std::mt19937* rng, std::string* what) {
  std::string variant = bytes;
  const int flips = 1 + static_cast<int>((*rng)() % 4);
  for (int f = 0; f < flips; ++f) {
    size_t at;
    if (aim && !specs.empty()) {
      const Field& field = specs[(*rng)() % specs.size()];
      // Mostly near the start of the field (tags, lengths, flags, the
      // charsmap's size header).
      const size_t span = std::min<size_t>(field.end - field.begin, (*rng)() % 2 ? 64 : 1 << 20);
      at = field.begin + (*rng)() % std::max<size_t>(span, 1);
    } else {
      at = (*rng)() % variant.size();
    }
    at = std::min(at, variant.size() - 1);
    if ((*rng)() % 3 == 0) {
      static const unsigned char kValues[] = {0x00, 0x01, 0x02, 0x05, 0x7F, 0x80,
                                              0xFF, 0x0A, 0x12, 0x1A, 0x22, 0x2A};
      variant[at] = static_cast<char>(kValues[(*rng)() % sizeof(kValues)]);
    } else {
      variant[at] = static_cast<char>(variant[at] ^ (1 << ((*rng)() % 8)));
    }
    *what += " @" + std::to_string(at);
  }
  return variant;
}

std::vector<Field> SpecFields(const std::string& bytes) {
  std::vector<Field> specs;
  for (const Field& f : TopLevelFields(bytes)) {
    if (f.number != 1) specs.push_back(f);
  }
  return specs;
}

TEST_P(ModelMutationTest, ByteFlips) {
  std::mt19937 rng(std::hash<std::string>()(name_));
  Stats stats;
  const std::vector<Field> slim_specs = SpecFields(slim_bytes_);
  const std::string label = SlimLabel();
  const int count = Count(3000, 100);
  for (int k = 0; k < count; ++k) {
    std::string what = label + " flip #" + std::to_string(k) + ":";
    const std::string variant = FlipBytes(slim_bytes_, slim_specs, k % 2 == 1, &rng, &what);
    LoadAndUse(variant, what, &stats);
  }
  if (large_) {
    const std::vector<Field> specs = SpecFields(bytes_);
    for (int k = 0; k < static_cast<int>(10 * Budget()); ++k) {
      std::string what = name_ + " flip #" + std::to_string(k) + ":";
      LoadAndUse(FlipBytes(bytes_, specs, k % 2 == 1, &rng, &what), what, &stats);
    }
  }
  Report("byte flips", stats);
}

}  // namespace
}  // namespace model_mutation
}  // namespace sentencepiece
