// See darts_clone_dawg.h for the idea and the unit layout.

#include "trainer/darts_clone_dawg.h"

#include <string>

namespace sentencepiece {
namespace internal {
namespace {

constexpr size_t kInitialTableSize = 1024;
constexpr uint32_t kMaxValue = 0x7FFFFFFF;

// darts-clone's 32-bit integer mix, applied to each unit of a group.
uint32_t Mix(uint32_t x) {
  x = ~x + (x << 15);
  x ^= x >> 12;
  x += x << 2;
  x ^= x >> 4;
  x *= 2057;
  x ^= x >> 16;
  return x;
}

uint32_t HashUnit(uint8_t label, uint32_t word) {
  return Mix((static_cast<uint32_t>(label) << 24) ^ word);
}

}  // namespace

uint32_t DawgBuilder::Node::Word() const {
  const uint32_t sibling_bit = has_sibling ? 1 : 0;
  if (label == 0) return (child << 1) | sibling_bit;
  return (child << 2) | (is_state ? 2 : 0) | sibling_bit;
}

DawgBuilder::DawgBuilder() : table_(kInitialTableSize, 0) {
  nodes_.emplace_back();
  nodes_[0].label = 0xFF;  // The root's label never meets a key byte.
  open_nodes_.push_back(0);
  AppendUnit();  // Unit 0 is reserved for the root.
  num_groups_ = 1;
}

absl::Status DawgBuilder::Insert(std::string_view key, uint32_t value) {
  if (key.empty()) return absl::InvalidArgumentError("DAWG: empty key");
  if (key.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError("DAWG: key contains a NUL byte");
  }
  if (value > kMaxValue) {
    return absl::InvalidArgumentError("DAWG: value must be < 2^31, got " +
                                      std::to_string(value));
  }
  // Byte `pos` of the key, with the implicit terminator 0 at the end.
  const auto label_at = [&key](size_t pos) -> uint8_t {
    return pos < key.size() ? static_cast<uint8_t>(key[pos]) : 0;
  };

  // Follow the path shared with the previous key. Where this key branches
  // off, the previous key's remaining nodes can be frozen.
  uint32_t id = 0;
  size_t pos = 0;
  for (; pos <= key.size(); ++pos) {
    const uint32_t child = nodes_[id].child;
    if (child == 0) break;
    const uint8_t label = label_at(pos);
    const uint8_t newest = nodes_[child].label;
    if (label < newest) {
      return absl::InvalidArgumentError("DAWG: keys are not sorted bytewise");
    }
    if (label > newest) {
      nodes_[child].has_sibling = true;
      FreezeDownTo(child);
      break;
    }
    id = child;
  }
  if (pos > key.size()) return absl::OkStatus();  // Same key again.

  // Append the rest of the key, terminator included, as a fresh branch.
  for (; pos <= key.size(); ++pos) {
    const uint32_t child = NewNode();
    Node& node = nodes_[child];
    node.is_state = nodes_[id].child == 0;
    node.sibling = nodes_[id].child;
    node.label = label_at(pos);
    nodes_[id].child = child;
    open_nodes_.push_back(child);
    id = child;
  }
  nodes_[id].child = value;
  return absl::OkStatus();
}

void DawgBuilder::Finish() {
  FreezeDownTo(0);
  units_[0] = nodes_[0].Word();
  labels_[0] = nodes_[0].label;
  nodes_.clear();
  nodes_.shrink_to_fit();
  free_nodes_.clear();
  open_nodes_.clear();
  table_.clear();
  table_.shrink_to_fit();
}

uint32_t DawgBuilder::NewNode() {
  if (free_nodes_.empty()) {
    nodes_.emplace_back();
    return static_cast<uint32_t>(nodes_.size() - 1);
  }
  const uint32_t id = free_nodes_.back();
  free_nodes_.pop_back();
  nodes_[id] = Node();
  return id;
}

// Freezes every open node above `node_id` (deepest first), then closes
// `node_id` itself: it stays in its parent's child list and is frozen later
// together with its siblings.
void DawgBuilder::FreezeDownTo(uint32_t node_id) {
  while (open_nodes_.back() != node_id) {
    const uint32_t first = open_nodes_.back();
    open_nodes_.pop_back();
    uint32_t group = 0;
    FreezeGroup(first, &group);
    nodes_[open_nodes_.back()].child = group;
  }
  open_nodes_.pop_back();
}

// Turns the sibling list starting at `first_node` into frozen units (or finds
// an identical frozen group), recycles the nodes and sets *unit_id to the
// group's first unit.
void DawgBuilder::FreezeGroup(uint32_t first_node, uint32_t* unit_id) {
  if (num_groups_ >= table_.size() - (table_.size() >> 2)) GrowTable();

  uint32_t slot = 0;
  uint32_t match = FindGroup(first_node, &slot);
  if (match != 0) {
    is_intersection_[match] = true;
  } else {
    size_t count = 0;
    for (uint32_t i = first_node; i != 0; i = nodes_[i].sibling) ++count;
    uint32_t last = 0;
    for (size_t i = 0; i < count; ++i) last = AppendUnit();
    // The list runs from the largest label down; store it from the top.
    uint32_t unit = last;
    for (uint32_t i = first_node; i != 0; i = nodes_[i].sibling, --unit) {
      units_[unit] = nodes_[i].Word();
      labels_[unit] = nodes_[i].label;
    }
    match = unit + 1;
    table_[slot] = match;
    ++num_groups_;
  }
  for (uint32_t i = first_node; i != 0;) {
    const uint32_t next = nodes_[i].sibling;
    free_nodes_.push_back(i);
    i = next;
  }
  *unit_id = match;
}

void DawgBuilder::GrowTable() {
  table_.assign(table_.size() * 2, 0);
  for (uint32_t id = 1; id < units_.size(); ++id) {
    const bool starts_group = labels_[id] == 0 || (units_[id] & 2) != 0;
    if (!starts_group) continue;
    uint32_t slot = HashGroupOfUnits(id) % table_.size();
    while (table_[slot] != 0) slot = (slot + 1) % table_.size();
    table_[slot] = id;
  }
}

uint32_t DawgBuilder::FindGroup(uint32_t first_node, uint32_t* slot) const {
  *slot = HashGroupOfNodes(first_node) % table_.size();
  for (;; *slot = (*slot + 1) % table_.size()) {
    const uint32_t unit_id = table_[*slot];
    if (unit_id == 0) return 0;
    if (GroupEquals(first_node, unit_id)) return unit_id;
  }
}

bool DawgBuilder::GroupEquals(uint32_t first_node, uint32_t unit_id) const {
  // Same number of siblings: move unit_id to the group's last unit.
  for (uint32_t i = nodes_[first_node].sibling; i != 0; i = nodes_[i].sibling) {
    if ((units_[unit_id] & 1) == 0) return false;
    ++unit_id;
  }
  if ((units_[unit_id] & 1) != 0) return false;
  // Nodes run from the largest label down, units from the last one down.
  for (uint32_t i = first_node; i != 0; i = nodes_[i].sibling, --unit_id) {
    if (nodes_[i].Word() != units_[unit_id] ||
        nodes_[i].label != labels_[unit_id]) {
      return false;
    }
  }
  return true;
}

uint32_t DawgBuilder::HashGroupOfNodes(uint32_t first_node) const {
  uint32_t hash = 0;
  for (uint32_t i = first_node; i != 0; i = nodes_[i].sibling) {
    hash ^= HashUnit(nodes_[i].label, nodes_[i].Word());
  }
  return hash;
}

uint32_t DawgBuilder::HashGroupOfUnits(uint32_t unit_id) const {
  uint32_t hash = 0;
  for (;; ++unit_id) {
    hash ^= HashUnit(labels_[unit_id], units_[unit_id]);
    if ((units_[unit_id] & 1) == 0) break;
  }
  return hash;
}

uint32_t DawgBuilder::AppendUnit() {
  units_.push_back(0);
  labels_.push_back(0);
  is_intersection_.push_back(false);
  return static_cast<uint32_t>(units_.size() - 1);
}

}  // namespace internal
}  // namespace sentencepiece
