#include "trainer/spec_validation.h"

#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace sentencepiece {
namespace {

using Piece = ModelProto::SentencePiece;

template <typename T>
std::string Str(const T& v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

template <typename T, typename U>
absl::Status CheckRange(const char* name, T value, U lo, U hi) {
  if (value >= lo && value <= hi) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(name, " must be in [", Str(lo), ", ", Str(hi),
                                                 "] (got ", Str(value), ")."));
}

}  // namespace

std::string BytePiece(unsigned char byte) { return absl::StrFormat("<0x%02X>", byte); }

absl::Status VerifyTrainerSpec(const TrainerSpec& s) {
  if (s.vocab_size() <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("vocab_size must be greater than 0 (got ", s.vocab_size(), ")."));
  }
  if ((s.model_type() == TrainerSpec::UNIGRAM || s.model_type() == TrainerSpec::BPE) &&
      s.use_all_vocab()) {
    return absl::InvalidArgumentError("--use_all_vocab=true is valid for WORD/CHAR model.");
  }
  for (absl::Status st : {
           CheckRange("character_coverage", s.character_coverage(), 0.98, 1.0),
           CheckRange("max_sentencepiece_length", s.max_sentencepiece_length(), 1, 512),
           CheckRange("num_sub_iterations", s.num_sub_iterations(), 1, 10),
           CheckRange("num_threads", s.num_threads(), 1, 128),
           CheckRange("self_test_sample_size", s.self_test_sample_size(), 0, 1000),
           CheckRange("shrinking_factor", s.shrinking_factor(), 0.5, 0.95),
           CheckRange("max_sentence_length", s.max_sentence_length(), 10, 1 << 30),
       }) {
    if (!st.ok()) return st;
  }
  if (s.input_sentence_size() > 0 && s.input_sentence_size() <= 100) {
    return absl::InvalidArgumentError(absl::StrCat(
        "input_sentence_size must be 0 or greater than 100 (got ", s.input_sentence_size(), ")."));
  }
  for (const auto& [name, piece] : {std::pair{"unk_piece", &s.unk_piece()},
                                    std::pair{"bos_piece", &s.bos_piece()},
                                    std::pair{"eos_piece", &s.eos_piece()},
                                    std::pair{"pad_piece", &s.pad_piece()}}) {
    if (piece->empty()) return absl::InvalidArgumentError(absl::StrCat(name, " must not be empty."));
  }
  if (!s.input_format().empty() && s.input_format() != "text" && s.input_format() != "tsv") {
    return absl::InvalidArgumentError(absl::StrCat(
        "input_format \"", s.input_format(), "\": Supported formats are 'text' and 'tsv'."));
  }
  return absl::OkStatus();
}

absl::StatusOr<MetaPieces> LayoutMetaPieces(const TrainerSpec& spec) {
  MetaPieces meta;
  bool has_unk = false;
  auto place = [&](const char* what, int id, const std::string& piece) -> absl::Status {
    if (id < 0) return absl::OkStatus();
    if (id >= spec.vocab_size()) {
      return absl::InvalidArgumentError(absl::StrCat(what, " ", id, " (", piece,
                                                     ") must be smaller than vocab_size (",
                                                     spec.vocab_size(), ")."));
    }
    if (auto it = meta.find(id); it != meta.end()) {
      return absl::InvalidArgumentError(absl::StrCat(what, " ", id, " (", piece,
                                                     ") is already used by ", it->second.first,
                                                     "."));
    }
    const bool is_unk = piece == spec.unk_piece();
    if (is_unk && has_unk) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " ", id, ": ", piece, " is already defined as the unknown piece."));
    }
    has_unk |= is_unk;
    meta[id] = {piece, is_unk ? Piece::UNKNOWN : Piece::CONTROL};
    return absl::OkStatus();
  };
  for (absl::Status st : {place("unk_id", spec.unk_id(), spec.unk_piece()),
                          place("bos_id", spec.bos_id(), spec.bos_piece()),
                          place("eos_id", spec.eos_id(), spec.eos_piece()),
                          place("pad_id", spec.pad_id(), spec.pad_piece())}) {
    if (!st.ok()) return st;
  }
  if (!has_unk) {
    return absl::InvalidArgumentError(absl::StrCat(spec.unk_piece(), " must be defined."));
  }

  std::set<std::string> seen;
  int next_id = 0;
  auto add_symbol = [&](const std::string& w, Piece::Type type) -> absl::Status {
    if (!seen.insert(w).second) {
      return absl::InvalidArgumentError(absl::StrCat(w, " is already defined."));
    }
    if (w == spec.unk_piece()) {
      return absl::InvalidArgumentError(
          absl::StrCat(spec.unk_piece(),
                       " must not be defined with --control_symbols and --user_defined_symbols."));
    }
    if (w == spec.bos_piece() && spec.bos_id() >= 0) {
      meta[spec.bos_id()].second = type;
    } else if (w == spec.eos_piece() && spec.eos_id() >= 0) {
      meta[spec.eos_id()].second = type;
    } else if (w == spec.pad_piece() && spec.pad_id() >= 0) {
      meta[spec.pad_id()].second = type;
    } else {
      while (meta.count(next_id)) ++next_id;
      meta[next_id] = {w, type};
    }
    return absl::OkStatus();
  };
  for (const std::string& w : spec.control_symbols()) {
    if (absl::Status st = add_symbol(w, Piece::CONTROL); !st.ok()) return st;
  }
  for (const std::string& w : spec.user_defined_symbols()) {
    if (absl::Status st = add_symbol(w, Piece::USER_DEFINED); !st.ok()) return st;
  }
  if (spec.byte_fallback()) {
    for (int b = 0; b < 256; ++b) {
      if (absl::Status st = add_symbol(BytePiece(b), Piece::BYTE); !st.ok()) return st;
    }
  }
  return meta;
}

}  // namespace sentencepiece
