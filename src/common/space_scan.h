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
inline bool ForEachSpace(const char* data, size_t begin, size_t end, Fn&& fn) {
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
