// Phase B of the Darts-clone build: placing the DAWG into a double array.
// See darts_clone_builder.h for the layout and the outline.
//
// Bookkeeping: `units_` grows in blocks of 256. For positions in the last 16
// blocks, `extras_` (indexed modulo 16 * 256) records whether the position is
// taken (fixed) and whether it is some node's child base (used); the free
// positions form a circular doubly linked list starting at `free_head_`
// (free_head_ >= units_.size() means the list is empty).

#include "trainer/darts_clone_builder.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "trainer/darts_clone_dawg.h"

namespace sentencepiece {
namespace {

constexpr uint32_t kBlockSize = 256;
constexpr uint32_t kWindowBlocks = 16;
constexpr uint32_t kWindowSize = kBlockSize * kWindowBlocks;
constexpr uint32_t kLowerMask = 0xFF;
constexpr uint32_t kUpperMask = 0xFFu << 21;

// Unit field setters, following the layout in the header.
void SetHasLeaf(uint32_t* unit) { *unit |= 1u << 8; }
void SetLeafValue(uint32_t* unit, uint32_t value) {
  *unit = value | (1u << 31);
}
void SetLabel(uint32_t* unit, uint8_t label) {
  *unit = (*unit & ~0xFFu) | label;
}
absl::Status SetOffset(uint32_t* unit, uint32_t offset) {
  if (offset >= (1u << 29)) {
    return absl::ResourceExhaustedError(
        "double array: offset " + std::to_string(offset) +
        " does not fit in a unit (too many keys)");
  }
  *unit &= (1u << 31) | (1u << 8) | 0xFFu;
  if (offset < (1u << 21)) {
    *unit |= offset << 10;
  } else {
    *unit |= (offset << 2) | (1u << 9);
  }
  return absl::OkStatus();
}

// True if `rel` (a node's index XOR its child base) can be stored: either it
// fits in 21 bits or its low 8 bits are zero (the scaled form).
bool IsEncodable(uint32_t rel) {
  return (rel & kLowerMask) == 0 || (rel & kUpperMask) == 0;
}

class DoubleArrayPlacer {
 public:
  absl::StatusOr<std::vector<uint32_t>> Place(
      const internal::DawgBuilder& dawg);

 private:
  struct Extra {
    uint32_t prev = 0;
    uint32_t next = 0;
    bool is_fixed = false;  // The position holds a unit.
    bool is_used = false;   // Some node's children are based here.
  };

  Extra& extra(uint32_t id) { return extras_[id % kWindowSize]; }
  uint32_t size() const { return static_cast<uint32_t>(units_.size()); }

  absl::Status PlaceAll(const internal::DawgBuilder& dawg);
  absl::StatusOr<std::optional<uint32_t>> PlaceChildren(
      const internal::DawgBuilder& dawg, uint32_t dawg_id, uint32_t index);
  absl::StatusOr<uint32_t> Arrange(const internal::DawgBuilder& dawg,
                                   uint32_t dawg_id, uint32_t index);
  uint32_t FindBase(uint32_t index);
  bool IsFreeBase(uint32_t index, uint32_t base);
  void Take(uint32_t id);
  void AddBlock();
  void FixBlock(uint32_t block);

