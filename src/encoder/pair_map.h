// A map from a pair of piece ids to the id of the piece they merge into,
// for the BPE encoder: its inner loop asks, for two adjacent symbols,
// whether their concatenation is a piece.
//
// Performance notes: open addressing over 16-byte slots (the packed pair
// and its value), at most half full, probed linearly; the hash is one
// multiply. Looking up two ints avoids hashing and comparing the
// concatenated string, which dominated BPE on long unspaced text.

#ifndef SPM_SRC_ENCODER_PAIR_MAP_H_
#define SPM_SRC_ENCODER_PAIR_MAP_H_

#include <cstdint>
#include <vector>

namespace sentencepiece {

class PairMap {
 public:
  // Maps (left, right) to `merged`; a later Insert of the same pair wins.
  // REQUIRES: left, right >= 0.
  void Insert(int left, int right, int merged) {
    if (2 * (size_ + 1) > slots_.size()) Grow();
    Slot& s = slots_[Index(Key(left, right))];
    if (s.key == kEmpty) ++size_;
    s.key = Key(left, right);
    s.value = merged;
  }

  // The merged id of (left, right), or -1.
  int Find(int left, int right) const {
    if (slots_.empty()) return -1;
    const Slot& s = slots_[Index(Key(left, right))];
    return s.key == kEmpty ? -1 : s.value;
  }

  size_t size() const { return size_; }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  struct Slot {
    uint64_t key = kEmpty;
    int64_t value = -1;
  };
  static uint64_t Key(int left, int right) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
  }
  // The slot holding `key`, or the empty slot where it belongs.
  size_t Index(uint64_t key) const {
    const size_t mask = slots_.size() - 1;
    // The top bits of the product depend on every bit of the key.
    size_t i = static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
    while (slots_[i].key != kEmpty && slots_[i].key != key) i = (i + 1) & mask;
    return i;
  }
  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : 2 * old.size(), Slot());
    shift_ = 64;
    for (size_t n = slots_.size(); n > 1; n >>= 1) --shift_;
    for (const Slot& s : old) {
      if (s.key != kEmpty) slots_[Index(s.key)] = s;
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
  int shift_ = 64;  // 64 - log2(slots_.size()).
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_PAIR_MAP_H_
