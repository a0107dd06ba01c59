// A reader for Darts-clone double-array tries.
//
// SentencePiece stores its normalization rules as a Darts-clone double array
// (the `precompiled_charsmap`), and we use the same layout for the in-memory
// tries over vocabulary pieces, so one reader serves both.
//
// Layout: an array of 32-bit units. From node p with unit u, the child for
// byte b sits at p ^ offset(u) ^ b and exists iff its label equals b. A node
// holds a value iff bit 8 (has_leaf) is set; the value is stored in the unit
// at p ^ offset(u) (bit 31 set, so it never matches a label). Unlike the
// original, every access here is bounds-checked: a corrupt blob yields "no
// match", never an out-of-bounds read.

#ifndef SPM_SRC_COMMON_DOUBLE_ARRAY_H_
#define SPM_SRC_COMMON_DOUBLE_ARRAY_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace sentencepiece {

class DoubleArray {
 public:
  // Traverse() results besides a value >= 0.
  static constexpr int kNoPath = -2;   // The byte leads nowhere.
  static constexpr int kNoValue = -1;  // A prefix of some key, not a key.

  DoubleArray() = default;
  explicit DoubleArray(std::vector<uint32_t> units) : units_(std::move(units)) {}

  // Reads little-endian units from `bytes` (a trailing partial unit is
  // ignored).
  static DoubleArray FromBytes(std::string_view bytes);

  bool empty() const { return units_.empty(); }
  size_t num_units() const { return units_.size(); }
  const std::vector<uint32_t>& units() const { return units_; }

  // Follows byte `c` from `*node` (start with node 0). On success moves
  // *node to the child and returns its value or kNoValue; otherwise returns
  // kNoPath and leaves *node unchanged.
  int Traverse(uint32_t* node, unsigned char c) const {
    if (*node >= units_.size()) return kNoPath;
    const uint32_t next = *node ^ Offset(units_[*node]) ^ c;
    if (next >= units_.size() || Label(units_[next]) != c) return kNoPath;
    *node = next;
    return ValueAt(next);
  }

  // Traverse() without bounds checks, for arrays made by BuildDoubleArray()
  // (which keeps every child slot of every node inside the array).
  int TraverseTrusted(uint32_t* node, unsigned char c) const {
    const uint32_t next = *node ^ Offset(units_[*node]) ^ c;
    const uint32_t u = units_[next];
    if (Label(u) != c) return kNoPath;
    *node = next;
    if (!HasLeaf(u)) return kNoValue;
    return static_cast<int>(units_[next ^ Offset(u)] & 0x7FFFFFFFu);
  }

  // Value stored at `node`, or kNoValue.
  int ValueAt(uint32_t node) const {
    const uint32_t u = units_[node];
    if (!HasLeaf(u)) return kNoValue;
    const uint32_t leaf = node ^ Offset(u);
    if (leaf >= units_.size()) return kNoValue;
    return static_cast<int>(units_[leaf] & 0x7FFFFFFFu);
  }

  // Calls fn(length, value) for every key that is a prefix of `s`, shortest
  // first. `fn` returns false to stop early.
  template <typename Fn>
  void CommonPrefixSearch(std::string_view s, Fn fn) const {
    uint32_t node = 0;
    if (units_.empty()) return;
    for (size_t i = 0; i < s.size(); ++i) {
      const int v = Traverse(&node, static_cast<unsigned char>(s[i]));
      if (v == kNoPath) return;
      if (v >= 0 && !fn(i + 1, v)) return;
    }
  }

  // Value of exactly `key`, or -1.
  int ExactMatch(std::string_view key) const {
    uint32_t node = 0;
    if (units_.empty()) return -1;
    int v = kNoValue;
    for (char c : key) {
      v = Traverse(&node, static_cast<unsigned char>(c));
      if (v == kNoPath) return -1;
    }
    return key.empty() ? -1 : (v >= 0 ? v : -1);
  }

  // A unit's fields, for code that converts the layout (FlatTrie).
  static constexpr uint32_t kLeafBit = 1u << 31;  // A value's unit (bit 31; never a label).
  static bool HasLeaf(uint32_t u) { return (u >> 8) & 1; }
  static uint32_t Label(uint32_t u) { return u & 0x800000FFu; }
  static uint32_t Offset(uint32_t u) { return (u >> 10) << ((u & (1u << 9)) >> 6); }

 private:
  std::vector<uint32_t> units_;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_DOUBLE_ARRAY_H_
