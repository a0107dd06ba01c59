// A string -> id hash index over a vocabulary's pieces, for Vocabulary.
//
// The table stores only ids; a piece's string is read from the caller's
// `pieces` (id -> string) vector, which every call passes in, so the table
// stays valid when the vocabulary that owns both is moved.
//
// Performance notes: built at every model load (30k+ inserts), so it is a
// flat array of 4-byte slots at most half full, probed linearly, with the
// word cache's hash: each slot holds id + 1 in its low `id_bits_` bits and
// the top bits of the hash above them (a 32k vocabulary leaves 17 bits),
// so most probes of other pieces end without a string compare. 4-byte
// slots rather than 8: the table's pages are fresh memory at every load
// (~2 us each on a VM), 64 fewer of them for a 32k vocabulary. An empty
// slot is 0. A table is zero-filled when allocated, not taken as calloc's
// fresh zero pages: inserts read a slot before writing it, and a read of
// an untouched page maps the shared zero page, so each page would fault
// twice (read, then copy on write); a fill faults once per page.

#ifndef SPM_SRC_ENCODER_PIECE_TABLE_H_
#define SPM_SRC_ENCODER_PIECE_TABLE_H_

#include <algorithm>
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
        std::memcpy(slots_.get(), other.slots_.get(), other.capacity_ * sizeof(uint32_t));
      }
      capacity_ = other.capacity_;
      size_ = other.size_;
      id_bits_ = other.id_bits_;
    }
    return *this;
  }
  PieceTable(PieceTable&& other) noexcept { *this = std::move(other); }
  PieceTable& operator=(PieceTable&& other) noexcept {
    slots_ = std::move(other.slots_);
    capacity_ = std::exchange(other.capacity_, 0);
    size_ = std::exchange(other.size_, 0);
    id_bits_ = other.id_bits_;
    return *this;
  }

  // Sizes the table for `n` pieces with ids below n.
  void Reserve(size_t n, const std::vector<std::string_view>& pieces) {
    size_t size = 16;
    while (size < 2 * n) size *= 2;
    const int bits = std::max(id_bits_, BitsFor(n));
    if (size > capacity_ || bits != id_bits_) Rehash(std::max(size, capacity_), bits, pieces);
  }

  // Adds `id`, whose string is `piece`; false (and no change) when a piece
  // with that string is already there. REQUIRES: 0 <= id < 2^31.
  bool Insert(std::string_view piece, int id, const std::vector<std::string_view>& pieces) {
    return Insert(piece, HashWord(piece), id, pieces);
  }
  // The same with `h` = HashWord(piece) already known.
  bool Insert(std::string_view piece, uint64_t h, int id,
              const std::vector<std::string_view>& pieces) {
    const bool fuller = 2 * (size_ + 1) > capacity_;
    const bool wider = static_cast<uint32_t>(id) + 1u > IdMask();
    if (fuller || wider) {
      Rehash(fuller ? std::max<size_t>(16, 2 * capacity_) : capacity_,
             wider ? BitsFor(static_cast<size_t>(id) + 1) : id_bits_, pieces);
    }
    const size_t i = Probe(piece, h, pieces);
    if (slots_[i] != kEmpty) return false;
    slots_[i] = Slot(h, id);
    ++size_;
    return true;
  }

  // Inserts into a table that Reserve() sized for every id inserted, for
  // a model load's run of inserts: the table's shape is read once and no
  // insert checks for growth (Insert() re-reads the members and tests
  // both growth conditions each time: ~30 of a loaded piece's ~130
  // instructions). The table's size is brought up to date when the filler
  // goes; use the table only after that.
  class Filler {
   public:
    Filler(PieceTable* table, const std::vector<std::string_view>& pieces)
        : table_(table),
          pieces_(pieces),
          slots_(table->slots_.get()),
          mask_(table->capacity_ - 1),
          id_mask_(table->IdMask()) {}
    ~Filler() { table_->size_ += added_; }
    Filler(const Filler&) = delete;
    Filler& operator=(const Filler&) = delete;

    void Prefetch(uint64_t h) const { __builtin_prefetch(&slots_[h & mask_]); }
    // Insert() for a table reserved for this id: false (and no change)
    // when the piece is already there. REQUIRES: 0 <= id < the reserved
    // count, fewer inserts than it.
    bool Insert(std::string_view piece, uint64_t h, int id) {
      const size_t i = ProbeIn(slots_, mask_, id_mask_, piece, h, pieces_);
      if (slots_[i] != kEmpty) return false;
      slots_[i] = TagOf(h, id_mask_) | (static_cast<uint32_t>(id) + 1u);
      ++added_;
      return true;
    }

   private:
    PieceTable* const table_;
    const std::vector<std::string_view>& pieces_;
    uint32_t* const slots_;
    const size_t mask_;
    const uint32_t id_mask_;
    size_t added_ = 0;
  };

  // Hints that a piece hashing to `h` is inserted or looked up soon.
  void Prefetch(uint64_t h) const {
    if (capacity_ > 0) __builtin_prefetch(&slots_[h & (capacity_ - 1)]);
  }

  // The id whose string is `piece`, or -1.
  int Find(std::string_view piece, const std::vector<std::string_view>& pieces) const {
    if (size_ == 0) return -1;
    const uint32_t s = slots_[Probe(piece, HashWord(piece), pieces)];
    return s == kEmpty ? -1 : Id(s);
  }

  size_t size() const { return size_; }

 private:
  static constexpr uint32_t kEmpty = 0;
  // Bits that hold every id + 1 up to n (at least 1).
  static int BitsFor(size_t n) {
    int bits = 1;
    while (bits < 32 && (size_t{1} << bits) <= n) ++bits;
    return bits;
  }
  uint32_t IdMask() const {
    return id_bits_ >= 32 ? ~uint32_t{0} : (uint32_t{1} << id_bits_) - 1;
  }
  // The hash's top bits above the id's (none when ids take all 32): the
  // top 32 bits of the hash, less the id's.
  static uint32_t TagOf(uint64_t h, uint32_t id_mask) {
    return static_cast<uint32_t>(h >> 32) & ~id_mask;
  }
  uint32_t Slot(uint64_t h, int id) const {
    return TagOf(h, IdMask()) | (static_cast<uint32_t>(id) + 1u);
  }
  int Id(uint32_t slot) const { return static_cast<int>((slot & IdMask()) - 1); }

  using Slots = std::unique_ptr<uint32_t[]>;
  // `size` zeroed slots (new[] with a fill: malloc plus memset would be
  // turned into calloc by the compiler).
  static Slots Allocate(size_t size) {
    if (size == 0) return nullptr;
    return Slots(new uint32_t[size]());
  }

  // The slot holding `piece`, or the empty slot where it belongs.
  size_t Probe(std::string_view piece, uint64_t h,
               const std::vector<std::string_view>& pieces) const {
    return ProbeIn(slots_.get(), capacity_ - 1, IdMask(), piece, h, pieces);
  }
  // Probe() for a table's shape given apart (a Filler keeps it in locals).
  static size_t ProbeIn(const uint32_t* slots, size_t mask, uint32_t id_mask,
                        std::string_view piece, uint64_t h,
                        const std::vector<std::string_view>& pieces) {
    const uint32_t tag = TagOf(h, id_mask);
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const uint32_t s = slots[i];
      if (s == kEmpty) return i;
      if ((s & ~id_mask) == tag) {
        const std::string_view other = pieces[(s & id_mask) - 1];
        if (other.size() == piece.size() && SameBytes(other.data(), piece.data(), piece.size())) {
          return i;
        }
      }
    }
  }

  // Moves every id to a table of `size` slots (a power of two) whose ids
  // take `id_bits` bits.
  void Rehash(size_t size, int id_bits, const std::vector<std::string_view>& pieces) {
    Slots old = Allocate(size);
    old.swap(slots_);
    const size_t old_capacity = capacity_;
    const uint32_t old_mask = IdMask();
    capacity_ = size;
    id_bits_ = id_bits;
    const size_t mask = size - 1;
    for (size_t j = 0; j < old_capacity; ++j) {
      if (old[j] == kEmpty) continue;
      const int id = static_cast<int>((old[j] & old_mask) - 1);
      const uint64_t h = HashWord(pieces[id]);
      size_t i = h & mask;
      while (slots_[i] != kEmpty) i = (i + 1) & mask;
      slots_[i] = Slot(h, id);
    }
  }

  Slots slots_;
  size_t capacity_ = 0;
  size_t size_ = 0;
  int id_bits_ = 1;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_PIECE_TABLE_H_
