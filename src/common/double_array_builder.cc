#include "common/double_array_builder.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"

namespace sentencepiece {
namespace {

constexpr uint32_t kHasLeaf = 1u << 8;
constexpr uint32_t kLeafFlag = 1u << 31;

// Places nodes depth-first. Each node's children go at base ^ label for a
// `base` no other node uses (so a lookup can never land on a stranger with
// the same label); label 0 is the slot for the node's own value.
class Builder {
 public:
  explicit Builder(const std::vector<std::pair<std::string_view, uint32_t>>& keys)
      : keys_(keys) {}

  absl::StatusOr<DoubleArray> Build() {
    Grow(256);
    MarkUsed(0);  // The root.
    if (!keys_.empty()) {
      if (auto s = Place(0, 0, keys_.size(), 0); !s.ok()) return s;
    }
    // Unused slots must not look like nodes: give them a label that no byte
    // can match (a leaf-flagged zero unit).
    for (size_t i = 0; i < units_.size(); ++i) {
      if (!used_[i]) units_[i] = kLeafFlag;
    }
    return DoubleArray(std::move(units_));
  }

 private:
  // Byte `depth` of key k, or -1 when the key ends there.
  int LabelAt(size_t k, size_t depth) const {
    const std::string_view key = keys_[k].first;
    return depth < key.size() ? static_cast<unsigned char>(key[depth]) : -1;
  }

  void Grow(size_t size) {
    if (size <= units_.size()) return;
    size = (size + 255) & ~size_t{255};
    const size_t old = units_.size();
    units_.resize(size, 0);
    used_.resize(size, false);
    base_used_.resize(size, false);
    next_free_.resize(size + 1);
    for (size_t i = old; i <= size; ++i) next_free_[i] = static_cast<uint32_t>(i);
  }

  // The first free slot at or after `pos` (a union-find "next free" chain
  // with path halving, so scans skip used slots in near-constant time).
  uint32_t NextFree(uint32_t pos) {
    while (next_free_[pos] != pos) {
      next_free_[pos] = next_free_[next_free_[pos]];
      pos = next_free_[pos];
    }
    return pos;
  }

  void MarkUsed(uint32_t pos) {
    used_[pos] = true;
    next_free_[pos] = pos + 1;
  }

  static bool Encodable(uint32_t offset) {
    return offset < (1u << 21) || ((offset & 0xFF) == 0 && offset < (1u << 29));
  }
  static uint32_t EncodeOffset(uint32_t offset) {
    return offset < (1u << 21) ? offset << 10 : (offset << 2) | (1u << 9);
  }

  // Finds a base whose slots base ^ l are free for every label in `labels`.
  uint32_t FindBase(uint32_t node, const std::vector<uint32_t>& labels) {
    for (uint32_t pos = NextFree(1);; pos = NextFree(pos + 1)) {
      Grow(pos + 1);
      const uint32_t base = pos ^ labels[0];
      Grow(base + 256);
      if (base_used_[base] || !Encodable(base ^ node)) continue;
      bool ok = true;
      for (size_t i = 1; i < labels.size() && ok; ++i) ok = !used_[base ^ labels[i]];
      if (ok) return base;
    }
  }

  // Places the children of `node`, which stands for byte prefixes of length
  // `depth` shared by keys [begin, end).
  absl::Status Place(uint32_t node, size_t begin, size_t end, size_t depth) {
    std::vector<uint32_t> labels;
    std::vector<size_t> starts;
    for (size_t k = begin; k < end; ++k) {
      const int l = LabelAt(k, depth);
      if (l == 0) return absl::InvalidArgumentError("key contains a NUL byte");
      const uint32_t label = l < 0 ? 0 : static_cast<uint32_t>(l);
      if (!labels.empty() && label <= labels.back()) {
        if (label < labels.back() || l < 0) {
          return absl::InvalidArgumentError(
              absl::StrCat("keys are not sorted and unique near \"", ToAbsl(keys_[k].first), "\""));
        }
        continue;
      }
      labels.push_back(label);
      starts.push_back(k);
    }
    starts.push_back(end);
    const uint32_t base = FindBase(node, labels);
    base_used_[base] = true;
    units_[node] |= EncodeOffset(base ^ node);
    for (uint32_t label : labels) MarkUsed(base ^ label);
    for (size_t i = 0; i < labels.size(); ++i) {
      const uint32_t child = base ^ labels[i];
      if (labels[i] == 0) {
        const uint32_t value = keys_[starts[i]].second;
        if (value >= kLeafFlag) return absl::InvalidArgumentError("value too large");
        if (starts[i + 1] - starts[i] != 1) {
          return absl::InvalidArgumentError("duplicate key");
        }
        units_[node] |= kHasLeaf;
        units_[child] = kLeafFlag | value;
      } else {
        units_[child] = labels[i];
        if (auto s = Place(child, starts[i], starts[i + 1], depth + 1); !s.ok()) return s;
      }
    }
    return absl::OkStatus();
  }

  const std::vector<std::pair<std::string_view, uint32_t>>& keys_;
  std::vector<uint32_t> units_;
  std::vector<bool> used_;       // Slot holds a node or a value.
  std::vector<bool> base_used_;  // Some node's children are based here.
  std::vector<uint32_t> next_free_;  // See NextFree().
};

}  // namespace

absl::StatusOr<DoubleArray> BuildDoubleArray(
    const std::vector<std::pair<std::string_view, uint32_t>>& keys) {
  for (const auto& [key, value] : keys) {
    if (key.empty()) return absl::InvalidArgumentError("empty key");
  }
  return Builder(keys).Build();
}

}  // namespace sentencepiece
