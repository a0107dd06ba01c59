// Finding the spaces of a text 16 bytes at a time.
//
// Encoding splits a line into words at its spaces, and decoding splits a
// line of pieces the same way; both look at every byte of every line, so
// the spaces are found from a mask of 16 compared bytes (SSE2) rather than
// byte by byte or with a memchr() call per word.

#ifndef SPM_SRC_COMMON_SPACE_SCAN_H_
#define SPM_SRC_COMMON_SPACE_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sentencepiece {

// Calls fn(i) for each i in [begin, end) where data[i] is ' ', in order,
// until fn returns false; returns false if it did, true otherwise.
template <typename Fn>
__attribute__((always_inline)) inline bool ForEachSpace(const char* data, size_t begin, size_t end,
                                                        Fn&& fn) {
  size_t pos = begin;
#if defined(__SSE2__)
  const __m128i spaces = _mm_set1_epi8(' ');
  auto space_mask = [&spaces](const char* p) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    return static_cast<uint64_t>(
        static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, spaces))));
  };
  // 64 bytes a mask first: the loop over a mask's spaces ends where the
  // branch predictor cannot tell (a text's spaces fall anywhere), once a
  // mask; four times fewer masks, four times fewer of those mispredicts.
  for (; pos + 64 <= end; pos += 64) {
    const char* p = data + pos;
    for (uint64_t mask = space_mask(p) | space_mask(p + 16) << 16 | space_mask(p + 32) << 32 |
                         space_mask(p + 48) << 48;
         mask != 0; mask &= mask - 1) {
      if (!fn(pos + static_cast<size_t>(__builtin_ctzll(mask)))) return false;
    }
  }
  for (; pos + 16 <= end; pos += 16) {
    for (uint64_t mask = space_mask(data + pos); mask != 0; mask &= mask - 1) {
      if (!fn(pos + static_cast<size_t>(__builtin_ctzll(mask)))) return false;
    }
  }
#endif
  for (; pos < end; ++pos) {
    if (data[pos] == ' ' && !fn(pos)) return false;
  }
  return true;
}

// ForEachSpace() for the bytes marked in `is_separator` (256 entries):
// ' ' and control bytes (below 0x20) that a normalizer turns into spaces.
// Spaces are found as ForEachSpace() finds them; control bytes, rare in
// text, are tested for 64 bytes at a time and only looked up where a block
// has one. (Looking up every byte up to 0x20 instead, spaces included,
// cost ~7 instructions a word.)
// (Inlined, as ForEachSpace() is where it is used once: the caller's fn
// holds its per-word work, which as a call cost ~30 instructions a word in
// saved and restored registers.)
template <typename Fn>
__attribute__((always_inline)) inline bool ForEachSeparator(const char* data, size_t begin,
                                                            size_t end, const bool* is_separator,
                                                            Fn&& fn) {
  size_t pos = begin;
#if defined(__SSE2__)
  const __m128i spaces = _mm_set1_epi8(' ');
  const __m128i last_control = _mm_set1_epi8(0x1F);
  // The separators among the control bytes whose positions (from `at`)
  // `control` holds.
  auto separating = [data, is_separator](size_t at, uint64_t control) {
    uint64_t kept = 0;
    for (; control != 0; control &= control - 1) {
      const int i = __builtin_ctzll(control);
      if (is_separator[static_cast<unsigned char>(data[at + i])]) kept |= uint64_t{1} << i;
    }
    return kept;
  };
  for (; pos + 64 <= end; pos += 64) {
    const char* p = data + pos;
    __m128i chunk[4];
    for (int k = 0; k < 4; ++k) {
      chunk[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    }
    uint64_t mask = 0;
    for (int k = 0; k < 4; ++k) {
      mask |= static_cast<uint64_t>(static_cast<uint32_t>(
                  _mm_movemask_epi8(_mm_cmpeq_epi8(chunk[k], spaces))))
              << (16 * k);
    }
    // b <= 0x1F (unsigned) exactly where min(b, 0x1F) == b.
    __m128i is_control[4];
    __m128i any = _mm_setzero_si128();
    for (int k = 0; k < 4; ++k) {
      is_control[k] = _mm_cmpeq_epi8(_mm_min_epu8(chunk[k], last_control), chunk[k]);
      any = _mm_or_si128(any, is_control[k]);
    }
    if (_mm_movemask_epi8(any) != 0) {
      uint64_t control = 0;
      for (int k = 0; k < 4; ++k) {
        control |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(is_control[k])))
                   << (16 * k);
      }
      mask |= separating(pos, control);
    }
    for (; mask != 0; mask &= mask - 1) {
      if (!fn(pos + static_cast<size_t>(__builtin_ctzll(mask)))) return false;
    }
  }
  for (; pos + 16 <= end; pos += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
    uint64_t mask = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, spaces)));
    const auto control = static_cast<uint32_t>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(chunk, last_control), chunk)));
    if (control != 0) mask |= separating(pos, control);
    for (; mask != 0; mask &= mask - 1) {
      if (!fn(pos + static_cast<size_t>(__builtin_ctzll(mask)))) return false;
    }
  }
#endif
  for (; pos < end; ++pos) {
    if (is_separator[static_cast<unsigned char>(data[pos])] && !fn(pos)) return false;
  }
  return true;
}

// Calls fn(run) for each run of non-space bytes of `text`, in order: the
// fields of `text` split at ' ', empty ones skipped (a line of pieces as
// spm_decode reads it).
template <typename Fn>
inline void ForEachNonSpaceRun(std::string_view text, Fn&& fn) {
  size_t begin = 0;  // Of the current run.
  auto at_space = [&](size_t space) {
    if (space > begin) fn(text.substr(begin, space - begin));
    begin = space + 1;
    return true;
  };
  ForEachSpace(text.data(), 0, text.size(), at_space);
  at_space(text.size());
}

}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_SPACE_SCAN_H_
