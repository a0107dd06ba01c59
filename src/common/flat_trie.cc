#include "common/flat_trie.h"

namespace sentencepiece {

std::unique_ptr<FlatTrie> FlatTrie::From(const DoubleArray& from) {
  const std::vector<uint32_t>& in = from.units();
  const size_t n = in.size();
  constexpr size_t kMaxUnits = size_t{1} << (32 - kBaseShift);
  if (n == 0 || n >= kMaxUnits) return nullptr;
  auto trie = std::make_unique<FlatTrie>();
  std::vector<uint32_t>& out = trie->units_;
  out.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const uint32_t u = in[i];
    // A value's unit (written with its node) or, from the builder, a free one.
    if ((u & DoubleArray::kLeafBit) != 0) continue;
    const uint32_t base = static_cast<uint32_t>(i) ^ DoubleArray::Offset(u);
    // Every byte's child slot, the value's included, inside the array.
    if ((size_t{base} | 0xFF) >= n) return nullptr;
    const uint32_t label = u & 0xFF;  // 0 only for the root (no key has a NUL).
    uint32_t unit = (label != 0 ? kLabelBit | label : 0) | base << kBaseShift;
    if (DoubleArray::HasLeaf(u)) {
      const uint32_t leaf = in[base];
      const uint32_t value = leaf & ~DoubleArray::kLeafBit;
      if ((leaf & DoubleArray::kLeafBit) == 0 || value >= (uint32_t{1} << (32 - kValueShift))) {
        return nullptr;
      }
      unit |= kValueBit;
      out[base] = value << kValueShift;  // Label bits 0: no step lands here.
    }
    out[i] = unit;
  }
  return trie;
}

}  // namespace sentencepiece
