// A minimal, bounds-checked reader over Darts-clone units, for the charsmap
// compiler's own checks and for decompiling blobs (the runtime uses
// common/double_array.h; this one keeps the trainer free of runtime code).
//
// From node p with unit u, the child for byte b is at p ^ offset(u) ^ b and
// exists iff that unit's label (unit & 0x800000FF) equals b, so a leaf unit
// (bit 31 set) never matches. p has a value iff bit 8 of u is set; the value
// is the low 31 bits of the unit at p ^ offset(u). Out-of-range positions
// read as "no such node", so a corrupt array cannot cause an invalid read.

#ifndef SPM_SRC_TRAINER_DARTS_CLONE_VIEW_H_
#define SPM_SRC_TRAINER_DARTS_CLONE_VIEW_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace sentencepiece {
namespace internal {

class DartsCloneView {
 public:
  // Does not copy: `units` must outlive the view.
  explicit DartsCloneView(const std::vector<uint32_t>& units) : units_(units) {}

  // The node reached from `node` by `byte`, if any.
  std::optional<uint32_t> Child(uint32_t node, uint8_t byte) const {
    if (node >= units_.size()) return std::nullopt;
    const size_t next = node ^ Offset(units_[node]) ^ byte;
    if (next >= units_.size() || (units_[next] & 0x800000FFu) != byte) {
      return std::nullopt;
    }
    return static_cast<uint32_t>(next);
  }

  // The value of the key ending at `node`, if that is a key.
  std::optional<uint32_t> Value(uint32_t node) const {
    if (node >= units_.size()) return std::nullopt;
    const uint32_t unit = units_[node];
    if ((unit & (1u << 8)) == 0) return std::nullopt;
    const size_t leaf = node ^ Offset(unit);
    if (leaf >= units_.size()) return std::nullopt;
    return units_[leaf] & 0x7FFFFFFFu;
  }

  // Number of keys that are prefixes of `text` (`text` itself included).
  size_t CountPrefixMatches(std::string_view text) const {
    size_t count = 0;
    uint32_t node = 0;
    for (char c : text) {
      const std::optional<uint32_t> next = Child(node, static_cast<uint8_t>(c));
      if (!next) break;
      node = *next;
      if (Value(node)) ++count;
    }
    return count;
  }

  // Value of exactly `key`, if it is a key.
  std::optional<uint32_t> Find(std::string_view key) const {
    uint32_t node = 0;
    for (char c : key) {
      const std::optional<uint32_t> next = Child(node, static_cast<uint8_t>(c));
      if (!next) return std::nullopt;
      node = *next;
    }
    return Value(node);
  }

 private:
  static uint32_t Offset(uint32_t unit) {
    return (unit >> 10) << ((unit & (1u << 9)) >> 6);
  }

  const std::vector<uint32_t>& units_;
};

}  // namespace internal
}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_DARTS_CLONE_VIEW_H_
