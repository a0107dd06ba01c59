// A double-array trie laid out for walks that step byte by byte and look
// at every key on the way: unigram Viterbi's inner loop.
//
// Built straight from a key set (flat_trie_builder.cc). Unlike the
// Darts-clone layout (double_array.h), where a step decodes a packed offset
// and a key's value sits in a second unit reached by decoding the child's
// offset again, each unit is one 32-bit word:
//   bits 0-8   the label as 0x100 | byte, or 0 for a unit no step may
//              land on (free, the root, or a value slot);
//   bit 9      a key ends here;
//   bits 10-31 the node's base: its child for byte b is at base ^ b, and
//              its value, if any, in bits 9-31 of the unit at base (the
//              slot of the label-0 child, which no step lands on).
// A step is one load, one compare and one shift; a key's value one more
// load, next to the node's children.

#ifndef SPM_SRC_COMMON_FLAT_TRIE_H_
#define SPM_SRC_COMMON_FLAT_TRIE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace sentencepiece {

class FlatTrie {
 public:
  // The trie of `keys` (in any order); null when they do not fit this
  // layout: an empty key, a key with a NUL byte, a key given twice, a
  // value of 2^23 or more, or 2^22 units or more.
  static std::unique_ptr<FlatTrie> Build(std::vector<std::pair<std::string_view, uint32_t>> keys);

  // The array's length (its memory is 4 bytes a unit).
  size_t num_units() const { return units_.size(); }

  // A walk: start at root(); Step() follows byte c and returns false when
  // no key continues with it (the walk then stays where it was).
  struct Cursor {
    uint32_t base;
    uint32_t unit;
  };
  Cursor root() const { return {units_[0] >> kBaseShift, 0}; }
  bool Step(Cursor* at, unsigned char c) const {
    const uint32_t u = units_[at->base ^ c];
    if ((u & kLabelMask) != (kLabelBit | c)) return false;
    at->base = u >> kBaseShift;
    at->unit = u;
    return true;
  }
  // Whether a key ends at `at` (after a successful Step()), and its value.
  static bool HasValue(const Cursor& at) { return (at.unit & kValueBit) != 0; }
  int Value(const Cursor& at) const { return static_cast<int>(units_[at.base] >> kValueShift); }

  // Calls fn(length, value) for every key that is a prefix of `s`,
  // shortest first; fn returns false to stop.
  template <typename Fn>
  void CommonPrefixSearch(std::string_view s, Fn fn) const {
    Cursor at = root();
    for (size_t i = 0; i < s.size(); ++i) {
      if (!Step(&at, static_cast<unsigned char>(s[i]))) return;
      if (HasValue(at) && !fn(i + 1, Value(at))) return;
    }
  }

 private:
  static constexpr uint32_t kLabelBit = 0x100;
  static constexpr uint32_t kLabelMask = 0x1FF;
  static constexpr uint32_t kValueBit = 0x200;
  static constexpr int kBaseShift = 10;
  static constexpr int kValueShift = 9;

  std::vector<uint32_t> units_;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_FLAT_TRIE_H_
