// The nodes of a trie over a sorted key set, as both trie builders
// (double_array_builder.cc, flat_trie_builder.cc) walk them depth-first:
// a node is the run of keys that share its prefix, and its children are
// the distinct bytes that follow that prefix.

#ifndef SPM_SRC_COMMON_KEYSET_NODES_H_
#define SPM_SRC_COMMON_KEYSET_NODES_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace sentencepiece {

// A node to place: keys [begin, end) share its prefix of `depth` bytes;
// `node` is its slot in the array being built.
struct KeysetNode {
  uint32_t node;
  uint32_t begin;
  uint32_t end;
  uint32_t depth;
};

// What NodeChildren() found wrong with the keys, if anything.
enum class KeysetError { kNone, kNulByte, kUnsortedOrTwice };

// The children of `n` into labels[0, *num_labels), in increasing order:
// label 0 for the key that ends at the node (its value), else the byte
// after the prefix; child i's keys are [starts[i], starts[i + 1]). On an
// error, *bad is the offending key's index.
inline KeysetError NodeChildren(const std::vector<std::pair<std::string_view, uint32_t>>& keys,
                                const KeysetNode& n, uint32_t labels[257], uint32_t starts[258],
                                size_t* num_labels, uint32_t* bad) {
  size_t count = 0;
  for (uint32_t k = n.begin; k < n.end; ++k) {
    const std::string_view key = keys[k].first;
    const bool ends = n.depth >= key.size();
    const uint32_t label = ends ? 0 : static_cast<unsigned char>(key[n.depth]);
    if (!ends && label == 0) {
      *bad = k;
      return KeysetError::kNulByte;
    }
    if (count > 0 && label <= labels[count - 1]) {
      if (label < labels[count - 1] || ends) {
        *bad = k;
        return KeysetError::kUnsortedOrTwice;
      }
      continue;
    }
    labels[count] = label;
    starts[count++] = k;
  }
  starts[count] = n.end;
  *num_labels = count;
  return KeysetError::kNone;
}

}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_KEYSET_NODES_H_
