// FlatTrie::Build(): the units of a FlatTrie straight from a key set.
//
// One node per distinct prefix of the sorted keys, placed depth-first
// (a node's children are given room together, in label order, so a walk
// down one key stays within a few cache lines of the last step). A node
// whose children are the bytes L takes the first `base` in a sliding
// window at the end of the array for which every slot base ^ l (l in L,
// 0 for its value) is free and no other node has that base (two nodes
// with one base would each step into the other's children).
//
// Performance notes: this runs once per unigram model, at its first large
// input, so its cost is part of every mid-size encode (a 200 KB file under
// ALBERT spent ~40% of its instructions on the trie: the sort, the
// Darts-clone builder and a conversion to this layout, ~8 ms). Here the
// units are written in their final layout (no second array), the free and
// base-taken slots are bitmaps (free slots are found 64 at a time), a
// search starts at the window's first free slot, kept from one search to
// the next (slots are only ever taken, and the window only moves forward),
// and the free slots of a packed stretch, which fail search after search,
// are passed over once they have failed a few (FindBase()). ~5 ms.
// (Partitioning the keys a byte at a time as the nodes are placed, instead
// of sorting them first, took more instructions than the sort saved.)

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/double_array_builder.h"
#include "common/flat_trie.h"
#include "common/keyset_nodes.h"

namespace sentencepiece {
namespace {

class Builder {
 public:
  // Bases are searched for among the last kWindow slots only: older free
  // slots (few: the array is packed densely behind the window) stay free.
  static constexpr uint32_t kWindow = 16 * 256;
  static constexpr uint8_t kMaxFailures = 4;

  Builder(const std::vector<std::pair<std::string_view, uint32_t>>& keys, uint32_t max_units,
          uint32_t label_bit, uint32_t value_bit, int base_shift, int value_shift)
      : keys_(keys),
        max_units_(max_units),
        label_bit_(label_bit),
        value_bit_(value_bit),
        base_shift_(base_shift),
        value_shift_(value_shift) {}

  // The units, or false when the keys do not fit (an empty key, a NUL
  // byte, a duplicate, an unsorted key set, a value or an array too large).
  bool Build(std::vector<uint32_t>* units) {
    size_t total = 0;
    for (const auto& k : keys_) total += k.first.size();
    // ALBERT's 30k pieces (~200 KB) take ~110k units.
    Reserve(std::max<size_t>(256, total / 2));
    size_ = 256;
    Use(0);      // The root,
    UseBase(0);  // and no node's base is 0: its value slot would be the root.
    if (!keys_.empty()) {
      stack_.push_back({0, 0, static_cast<uint32_t>(keys_.size()), 0});
      while (!stack_.empty()) {
        const Item item = stack_.back();
        stack_.pop_back();
        if (!(item.end - item.begin == 1 ? PlaceSuffix(item) : Place(item))) return false;
      }
    }
    units_.resize(size_);
    *units = std::move(units_);
    return true;
  }

 private:
  using Item = KeysetNode;

  void Use(uint32_t s) {
    used_[s >> 6] |= uint64_t{1} << (s & 63);
    passed_[s >> 6] |= uint64_t{1} << (s & 63);
  }
  void UseBase(uint32_t b) { base_used_[b >> 6] |= uint64_t{1} << (b & 63); }

  // Storage for slots [0, n), and the bitmaps' words for one more block of
  // 256 slots past them (a search looks at whole blocks: see FindBase()).
  void Reserve(size_t n) {
    if (n <= units_.size()) return;
    n = std::max(n, 2 * units_.size());
    units_.resize(n, 0);
    used_.resize(n / 64 + 8, 0);
    passed_.resize(n / 64 + 8, 0);
    failures_.resize(n / 64 + 8, 0);
    base_used_.resize(n / 64 + 8, 0);
  }

  bool Used(uint32_t s) const { return ((used_[s >> 6] >> (s & 63)) & 1) != 0; }
  bool BaseUsed(uint32_t b) const { return ((base_used_[b >> 6] >> (b & 63)) & 1) != 0; }

  // A base for children `labels`, or 0 when the array would outgrow the
  // layout: the first free slot s in the window such that no node has base
  // s ^ labels[0] and each other label's slot, s ^ labels[0] ^ labels[i],
  // is free. The free slots are found 64 at a time from bitmaps, and the
  // search starts at the window's first free slot, kept from one search to
  // the next (slots are only ever taken, and the window only moves on).
  uint32_t FindBase(const uint32_t* labels, size_t num_labels) {
    const uint32_t lo = size_ > kWindow ? size_ - kWindow : 1;
    first_free_ = std::max(first_free_, lo);
    size_t w = first_free_ >> 6;
    while (passed_[w] == ~uint64_t{0}) ++w;
    first_free_ = std::max<uint32_t>(first_free_, static_cast<uint32_t>(w * 64));
    const uint32_t first = labels[0];
    for (uint64_t below = ~uint64_t{0} << (first_free_ & 63);; ++w, below = ~uint64_t{0}) {
      for (uint64_t free = ~passed_[w] & below; free != 0; free &= free - 1) {
        const auto s = static_cast<uint32_t>(w * 64 + static_cast<size_t>(__builtin_ctzll(free)));
        const uint32_t base = s ^ first;
        const uint32_t last = base | 0xFF;  // Every byte's child slot is in the array.
        if (last >= max_units_) return 0;
        if (last >= size_) {
          size_ = last + 1;
          Reserve(size_);
        }
        if (BaseUsed(base)) continue;
        bool ok = true;
        for (size_t i = 1; i < num_labels && ok; ++i) ok = !Used(base ^ labels[i]);
        if (ok) return base;
      }
      // The free slots left in a packed stretch fail most searches, and
      // each search would test them again: after kMaxFailures a word's free
      // slots are passed over (they stay free for other nodes' children).
      // Trades a few percent more units for searches that start near the
      // array's end. (Testing every slot of a word at once, each label's
      // bitmap word with its bits permuted by the XOR, cost more than
      // testing the few candidates one by one.)
      if ((~passed_[w] & below) != 0 && ++failures_[w] >= kMaxFailures) passed_[w] = ~uint64_t{0};
    }
  }

