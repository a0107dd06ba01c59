#include "common/double_array_builder.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/keyset_nodes.h"

namespace sentencepiece {
namespace {

constexpr uint32_t kHasLeaf = 1u << 8;
constexpr uint32_t kLeafFlag = DoubleArray::kLeafBit;

// Zero-filled flags or counters indexed by slot, growing on demand.
// calloc gives large arrays as fresh zero pages, where a std::vector would
// write every byte (the builder's arrays are a few MB for a 30k-piece
// vocabulary).
template <typename T>
class ZeroedArray {
 public:
  T& operator[](size_t i) { return data_[i]; }
  // Makes [0, n) valid; new slots are zero.
  void Ensure(size_t n) {
    if (n <= size_) return;
    const size_t size = std::max(n, 2 * size_);
    T* p = size_ == 0 ? static_cast<T*>(std::calloc(size, sizeof(T)))
                      : static_cast<T*>(std::realloc(data_.get(), size * sizeof(T)));
    if (p == nullptr) throw std::bad_alloc();
    if (size_ > 0) {
      data_.release();
      std::memset(p + size_, 0, (size - size_) * sizeof(T));
    }
    data_.reset(p);
    size_ = size;
  }

 private:
  struct Free {
    void operator()(T* p) const { std::free(p); }
  };
  std::unique_ptr<T[], Free> data_;
  size_t size_ = 0;
};

// Places nodes depth-first. Each node's children go at base ^ label for a
// `base` no other node uses (so a lookup can never land on a stranger with
// the same label); label 0 is the slot for the node's own value.
//
// Performance notes: the search for a base only looks at the last kWindow
// slots (older free slots stay empty, as in darts-clone), skips used slots
// through a union-find "next free" chain, the work stack is a flat array, a
// node with a single key below it places the rest of that key in a loop (no
// stack), and the per-slot flags start as zero pages (ZeroedArray).
// Unplaced units are filled with the unused-slot value as the array grows,
// not in a pass at the end.
class Builder {
 public:
  explicit Builder(const std::vector<std::pair<std::string_view, uint32_t>>& keys)
      : keys_(keys) {}

  absl::StatusOr<DoubleArray> Build() {
    size_t total = 0;
    for (const auto& k : keys_) total += k.first.size();
    // Keys share prefixes: ALBERT's 30k pieces, ~200 KB, take 113k units.
    // The arrays start at half the key bytes and double when they must
    // (sized at 1.5 times, they touched 2 MB more of fresh memory, a huge
    // page of a tool's heap, that the build never used).
    const size_t expected = total / 2 + 1024;
    units_.reserve(expected);
    used_.Ensure(expected);
    base_used_.Ensure(expected);
    skip_.Ensure(expected);
    failures_.Ensure(expected);
    Grow(256);
    units_[0] = 0;  // The root.
    MarkUsed(0);
    // No node may have base 0 (darts-clone reserves it too): the root's
    // children would then sit at 0 ^ label, its NUL slot being the root
    // itself, whose label is 0, so a NUL byte in the text would loop at the
    // root ("\0)" would match ")").
    base_used_[0] = 1;
    if (!keys_.empty()) {
      Push({0, 0, static_cast<uint32_t>(keys_.size()), 0});
      while (top_ > 0) {
        const Item item = stack_[--top_];
        if (auto s = item.end - item.begin == 1 ? PlaceSuffix(item) : Place(item); !s.ok()) {
          return s;
        }
      }
    }
    return DoubleArray(std::move(units_));
  }

 private:
  using Item = KeysetNode;

  // Unused slots must not look like nodes: a label that no byte can match
  // (a leaf-flagged zero unit).
  static constexpr uint32_t kUnusedUnit = kLeafFlag;

  void Push(const Item& item) {
    if (top_ == stack_.size()) stack_.resize(std::max<size_t>(64, 2 * stack_.size()));
    stack_[top_++] = item;
  }

  void Grow(size_t size) {
    if (size <= units_.size()) return;
    size = (size + 255) & ~size_t{255};
    units_.resize(size, kUnusedUnit);
    used_.Ensure(size + 1);
    base_used_.Ensure(size + 1);
    skip_.Ensure(size + 1);
    failures_.Ensure(size + 1);
  }

  // The first free slot at or after `pos` (path halving). skip_[pos] is 0
  // for a free slot, else the distance to a later slot to look at.
  uint32_t NextFree(uint32_t pos) {
    while (skip_[pos] != 0) {
      const uint32_t next = pos + skip_[pos];
      const uint32_t after = next + skip_[next];
      skip_[pos] = after - pos;
      pos = after;
    }
    return pos;
  }

  // The window is nearly full, and its few free slots fail for most nodes
  // again and again; after kMaxFailures a slot leaves the chain FindBase
  // walks (it stays free: another node's child may still land there).
  // Trades ~15% more units for ~a third fewer build instructions.
  void Failed(uint32_t pos) {
    constexpr uint8_t kMaxFailures = 4;
    if (++failures_[pos] >= kMaxFailures) skip_[pos] = 1;
  }

