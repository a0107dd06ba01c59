// Model mutation (model_mutation.h): every bundled model cut short.
//
// Work per model, at the default budget: every byte offset for models up to
// 64 KB. Larger models: the slim copy at every offset in its first 2 KB and
// around and inside each non-piece field (trainer, normalizer and
// denormalizer specs, self-test data; for fields over 4 KB, such as a
// charsmap, their first 512 bytes, 64 offsets spread over them and their
// last 64), around 96 piece boundaries, and at 400 random offsets; the full
// model at its first 2 KB, around 28 piece boundaries (first, last, random)
// and the end of its pieces, and at 100 random offsets.

#include <algorithm>
#include <cstddef>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model_mutation.h"

namespace sentencepiece {
namespace model_mutation {
namespace {

// Offsets to cut `bytes` at: all of them if `all`, else the sample the
// comment at the top of this file describes.
std::set<size_t> TruncationOffsets(const std::string& bytes, bool all, std::mt19937* rng) {
  std::set<size_t> offsets;
  const size_t n = bytes.size();
  auto add_range = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < std::min(end, n); ++i) offsets.insert(i);
  };
  if (all) {
    add_range(0, n);
    return offsets;
  }
  add_range(0, 2048);
  std::vector<size_t> piece_ends;
  for (const Field& f : TopLevelFields(bytes)) {
    if (f.number == 1) {
      piece_ends.push_back(f.end);
      continue;
    }
    add_range(f.begin > 64 ? f.begin - 64 : 0, f.begin + 64);
    add_range(f.end > 64 ? f.end - 64 : 0, f.end + 64);
    if (f.end - f.begin <= 4096) {
      add_range(f.begin, f.end);
    } else {
      add_range(f.begin, f.begin + 512);  // A charsmap's size header and first units.
      for (int k = 0; k < 64; ++k) offsets.insert(f.begin + (f.end - f.begin) * k / 64);
    }
  }
  for (int k = 0; k < 96 && !piece_ends.empty(); ++k) {
    size_t at;
    if (k < 32) {
      at = piece_ends[std::min<size_t>(k, piece_ends.size() - 1)];
    } else if (k < 64) {
      at = piece_ends[piece_ends.size() - 1 - std::min<size_t>(k - 32, piece_ends.size() - 1)];
    } else {
      at = piece_ends[(*rng)() % piece_ends.size()];
    }
    add_range(at > 3 ? at - 3 : 0, at + 3);
  }
  for (int k = 0; k < static_cast<int>(400 * Budget()); ++k) offsets.insert((*rng)() % n);
  return offsets;
}

TEST_P(ModelMutationTest, Truncations) {
  std::mt19937 rng(1);
  Stats stats;
  const std::string label = SlimLabel();
  for (size_t at : TruncationOffsets(slim_bytes_, !large_, &rng)) {
    LoadAndUse(std::string_view(slim_bytes_).substr(0, at),
               label + " truncated to " + std::to_string(at) + " bytes", &stats);
  }
  if (large_) {
    // The full model: its start, the first, last and some random piece
    // boundaries, the end of the pieces, random offsets.
    std::set<size_t> offsets;
    for (size_t i = 0; i < 2048; ++i) offsets.insert(i);
    std::vector<size_t> piece_ends;
    size_t pieces_end = 0;
    for (const Field& f : TopLevelFields(bytes_)) {
      if (f.number == 1) {
        piece_ends.push_back(f.end);
        pieces_end = f.end;
      }
    }
    const size_t last = piece_ends.empty() ? 0 : piece_ends.size() - 1;
    for (size_t k = 0; k < 28 && !piece_ends.empty(); ++k) {
      size_t i;
      if (k < 16) {
        i = std::min(k, last);  // The first pieces: unknown, control, bytes.
      } else if (k < 20) {
        i = last - std::min(k - 16, last);
      } else {
        i = rng() % piece_ends.size();
      }
      offsets.insert(piece_ends[i]);
      offsets.insert(piece_ends[i] - 1);
    }
    for (size_t i = pieces_end > 8 ? pieces_end - 8 : 0; i < pieces_end + 8; ++i) offsets.insert(i);
    for (int k = 0; k < static_cast<int>(100 * Budget()); ++k)
      offsets.insert(rng() % bytes_.size());
    for (size_t at : offsets) {
      if (at >= bytes_.size()) continue;
      LoadAndUse(std::string_view(bytes_).substr(0, at),
                 name_ + " truncated to " + std::to_string(at) + " bytes", &stats);
    }
  }
  Report("truncations", stats);
}

}  // namespace
}  // namespace model_mutation
}  // namespace sentencepiece
