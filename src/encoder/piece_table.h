// A string -> id hash index over a vocabulary's pieces, for Vocabulary.
//
// The table stores only ids; a piece's string is read from the caller's
// `pieces` (id -> string) vector, which every call passes in, so the table
// stays valid when the vocabulary that owns both is moved.
//
// Performance notes: built at every model load (30k+ inserts), so it is a
// flat array of 8-byte slots (16 hash bits and the id) at most half full,
// probed linearly, with the word cache's hash (8 bytes per step); about a
// third of the instructions of an absl::flat_hash_map keyed by string_view.
// An empty slot is 0 (slots hold id + 1). A table is zero-filled when
// allocated, not taken as calloc's fresh zero pages: inserts read a slot
// before writing it, and a read of an untouched page maps the shared zero
// page, so each page would fault twice (read, then copy on write); a fill
// faults once per page.

#ifndef SPM_SRC_ENCODER_PIECE_TABLE_H_
#define SPM_SRC_ENCODER_PIECE_TABLE_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "encoder/word_cache.h"

namespace sentencepiece {

class PieceTable {
 public:
  PieceTable() = default;
  PieceTable(const PieceTable& other) { *this = other; }
  PieceTable& operator=(const PieceTable& other) {
    if (this != &other) {
      slots_ = Allocate(other.capacity_);
      if (other.capacity_ > 0) {
        std::memcpy(slots_.get(), other.slots_.get(), other.capacity_ * sizeof(uint64_t));
      }
      capacity_ = other.capacity_;
      size_ = other.size_;
    }
    return *this;
  }
  PieceTable(PieceTable&& other) noexcept { *this = std::move(other); }
  PieceTable& operator=(PieceTable&& other) noexcept {
    slots_ = std::move(other.slots_);
    capacity_ = std::exchange(other.capacity_, 0);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }

  // Sizes the table for `n` pieces.
  void Reserve(size_t n, const std::vector<std::string_view>& pieces) {
    size_t size = 16;
    while (size < 2 * n) size *= 2;
    if (size > capacity_) Rehash(size, pieces);
  }

  // Adds `id`, whose string is `piece`; false (and no change) when a piece
  // with that string is already there. REQUIRES: 0 <= id < 2^31.
  bool Insert(std::string_view piece, int id, const std::vector<std::string_view>& pieces) {
    if (2 * (size_ + 1) > capacity_) {
      Rehash(capacity_ == 0 ? 16 : 2 * capacity_, pieces);
    }
    const uint64_t h = HashWord(piece);
    const size_t i = Probe(piece, h, pieces);
    if (slots_[i] != kEmpty) return false;
    slots_[i] = Slot(h, id);
    ++size_;
    return true;
  }

  // The id whose string is `piece`, or -1.
  int Find(std::string_view piece, const std::vector<std::string_view>& pieces) const {
    if (size_ == 0) return -1;
    const uint64_t s = slots_[Probe(piece, HashWord(piece), pieces)];
    return s == kEmpty ? -1 : Id(s);
  }

  size_t size() const { return size_; }

 private:
  static constexpr uint64_t kEmpty = 0;
  // Hash bits 48..63 in the top 16 bits, id + 1 in the low 32.
  static uint64_t Slot(uint64_t h, int id) {
    return (h & 0xFFFF000000000000ull) | (static_cast<uint32_t>(id) + 1u);
  }
  static int Id(uint64_t slot) { return static_cast<int>((slot & 0xFFFFFFFF) - 1); }

  using Slots = std::unique_ptr<uint64_t[]>;
  // `size` zeroed slots (new[] with a fill: malloc plus memset would be
  // turned into calloc by the compiler).
  static Slots Allocate(size_t size) {
    if (size == 0) return nullptr;
    return Slots(new uint64_t[size]());
  }

  // The slot holding `piece`, or the empty slot where it belongs.
  size_t Probe(std::string_view piece, uint64_t h,
               const std::vector<std::string_view>& pieces) const {
    const size_t mask = capacity_ - 1;
    const uint64_t tag = h & 0xFFFF000000000000ull;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const uint64_t s = slots_[i];
      if (s == kEmpty) return i;
      if ((s & 0xFFFF000000000000ull) == tag && pieces[Id(s)] == piece) return i;
    }
  }

  // Moves every id to a table of `size` slots (a power of two).
  void Rehash(size_t size, const std::vector<std::string_view>& pieces) {
    Slots old = Allocate(size);
    old.swap(slots_);
    const size_t old_capacity = capacity_;
    capacity_ = size;
    const size_t mask = size - 1;
    for (size_t j = 0; j < old_capacity; ++j) {
      const uint64_t s = old[j];
      if (s == kEmpty) continue;
      size_t i = HashWord(pieces[Id(s)]) & mask;
      while (slots_[i] != kEmpty) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  Slots slots_;
  size_t capacity_ = 0;
  size_t size_ = 0;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_PIECE_TABLE_H_