  void MarkUsed(uint32_t pos) {
    used_[pos] = 1;
    skip_[pos] = 1;
  }

  static bool Encodable(uint32_t offset) {
    return offset < (1u << 21) || ((offset & 0xFF) == 0 && offset < (1u << 29));
  }
  static uint32_t EncodeOffset(uint32_t offset) {
    return offset < (1u << 21) ? offset << 10 : (offset << 2) | (1u << 9);
  }

  uint32_t FindBase(uint32_t node, const uint32_t* labels, size_t num_labels) {
    constexpr uint32_t kWindow = 16 * 256;
    const uint32_t size = static_cast<uint32_t>(units_.size());
    for (uint32_t pos = NextFree(size > kWindow ? size - kWindow : 1);; pos = NextFree(pos + 1)) {
      const uint32_t base = pos ^ labels[0];
      Grow(std::max(pos, base) + 256);
      if (base_used_[base] || !Encodable(base ^ node)) {
        Failed(pos);
        continue;
      }
      bool ok = true;
      for (size_t i = 1; i < num_labels && ok; ++i) ok = !used_[base ^ labels[i]];
      if (ok) return base;
      Failed(pos);
    }
  }

  // Gives `node` its children `labels` (which FindBase() found room for);
  // returns the base.
  uint32_t Attach(uint32_t node, const uint32_t* labels, size_t num_labels) {
    const uint32_t base = FindBase(node, labels, num_labels);
    base_used_[base] = 1;
    units_[node] |= EncodeOffset(base ^ node);
    for (size_t i = 0; i < num_labels; ++i) MarkUsed(base ^ labels[i]);
    return base;
  }

  // Stores `key`'s value in the NUL slot `child` of `node`.
  absl::Status SetValue(uint32_t node, uint32_t child, uint32_t value) {
    if (value >= kLeafFlag) return absl::InvalidArgumentError("value too large");
    units_[node] |= kHasLeaf;
    units_[child] = kLeafFlag | value;
    return absl::OkStatus();
  }

  absl::Status Place(const Item& item) {
    uint32_t labels[257];
    uint32_t starts[258];
    size_t num_labels = 0;
    uint32_t bad = 0;
    switch (NodeChildren(keys_, item, labels, starts, &num_labels, &bad)) {
      case KeysetError::kNone:
        break;
      case KeysetError::kNulByte:
        return absl::InvalidArgumentError("key contains a NUL byte");
      case KeysetError::kUnsortedOrTwice:
        return absl::InvalidArgumentError(absl::StrCat("keys are not sorted and unique near \"",
                                                       ToAbsl(keys_[bad].first), "\""));
    }
    const uint32_t base = Attach(item.node, labels, num_labels);
    // Children are pushed in reverse so they are placed in label order.
    for (size_t i = num_labels; i-- > 0;) {
      const uint32_t child = base ^ labels[i];
      if (labels[i] == 0) {
        if (auto s = SetValue(item.node, child, keys_[starts[i]].second); !s.ok()) return s;
      } else {
        units_[child] = labels[i];
        Push({child, starts[i], starts[i + 1], item.depth + 1});
      }
    }
    return absl::OkStatus();
  }

  // Place() for a node with one key below it: a chain of one-child nodes
  // down to the value, placed in the order Place() and the stack would
  // place them (each child is the last pushed, so the next popped).
  absl::Status PlaceSuffix(const Item& item) {
    const std::string_view key = keys_[item.begin].first;
    uint32_t node = item.node;
    for (size_t depth = item.depth;; ++depth) {
      const uint32_t label = depth < key.size() ? static_cast<unsigned char>(key[depth]) : 0;
      if (depth < key.size() && label == 0) {
        return absl::InvalidArgumentError("key contains a NUL byte");
      }
      const uint32_t child = Attach(node, &label, 1) ^ label;
      if (label == 0) return SetValue(node, child, keys_[item.begin].second);
      units_[child] = label;
      node = child;
    }
  }

