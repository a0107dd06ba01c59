// Phase A of the Darts-clone double-array build: a minimal directed acyclic
// word graph (DAWG) over a sorted key set with values.
//
// Keys are inserted in bytewise order. Each key is stored as the path of its
// bytes followed by a terminal edge labelled 0 whose "child" field holds the
// value. Whenever a branch can no longer change (the next key diverges above
// it), its nodes are frozen bottom-up: each group of siblings becomes a run of
// consecutive "units" in ascending label order, and a group identical to an
// already frozen one (same labels, same children, same values) is not stored
// again but reused; the reused group is flagged as an "intersection" so that
// phase B can place it once and point every parent at it.
//
// The unit words, the sibling-group hash table (its hash function, growth
// rule and linear probing) and the freezing order replicate darts-clone
// 0.32 (as vendored by SentencePiece 0.1.97), because phase B's placement,
// and hence the final bytes, depends on them.
//
// Frozen unit word layout:
//   terminal (label 0): value << 1 | has_sibling
//   other:              child << 2 | is_state << 1 | has_sibling
// where has_sibling means "the unit at index + 1 is my next sibling" and
// is_state marks the first unit of a sibling group.
//
// Internal to the trainer; see darts_clone_builder.h for the public entry.

#ifndef SPM_SRC_TRAINER_DARTS_CLONE_DAWG_H_
#define SPM_SRC_TRAINER_DARTS_CLONE_DAWG_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace sentencepiece {
namespace internal {

class DawgBuilder {
 public:
  DawgBuilder();

  DawgBuilder(const DawgBuilder&) = delete;
  DawgBuilder& operator=(const DawgBuilder&) = delete;

  // Adds `key` -> `value`. REQUIRES: not finished. Returns InvalidArgument if
  // `key` is empty, contains a NUL byte, sorts before the previous key, or
  // `value` >= 2^31. Re-inserting the previous key is a no-op (the first
  // value wins), as in darts-clone.
  absl::Status Insert(std::string_view key, uint32_t value);

  // Freezes the remaining branch and the root. Call once, after all inserts.
  void Finish();

  // Read access to the frozen graph; valid after Finish(). Unit ids index
  // the unit array; 0 is the root, and 0 as a child or sibling means "none".
  uint32_t root() const { return 0; }
  size_t num_units() const { return units_.size(); }
  uint32_t Child(uint32_t id) const { return units_[id] >> 2; }
  uint32_t Sibling(uint32_t id) const {
    return (units_[id] & 1) != 0 ? id + 1 : 0;
  }
  uint32_t Value(uint32_t id) const { return units_[id] >> 1; }
  uint8_t Label(uint32_t id) const { return labels_[id]; }
  bool IsLeaf(uint32_t id) const { return labels_[id] == 0; }
  bool IsIntersection(uint32_t id) const { return is_intersection_[id]; }

 private:
  // A node of the branch still being built (not yet frozen).
  struct Node {
    uint32_t child = 0;    // First child (largest label); value if label 0.
    uint32_t sibling = 0;  // Next sibling, with the next smaller label.
    uint8_t label = 0;
    bool is_state = false;     // First child created under its parent.
    bool has_sibling = false;  // A sibling with a larger label exists.
    uint32_t Word() const;
  };

  uint32_t NewNode();
  void FreezeDownTo(uint32_t node_id);
  void FreezeGroup(uint32_t first_node, uint32_t* unit_id);
  void GrowTable();
  uint32_t FindGroup(uint32_t first_node, uint32_t* slot) const;
  bool GroupEquals(uint32_t first_node, uint32_t unit_id) const;
  uint32_t HashGroupOfNodes(uint32_t first_node) const;
  uint32_t HashGroupOfUnits(uint32_t unit_id) const;
  uint32_t AppendUnit();

  // Branch under construction.
  std::vector<Node> nodes_;
  std::vector<uint32_t> free_nodes_;
  std::vector<uint32_t> open_nodes_;  // Path of unfrozen nodes, root first.

  // Frozen graph.
  std::vector<uint32_t> units_;
  std::vector<uint8_t> labels_;
  std::vector<bool> is_intersection_;

  // Open-addressing table of frozen sibling groups (first unit ids, 0 =
  // empty) and the number of groups stored.
  std::vector<uint32_t> table_;
  size_t num_groups_ = 0;
};

}  // namespace internal
}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_DARTS_CLONE_DAWG_H_
