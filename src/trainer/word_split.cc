#include "trainer/word_split.h"

#include <algorithm>

#include "common/utf8.h"

namespace sentencepiece {

std::vector<std::string_view> SplitIntoWordsForTraining(std::string_view text,
                                                        bool suffix, bool keep_runs) {
  std::vector<std::string_view> words;
  SplitIntoWordsForTraining(text, suffix, keep_runs, &words);
  return words;
}

void SplitIntoWordsForTraining(std::string_view text, bool suffix, bool keep_runs,
                               std::vector<std::string_view>* out) {
  std::vector<std::string_view>& words = *out;
  words.clear();
  const char* const begin = text.data();
  size_t word_start = 0;   // Start of the word being built.
  bool in_run = false;     // The previous character was `▁`.
  for (size_t pos = 0; pos < text.size();) {
    const size_t len = std::min(utf8::OneCharLen(text[pos]), text.size() - pos);
    const bool is_ws = text.substr(pos, len) == utf8::kSpaceSymbol;
    if (suffix) {
      // A word ends after `▁`, or (keeping runs) before the first non-`▁`
      // after a run.
      if (pos > word_start && ((in_run && !keep_runs) || (in_run && !is_ws && keep_runs))) {
        words.emplace_back(begin + word_start, pos - word_start);
        word_start = pos;
      }
      in_run = is_ws;
    } else {
      // A word starts at `▁` (only at the first of a run when keeping runs).
      if (pos > word_start && is_ws && !(in_run && keep_runs)) {
        words.emplace_back(begin + word_start, pos - word_start);
        word_start = pos;
      }
      in_run = is_ws;
    }
    pos += len;
  }
  if (word_start < text.size()) words.emplace_back(begin + word_start, text.size() - word_start);
}

}  // namespace sentencepiece