  const std::vector<std::pair<std::string_view, uint32_t>>& keys_;
  std::vector<uint32_t> units_;
  ZeroedArray<uint8_t> used_;       // Slot holds a node or a value.
  ZeroedArray<uint8_t> base_used_;  // Some node's children are based here.
  ZeroedArray<uint32_t> skip_;      // See NextFree().
  ZeroedArray<uint8_t> failures_;   // See Failed().
  std::vector<Item> stack_;
  size_t top_ = 0;
};

// Bytes [at, at + 8) of `s` as a big-endian number, zero where `s` ends
// (keys have no NUL, so a shorter key sorts first).
uint64_t BigEndianChunk(std::string_view s, size_t at) {
  if (s.size() >= at + 8) {
    uint64_t v;
    std::memcpy(&v, s.data() + at, 8);
    return __builtin_bswap64(v);
  }
  uint64_t v = 0;
  for (size_t j = at; j < s.size(); ++j) {
    v |= uint64_t{static_cast<unsigned char>(s[j])} << (56 - 8 * (j - at));
  }
  return v;
}

}  // namespace

void SortKeys(std::vector<std::pair<std::string_view, uint32_t>>* keys) {
  const size_t n = keys->size();
  if (n < 2) return;
  // Each key's first 8 bytes as a big-endian number (zero padding sorts a
  // shorter key first, as keys have no NUL), kept beside its index: the
  // passes read their records in order instead of looking the number up
  // by index, a cache miss a key on a large vocabulary.
  struct Record {
    uint64_t prefix;
    uint64_t index;
  };
  std::vector<Record> order(n), other(n);
  // The next 8 bytes of each key too, by index, read in the same
  // sequential pass: most keys that share their first 8 bytes (250k
  // pieces: 55k keys in 19k runs) are told apart by these without another
  // look at the strings, which a large vocabulary's runs find out of cache.
  std::vector<uint64_t> second(n);
  for (size_t i = 0; i < n; ++i) {
    const std::string_view s = (*keys)[i].first;
    order[i] = {BigEndianChunk(s, 0), i};
    second[i] = BigEndianChunk(s, 8);
  }
  // LSD radix sort, 11 bits a pass (6 passes; the counts of a pass fit in
  // 8 KB), all histograms at once; a pass on which all keys agree is
  // skipped.
  constexpr int kBits = 11;
  constexpr int kPasses = (64 + kBits - 1) / kBits;
  constexpr uint32_t kDigits = 1u << kBits;
  std::vector<uint32_t> counts(kPasses * kDigits, 0);
  for (const Record& r : order) {
    for (int b = 0; b < kPasses; ++b) ++counts[b * kDigits + ((r.prefix >> (kBits * b)) & (kDigits - 1))];
  }
  for (int b = 0; b < kPasses; ++b) {
    uint32_t* c = &counts[b * kDigits];
    const int shift = kBits * b;
    if (c[(order[0].prefix >> shift) & (kDigits - 1)] == n) continue;  // All keys agree.
    uint32_t sum = 0;
    for (uint32_t d = 0; d < kDigits; ++d) {
      const uint32_t k = c[d];
      c[d] = sum;
      sum += k;
    }
    for (const Record& r : order) other[c[(r.prefix >> shift) & (kDigits - 1)]++] = r;
    order.swap(other);
  }
  // Keys sharing all 8 bytes: by their next 8, and so on (the index
  // breaks ties between equal keys). Cheaper than comparing the strings
  // from their first bytes again (250k pieces: 19k such runs of 2 to 123).
  auto chunk_at = [keys, &second](uint64_t index, size_t depth) {
    return depth == 8 ? second[index] : BigEndianChunk((*keys)[index].first, depth);
  };
  auto by_prefix = [](const Record& a, const Record& b) {
    return a.prefix < b.prefix || (a.prefix == b.prefix && a.index < b.index);
  };
  struct Run {
    size_t lo, hi, depth;
  };
  std::vector<Run> runs;
  auto find_runs = [&](size_t lo, size_t hi, size_t depth) {
    while (lo < hi) {
      size_t end = lo + 1;
      while (end < hi && order[end].prefix == order[lo].prefix) ++end;
      // (A chunk of 0: the keys ended before it, so they are equal, in
      // index order already.)
      if (end - lo > 1 && order[lo].prefix != 0) runs.push_back({lo, end, depth});
      lo = end;
    }
  };
  find_runs(0, n, 0);
  while (!runs.empty()) {
    const Run run = runs.back();
    runs.pop_back();
    const size_t depth = run.depth + 8;
    for (size_t i = run.lo; i < run.hi; ++i) order[i].prefix = chunk_at(order[i].index, depth);
    std::sort(order.begin() + run.lo, order.begin() + run.hi, by_prefix);
    find_runs(run.lo, run.hi, depth);
  }
  std::vector<std::pair<std::string_view, uint32_t>> sorted(n);
  for (size_t i = 0; i < n; ++i) sorted[i] = (*keys)[order[i].index];
  keys->swap(sorted);
}

absl::StatusOr<DoubleArray> BuildDoubleArray(
    const std::vector<std::pair<std::string_view, uint32_t>>& keys) {
  // The builder reads every key once per level; a contiguous copy keeps
  // those reads sequential.
  size_t total = 0;
  for (const auto& [key, value] : keys) {
    if (key.empty()) return absl::InvalidArgumentError("empty key");
    total += key.size();
  }
  std::string buffer;
  buffer.reserve(total);
  for (const auto& k : keys) buffer.append(k.first.data(), k.first.size());
  std::vector<std::pair<std::string_view, uint32_t>> local(keys.size());
  size_t offset = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    local[i] = {std::string_view(buffer.data() + offset, keys[i].first.size()), keys[i].second};
    offset += keys[i].first.size();
  }
  return Builder(local).Build();
}

}  // namespace sentencepiece
