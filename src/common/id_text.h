// Token ids as text, the way spm_encode --output_format=id prints them.

#ifndef SPM_SRC_COMMON_ID_TEXT_H_
#define SPM_SRC_COMMON_ID_TEXT_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace sentencepiece {

// Ids as text: "12 345 6\n". Digits come four at a time from a table of
// "0000".."9999" (40 KB, for any id; IdTextTable below trades 8 bytes an
// id of one vocabulary for fewer instructions an id).
class IdText {
 public:
  IdText() {
    char d[4] = {'0', '0', '0', '0'};
    for (uint32_t i = 0; i < 10000; ++i) {
      std::memcpy(&quads_[i], d, 4);
      int k = 3;  // d += 1.
      while (k >= 0 && d[k] == '9') d[k--] = '0';
      if (k >= 0) ++d[k];
    }
  }

  // One table for the whole process, built on first use.
  static const IdText& Shared() {
    static const IdText* const table = new IdText();
    return *table;
  }

  // The number of bytes PutWithSpace() may store: the text of the largest
  // id (10 digits) and its space, and what a store reaches past them.
  static constexpr size_t kMaxStore = 12 + 8;
  // Writes `v`'s digits and a space at p; returns the end (stores reach up
  // to kMaxStore bytes from p). `v` >= 0.
  char* PutWithSpace(char* p, uint32_t v) const {
    p = Put(p, v);
    *p = ' ';
    return p + 1;
  }

  // Appends `ids` joined by spaces, and a newline.
  void Append(const std::vector<int>& ids, std::string* out) const {
    // An id takes up to 11 bytes with its space (10 digits) and a store
    // reaches at most 8 bytes from where it starts (Put()): 12 bytes per id
    // and 8 more are room enough. Room is made a chunk of ids at a time:
    // for a long line, resizing for all of them at once would zero-fill,
    // and page in, about twice what the text takes. A long line's capacity is reserved once instead of grown by
    // doubling (each time copied into fresh pages); reserved pages are
    // paged in only where written.
    constexpr size_t kChunk = 4096;
    if (ids.size() > kChunk && out->capacity() < out->size() + 12 * ids.size() + 8) {
      out->reserve(out->size() + 12 * ids.size() + 8);
    }
    size_t i = 0;
    do {
      const size_t n = std::min(kChunk, ids.size() - i);
      const size_t old = out->size();
      out->resize(old + 12 * n + 8);
      char* p = out->data() + old;
      for (const size_t end = i + n; i < end; ++i) {
        p = Put(p, static_cast<uint32_t>(ids[i]));
        *p++ = ' ';
      }
      out->resize(p - out->data());
    } while (i < ids.size());
    if (!ids.empty()) out->back() = '\n';  // In place of the last space.
    else out->push_back('\n');
  }

 private:
  // Writes `v`'s digits at p (storing up to 7 bytes past them); returns
  // the end. Ids are non-negative. Below 10^8 (any real vocabulary) the
  // quads of the two halves make 8 digits, and a digit count made of
  // comparisons shifts the leading zeros out: no branch on the number of
  // digits, which varies from id to id and was mispredicted.
  char* Put(char* p, uint32_t v) const {
    if (v < 100000000) {
      const uint32_t high = v / 10000;
      uint64_t digits = quads_[high] | (uint64_t{quads_[v - high * 10000]} << 32);
      const int n = Digits(v);
      digits >>= 8 * (8 - n);  // Little-endian: the leading zeros are the low bytes.
      std::memcpy(p, &digits, 8);
      return p + n;
    }
    return PutLarge(p, v);
  }
  // The number of decimal digits of `v` (1 for 0): the bit length times
  // log10(2) (1233 / 4096) is the digit count or one more, and one compare
  // with the power of ten tells which.
  static int Digits(uint32_t v) {
    static constexpr uint32_t kPow10[10] = {0,      10,      100,      1000,      10000,
                                            100000, 1000000, 10000000, 100000000, 1000000000};
    const int t = ((32 - __builtin_clz(v | 1)) * 1233) >> 12;
    return t + 1 - (v < kPow10[t]);
  }
  // Any `v`, four digits at a time (storing up to 3 bytes past them).
  char* PutLarge(char* p, uint32_t v) const {
    if (v >= 10000) {
      const uint32_t high = v / 10000;
      p = high >= 10000 ? PutLarge(p, high) : Short(p, high);
      std::memcpy(p, &quads_[v - high * 10000], 4);
      return p + 4;
    }
    return Short(p, v);
  }
  // `v` < 10000 without leading zeros.
  char* Short(char* p, uint32_t v) const {
    const int n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : 4;
    uint32_t q = quads_[v];
    q >>= 8 * (4 - n);  // Little-endian: the leading zeros are the low bytes.
    std::memcpy(p, &q, 4);
    return p + n;
  }

  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "digit quads are read little-endian");
  uint32_t quads_[10000];
};

// The text of every id below a vocabulary's size, made once: 8 bytes an
// id, its digits and a space in the low bytes and their count in the top
// one. An id then costs a load and a store where IdText computes its
// digits (~15 instructions). 240 KB for a 30,000-piece vocabulary, of
// which an encode's frequent ids stay in the CPU caches: spm_encode to ids
// ran 1-6% fewer instructions and no slower with it (docs/speed_history.md,
// round forty-seven).
class IdTextTable {
 public:
  // Six digits and a space fit the low 7 bytes.
  static constexpr uint32_t kMaxSize = 1000000;
  // REQUIRES: size <= kMaxSize.
  explicit IdTextTable(uint32_t size) : entries_(size) {
    // The ids in order, counting in decimal in a register: `digits` holds
    // the current id's n digits, the first in the low byte. (Each id's
    // digits made by IdText and copied in took ~70 instructions an id, 8%
    // of a one-line run under a 30,000-piece model.)
    uint64_t digits = '0';
    int n = 1;
    for (uint32_t id = 0; id < size; ++id) {
      entries_[id] = digits | (uint64_t{' '} << (8 * n)) | (static_cast<uint64_t>(n + 1) << 56);
      // Add one: trailing nines become zeros, then the digit before them
      // goes up; all nines (9, 99, ...) become 1 and n zeros.
      int k = n - 1;
      while (k >= 0 && ((digits >> (8 * k)) & 0xFF) == '9') {
        digits -= uint64_t{'9' - '0'} << (8 * k);
        --k;
      }
      if (k >= 0) {
        digits += uint64_t{1} << (8 * k);
      } else {
        digits = (digits << 8) | '1';
        ++n;
      }
    }
  }

  uint32_t size() const { return static_cast<uint32_t>(entries_.size()); }

  // As IdText::PutWithSpace(), for id < size(); stores 8 bytes at p.
  char* PutWithSpace(char* p, uint32_t id) const {
    const uint64_t entry = entries_[id];
    std::memcpy(p, &entry, 8);
    return p + (entry >> 56);
  }

 private:
  std::vector<uint64_t> entries_;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_ID_TEXT_H_