  // Gives `node` its children `labels`; returns their base, or 0.
  uint32_t Attach(uint32_t node, const uint32_t* labels, size_t num_labels) {
    const uint32_t base = FindBase(labels, num_labels);
    if (base == 0) return 0;
    UseBase(base);
    for (size_t i = 0; i < num_labels; ++i) Use(base ^ labels[i]);
    units_[node] |= base << base_shift_;
    return base;
  }

  // Stores `value` as the value of `node`, whose base is `base`.
  bool SetValue(uint32_t node, uint32_t base, uint32_t value) {
    if (value >= (uint32_t{1} << (32 - value_shift_))) return false;
    units_[node] |= value_bit_;
    units_[base] = value << value_shift_;  // Label bits 0: no step lands here.
    return true;
  }

  bool Place(const Item& item) {
    uint32_t labels[257];
    uint32_t starts[258];
    size_t num_labels = 0;
    uint32_t bad = 0;
    if (NodeChildren(keys_, item, labels, starts, &num_labels, &bad) != KeysetError::kNone) {
      return false;  // A NUL byte, or a key twice.
    }
    if (item.depth == 0 && labels[0] == 0) return false;  // An empty key.
    const uint32_t base = Attach(item.node, labels, num_labels);
    if (base == 0) return false;
    // Children are pushed in reverse so they are placed in label order.
    for (size_t i = num_labels; i-- > 0;) {
      const uint32_t child = base ^ labels[i];
      if (labels[i] == 0) {
        if (!SetValue(item.node, base, keys_[starts[i]].second)) return false;
      } else {
        units_[child] = label_bit_ | labels[i];
        stack_.push_back({child, starts[i], starts[i + 1], item.depth + 1});
      }
    }
    return true;
  }

  // Place() for a node with one key below it: the rest of the key as a
  // chain of one-child nodes, down to its value.
  bool PlaceSuffix(const Item& item) {
    const std::string_view key = keys_[item.begin].first;
    if (key.empty()) return false;
    uint32_t node = item.node;
    for (size_t depth = item.depth;; ++depth) {
      const uint32_t label = depth < key.size() ? static_cast<unsigned char>(key[depth]) : 0;
      if (depth < key.size() && label == 0) return false;  // A NUL byte.
      const uint32_t base = Attach(node, &label, 1);
      if (base == 0) return false;
      if (label == 0) return SetValue(node, base, keys_[item.begin].second);
      units_[base ^ label] = label_bit_ | label;
      node = base ^ label;
    }
  }

  const std::vector<std::pair<std::string_view, uint32_t>>& keys_;
  const uint32_t max_units_;
  const uint32_t label_bit_;
  const uint32_t value_bit_;
  const int base_shift_;
  const int value_shift_;
  std::vector<uint32_t> units_;      // Grown ahead of size_.
  uint32_t size_ = 0;                // Slots in use: past every base's last child slot.
  std::vector<uint64_t> used_;       // A node, a value or the root is in the slot.
  std::vector<uint64_t> passed_;     // used_, and the slots FindBase() no longer tries.
  std::vector<uint8_t> failures_;    // Searches a word of slots failed.
  std::vector<uint64_t> base_used_;  // Some node's base.
  uint32_t first_free_ = 1;          // No free slot in [window start, first_free_).
  std::vector<Item> stack_;
};

}  // namespace

std::unique_ptr<FlatTrie> FlatTrie::Build(std::vector<std::pair<std::string_view, uint32_t>> keys) {
  SortKeys(&keys);
  // The builder reads each key once per level of the trie it reaches; a
  // copy of the keys in sorted order, end to end, turns those reads from
  // cache misses all over the vocabulary's storage into a sequential scan.
  size_t total = 0;
  for (const auto& k : keys) total += k.first.size();
  std::string bytes;
  bytes.reserve(total);
  for (auto& k : keys) {
    const size_t at = bytes.size();
    bytes.append(k.first.data(), k.first.size());
    k.first = std::string_view(bytes.data() + at, k.first.size());
  }
  Builder builder(keys, uint32_t{1} << (32 - kBaseShift), kLabelBit, kValueBit, kBaseShift,
                  kValueShift);
  auto trie = std::make_unique<FlatTrie>();
  if (!builder.Build(&trie->units_)) return nullptr;
  return trie;
}

}  // namespace sentencepiece
