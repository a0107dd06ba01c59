// Splitting normalized text into words at `▁` (U+2581), for training.
//
// Prefix mode (the default) starts a word at the start of the text and at
// each `▁`; suffix mode (treat_whitespace_as_suffix) ends a word after each
// `▁`. With allow_whitespace_only_pieces a run of `▁` stays together: in
// prefix mode it starts the next word, in suffix mode it ends the previous
// one.
//   prefix:        "▁a▁▁b" -> ["▁a", "▁", "▁b"]
//   prefix, runs:  "▁a▁▁b" -> ["▁a", "▁▁b"]
//   suffix:        "a▁▁b▁" -> ["a▁", "▁", "b▁"]
//   suffix, runs:  "a▁▁b▁" -> ["a▁▁", "b▁"]
// (The encoder's WORD model always uses prefix mode; see
// encoder/word_model.h.)

#ifndef SPM_SRC_TRAINER_WORD_SPLIT_H_
#define SPM_SRC_TRAINER_WORD_SPLIT_H_

#include <string_view>
#include <vector>

namespace sentencepiece {

// The words of `text`, as views into it; they concatenate to `text`.
std::vector<std::string_view> SplitIntoWordsForTraining(std::string_view text,
                                                        bool treat_whitespace_as_suffix,
                                                        bool allow_whitespace_only_pieces);
// The same into *words (replacing its contents; no allocation once it has
// grown).
void SplitIntoWordsForTraining(std::string_view text, bool treat_whitespace_as_suffix,
                               bool allow_whitespace_only_pieces,
                               std::vector<std::string_view>* words);

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_WORD_SPLIT_H_
