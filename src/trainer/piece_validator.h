// Which strings may become pieces (SentencePiece 0.1.97's
// TrainerInterface::IsValidSentencePiece), shared by the BPE and Unigram
// trainers.
//
// A candidate piece, as code points, is valid when:
//   * it has 1 to max_sentencepiece_length code points;
//   * it contains no U+2585 (the unknown-character mark), NUL, TAB (a
//     boundary mark), space, or invalid code point;
//   * `▁` (U+2581) sits where the whitespace mode allows it (skipped for
//     all-`▁` pieces when allow_whitespace_only_pieces):
//       prefix mode: with split_by_whitespace only at position 0 ("▁ab" ok,
//         "a▁b" not); without, anywhere but at the end of a longer piece;
//       suffix mode (treat_whitespace_as_suffix): with split_by_whitespace
//         only at the end; without, anywhere but at the start of a longer
//         piece;
//   * with split_digits, a digit (0-9, fullwidth ０-９) only as a 1-char piece;
//   * with split_by_unicode_script, all characters share one script, where
//     Hiragana, Katakana and U+30FC count as Han, Inherited characters take
//     the script of the character before, and (with split_by_number=false)
//     digits match any script. `▁` does not take part.
// Examples (defaults): "▁the" ok, "the▁" no, "a," no (Latin + Common),
// "F1" no, "日本語です" ok.

#ifndef SPM_SRC_TRAINER_PIECE_VALIDATOR_H_
#define SPM_SRC_TRAINER_PIECE_VALIDATOR_H_

#include <string_view>

#include "sentencepiece_model.pb.h"

namespace sentencepiece {

class PieceValidator {
 public:
  explicit PieceValidator(const TrainerSpec& spec);

  // True if `piece` (code points) may be a piece. Thread-safe.
  bool IsValid(std::u32string_view piece) const;

 private:
  int max_length_;
  bool split_by_unicode_script_;
  bool split_by_number_;
  bool split_by_whitespace_;
  bool split_digits_;
  bool treat_whitespace_as_suffix_;
  bool allow_whitespace_only_pieces_;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_PIECE_VALIDATOR_H_