  std::vector<uint32_t> units_;
  std::vector<Extra> extras_;
  std::vector<uint8_t> labels_;  // Child labels of the node being arranged.
  // Child base chosen for each intersection group, by DAWG unit id (0 =
  // not placed yet; base 0 is never handed out).
  std::vector<uint32_t> intersection_bases_;
  uint32_t free_head_ = 0;
};

absl::StatusOr<std::vector<uint32_t>> DoubleArrayPlacer::Place(
    const internal::DawgBuilder& dawg) {
  units_.clear();
  extras_.assign(kWindowSize, Extra());
  intersection_bases_.assign(dawg.num_units(), 0);
  free_head_ = 0;

  Take(0);
  extra(0).is_used = true;
  absl::Status status = SetOffset(&units_[0], 1);
  SetLabel(&units_[0], 0);
  if (status.ok() && dawg.Child(dawg.root()) != 0) {
    status = PlaceAll(dawg);
  }
  if (!status.ok()) return status;

  const uint32_t num_blocks = size() / kBlockSize;
  const uint32_t first =
      num_blocks > kWindowBlocks ? num_blocks - kWindowBlocks : 0;
  for (uint32_t block = first; block < num_blocks; ++block) FixBlock(block);
  return std::move(units_);
}

// Places the children of every DAWG node, depth first with children in
// label order (an explicit stack, so long keys cannot exhaust the call
// stack).
absl::Status DoubleArrayPlacer::PlaceAll(const internal::DawgBuilder& dawg) {
  std::vector<std::pair<uint32_t, uint32_t>> pending = {{dawg.root(), 0}};
  std::vector<std::pair<uint32_t, uint32_t>> children;
  while (!pending.empty()) {
    const auto [dawg_id, index] = pending.back();
    pending.pop_back();
    absl::StatusOr<std::optional<uint32_t>> base =
        PlaceChildren(dawg, dawg_id, index);
    if (!base.ok()) return base.status();
    if (!base->has_value()) continue;
    children.clear();
    for (uint32_t c = dawg.Child(dawg_id); c != 0; c = dawg.Sibling(c)) {
      if (!dawg.IsLeaf(c)) children.emplace_back(c, **base ^ dawg.Label(c));
    }
    // Reversed, so that the smallest label is taken from the stack first.
    pending.insert(pending.end(), children.rbegin(), children.rend());
  }
  return absl::OkStatus();
}

// Gives the DAWG node `dawg_id`, already placed at `index`, its children.
// Returns their base, or nullopt if they were placed before (a shared group
// reused here) and need no further visit.
absl::StatusOr<std::optional<uint32_t>> DoubleArrayPlacer::PlaceChildren(
    const internal::DawgBuilder& dawg, uint32_t dawg_id, uint32_t index) {
  const uint32_t child = dawg.Child(dawg_id);
  const bool shared = dawg.IsIntersection(child);
  if (shared && intersection_bases_[child] != 0) {
    const uint32_t rel = intersection_bases_[child] ^ index;
    if (IsEncodable(rel)) {
      if (dawg.IsLeaf(child)) SetHasLeaf(&units_[index]);
      absl::Status status = SetOffset(&units_[index], rel);
      if (!status.ok()) return status;
      return std::optional<uint32_t>();
    }
  }
  absl::StatusOr<uint32_t> base = Arrange(dawg, dawg_id, index);
  if (!base.ok()) return base.status();
  if (shared) intersection_bases_[child] = *base;
  return std::optional<uint32_t>(*base);
}

// Chooses a child base for the node at `index`, takes the child positions
// and writes their units. Returns the base.
absl::StatusOr<uint32_t> DoubleArrayPlacer::Arrange(
    const internal::DawgBuilder& dawg, uint32_t dawg_id, uint32_t index) {
  labels_.clear();
  for (uint32_t c = dawg.Child(dawg_id); c != 0; c = dawg.Sibling(c)) {
    labels_.push_back(dawg.Label(c));
  }

  const uint32_t base = FindBase(index);
  absl::Status status = SetOffset(&units_[index], index ^ base);
  if (!status.ok()) return status;

  uint32_t child = dawg.Child(dawg_id);
  for (uint8_t label : labels_) {
    const uint32_t pos = base ^ label;
    Take(pos);
    if (dawg.IsLeaf(child)) {
      SetHasLeaf(&units_[index]);
      SetLeafValue(&units_[pos], dawg.Value(child));
    } else {
      SetLabel(&units_[pos], label);
    }
    child = dawg.Sibling(child);
  }
  extra(base).is_used = true;
  return base;
}

// Walks the free list from its head and returns the first base that puts the
// smallest label on a free position and satisfies IsFreeBase(); falls back to
// a base in a new block.
uint32_t DoubleArrayPlacer::FindBase(uint32_t index) {
  const uint32_t fallback = size() | (index & kLowerMask);
  if (free_head_ >= size()) return fallback;
  uint32_t free_id = free_head_;
  do {
    const uint32_t base = free_id ^ labels_[0];
    if (IsFreeBase(index, base)) return base;
    free_id = extra(free_id).next;
  } while (free_id != free_head_);
  return fallback;
}

bool DoubleArrayPlacer::IsFreeBase(uint32_t index, uint32_t base) {
  if (extra(base).is_used) return false;
  if (!IsEncodable(index ^ base)) return false;
  for (size_t i = 1; i < labels_.size(); ++i) {
    if (extra(base ^ labels_[i]).is_fixed) return false;
  }
  return true;
}

// Marks position `id` as taken, growing the array if needed, and unlinks it
// from the free list.
void DoubleArrayPlacer::Take(uint32_t id) {
  if (id >= size()) AddBlock();
  if (id == free_head_) {
    free_head_ = extra(id).next;
    if (free_head_ == id) free_head_ = size();  // The list is now empty.
  }
  extra(extra(id).prev).next = extra(id).next;
  extra(extra(id).next).prev = extra(id).prev;
  extra(id).is_fixed = true;
}

// Appends one block, first fixing the block that leaves the window, and links
// its positions into the free list just before the head.
void DoubleArrayPlacer::AddBlock() {
  const uint32_t begin = size();
  const uint32_t end = begin + kBlockSize;
  const uint32_t new_num_blocks = end / kBlockSize;
  if (new_num_blocks > kWindowBlocks) {
    FixBlock(new_num_blocks - 1 - kWindowBlocks);
  }
  units_.resize(end, 0);
  if (new_num_blocks > kWindowBlocks) {
    for (uint32_t id = begin; id < end; ++id) {
      extra(id).is_used = false;
      extra(id).is_fixed = false;
    }
  }
  for (uint32_t id = begin + 1; id < end; ++id) {
    extra(id - 1).next = id;
    extra(id).prev = id - 1;
  }
  // Close the new run into a ring, then splice it in before the head. When
  // the list was empty, free_head_ == begin and the ring stays on its own.
  extra(begin).prev = end - 1;
  extra(end - 1).next = begin;
  extra(begin).prev = extra(free_head_).prev;
  extra(end - 1).next = free_head_;
  extra(extra(free_head_).prev).next = begin;
  extra(free_head_).prev = end - 1;
}

// Takes every still-free position of `block`, giving it a label that cannot
// match: its position XOR a base no node in the block uses.
void DoubleArrayPlacer::FixBlock(uint32_t block) {
  const uint32_t begin = block * kBlockSize;
  const uint32_t end = begin + kBlockSize;
  uint32_t unused_base = 0;
  for (uint32_t base = begin; base != end; ++base) {
    if (!extra(base).is_used) {
      unused_base = base;
      break;
    }
  }
  for (uint32_t id = begin; id != end; ++id) {
    if (!extra(id).is_fixed) {
      Take(id);
      SetLabel(&units_[id], static_cast<uint8_t>(id ^ unused_base));
    }
  }
}

absl::Status ValidateKeys(
    const std::vector<std::pair<std::string, uint32_t>>& keys) {
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string& key = keys[i].first;
    const std::string where = "double array key #" + std::to_string(i);
    if (key.empty()) return absl::InvalidArgumentError(where + " is empty");
    if (key.find('\0') != std::string::npos) {
      return absl::InvalidArgumentError(where + " contains a NUL byte");
    }
    if (keys[i].second > 0x7FFFFFFFu) {
      return absl::InvalidArgumentError(where + ": value " +
                                        std::to_string(keys[i].second) +
                                        " does not fit in 31 bits");
    }
    // std::string compares bytes as unsigned char.
    if (i > 0 && !(keys[i - 1].first < key)) {
      return absl::InvalidArgumentError(
          where + " is not greater than the previous key in bytewise order" +
          (keys[i - 1].first == key ? " (duplicate)" : ""));
    }
  }
  return absl::OkStatus();
}

}  // namespace

namespace internal {

absl::StatusOr<std::vector<uint32_t>> BuildDartsCloneUnits(
    const std::vector<std::pair<std::string, uint32_t>>&
        sorted_keys_and_values) {
  absl::Status status = ValidateKeys(sorted_keys_and_values);
  if (!status.ok()) return status;

  DawgBuilder dawg;
  for (const auto& [key, value] : sorted_keys_and_values) {
    status = dawg.Insert(key, value);
    if (!status.ok()) return status;
  }
  dawg.Finish();
  return DoubleArrayPlacer().Place(dawg);
}

}  // namespace internal

absl::StatusOr<std::string> BuildDartsCloneArray(
    const std::vector<std::pair<std::string, uint32_t>>&
        sorted_keys_and_values) {
  absl::StatusOr<std::vector<uint32_t>> units =
      internal::BuildDartsCloneUnits(sorted_keys_and_values);
  if (!units.ok()) return units.status();
  std::string bytes;
  bytes.reserve(units->size() * 4);
  for (uint32_t unit : *units) {
    for (int shift = 0; shift < 32; shift += 8) {
      bytes.push_back(static_cast<char>((unit >> shift) & 0xFF));
    }
  }
  return bytes;
}

}  // namespace sentencepiece
