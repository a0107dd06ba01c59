// Builds a Darts-clone double array that is byte-identical to the one
// darts-clone 0.32 (vendored by SentencePiece 0.1.97) builds from the same
// keys and values. SentencePiece stores such an array inside every model's
// `precompiled_charsmap`; reproducing the bytes lets us compile normalization
// rules into blobs that equal the reference's (see charsmap_compiler.h).
//
// Output layout (what DoubleArray in common/double_array.h reads): a
// sequence of 32-bit little-endian units, a multiple of 256 of them.
//   * leaf unit:     bit 31 set, bits 0-30 = value
//   * non-leaf unit: bits 0-7 label, bit 8 has_leaf, bits 10-31 offset field
//                    (scaled by 256 when bit 9 is set).
// The children of node p with offset o sit at p ^ o ^ byte; the value of a
// key sits at p ^ o of its last node.
//
// How it is built (two phases, as in darts-clone's "values given" path):
//   A. darts_clone_dawg.h merges identical suffix subtrees into a DAWG.
//   B. The DAWG is laid out depth-first. For each node, the first free slot
//      of a circular free list is tried as the place of its smallest child
//      label, checking that the other children's slots are free and that the
//      offset is encodable; shared (intersection) subtrees are placed once
//      and reused when the encoding allows. Blocks of 256 units are
//      finalised ("fixed") once they fall out of a 16-block window; unused
//      slots get labels that can never match.
// Every tie-break of that search changes the bytes, so it is replicated
// exactly; the code is our own.
//
// Example:
//   auto bytes = BuildDartsCloneArray({{"a", 0}, {"ab", 4}});
//   // bytes->size() == 1024 (256 units)

#ifndef SPM_SRC_TRAINER_DARTS_CLONE_BUILDER_H_
#define SPM_SRC_TRAINER_DARTS_CLONE_BUILDER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace sentencepiece {

// Returns the double array for `sorted_keys_and_values` as little-endian
// bytes. REQUIRES (else InvalidArgument naming the offending index): keys
// non-empty, without NUL bytes, strictly increasing in bytewise (unsigned)
// order; values < 2^31. An empty input gives the empty trie (256 units).
// Returns ResourceExhausted if the key set is too large to encode.
absl::StatusOr<std::string> BuildDartsCloneArray(
    const std::vector<std::pair<std::string, uint32_t>>&
        sorted_keys_and_values);

namespace internal {

// As BuildDartsCloneArray(), but returns the units themselves.
absl::StatusOr<std::vector<uint32_t>> BuildDartsCloneUnits(
    const std::vector<std::pair<std::string, uint32_t>>&
        sorted_keys_and_values);

}  // namespace internal
}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_DARTS_CLONE_BUILDER_H_
