#include "encoder/processor.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/id_text.h"
#include "common/model_io.h"
#include "common/status_macros.h"
#include "encoder/fast_ids.h"

namespace sentencepiece {
namespace {

// Extra options in order on an encoding's outputs (ids, piece strings or
// tokens): `bos` and `eos` are what they add; unk(), what unk does.
template <typename T, typename Unk>
void ApplyExtraOptions(const std::vector<ExtraOption>& options, const T& bos, const T& eos,
                       std::vector<T>* outputs, Unk unk) {
  for (ExtraOption o : options) {
    switch (o) {
      case ExtraOption::kReverse:
        std::reverse(outputs->begin(), outputs->end());
        break;
      case ExtraOption::kBos:
        outputs->insert(outputs->begin(), bos);
        break;
      case ExtraOption::kEos:
        outputs->push_back(eos);
        break;
      case ExtraOption::kUnk:
        unk();
        break;
    }
  }
}

}  // namespace

Processor::Processor() = default;
Processor::~Processor() = default;

void Processor::ExpectInput(size_t bytes) const {
  model_->SizeCachesFor(bytes);
  for (const auto* fast : {&fast_ids_, &fast_id_text_, &fast_pieces_}) {
    if (*fast != nullptr) (*fast)->ExpectInput(bytes);
  }
}

absl::StatusOr<std::unique_ptr<Processor>> Processor::Create(std::unique_ptr<ModelProto> proto) {
  std::unique_ptr<Processor> p(new Processor());
  p->proto_ = std::move(proto);
  RawPieces pieces = PiecesOf(*p->proto_);
  return Finish(std::move(p), std::move(pieces));
}

absl::StatusOr<std::unique_ptr<Processor>> Processor::CreateFromBytes(std::string bytes,
                                                                      std::string_view source) {
  std::unique_ptr<Processor> p(new Processor());
  p->model_bytes_ = std::move(bytes);
  p->proto_ = std::make_unique<ModelProto>();
  RawPieces pieces;
  if (!SplitModelProto(p->model_bytes_, p->proto_.get(), &pieces)) {
    // Not the plain layout: parse in full (which also reports errors).
    ASSIGN_OR_RETURN(auto proto, ParseModelProto(p->model_bytes_, source));
    return Create(std::move(proto));
  }
  p->pieces_pending_ = true;
  return Finish(std::move(p), std::move(pieces));
}

const ModelProto& Processor::full_proto() const {
  std::call_once(full_proto_once_, [this] {
    if (!pieces_pending_) return;
    // The bytes parsed once already; a full parse cannot fail now.
    ModelProto full;
    full.ParseFromString(model_bytes_);
    proto_->mutable_pieces()->Swap(full.mutable_pieces());
    // Vocabulary restriction may have changed types since.
    for (int id = 0; id < proto_->pieces_size(); ++id) {
      if (proto_->pieces(id).type() != vocab().GetType(id)) {
        proto_->mutable_pieces(id)->set_type(vocab().GetType(id));
      }
    }
  });
  return *proto_;
}

absl::StatusOr<std::unique_ptr<Processor>> Processor::Finish(std::unique_ptr<Processor> p,
                                                             RawPieces pieces) {
  const ModelProto& mp = *p->proto_;
  ASSIGN_OR_RETURN(p->model_, CreateModel(mp, std::move(pieces)));
  ASSIGN_OR_RETURN(p->normalizer_, Normalizer::Create(mp.normalizer_spec(),
                                                      mp.trainer_spec().treat_whitespace_as_suffix()));
  // Only a denormalizer with rules is used.
  if (mp.has_denormalizer_spec() && !mp.denormalizer_spec().precompiled_charsmap().empty()) {
    ASSIGN_OR_RETURN(p->denormalizer_, Normalizer::Create(mp.denormalizer_spec(), false));
  }
  p->normalizer_->SetPrefixMatcher(&p->vocab().user_defined_matcher());
  p->fast_ids_ = std::make_unique<FastIdEncoder>(*p->normalizer_, *p->model_, mp,
                                                 FastIdEncoder::Output::kIds);
  p->fast_id_text_ = std::make_unique<FastIdEncoder>(*p->normalizer_, *p->model_, mp,
                                                     FastIdEncoder::Output::kIdText);
  p->fast_pieces_ = std::make_unique<FastIdEncoder>(*p->normalizer_, *p->model_, mp,
                                                    FastIdEncoder::Output::kPieces);
  RETURN_IF_ERROR(p->RunSelfTest());
  return p;
}

absl::Status Processor::RunSelfTest() const {
  EncodeOutput out;
  int failures = 0;
  std::string first_failure;
  for (const auto& sample : proto_->self_test_data().samples()) {
    RETURN_IF_ERROR(Encode(sample.input(), &out));
    std::string actual;
    for (const Token& t : out.tokens) {
      if (!actual.empty()) actual += ' ';
      actual.append(t.piece.data(), t.piece.size());
    }
    if (!model_->VerifyOutputsEquivalent(sample.expected(), actual)) {
      if (failures++ == 0) {
        first_failure = absl::StrCat("input \"", sample.input(), "\": expected \"",
                                     sample.expected(), "\", got \"", actual, "\"");
      }
    }
  }
  if (failures > 0) {
    return absl::InternalError(
        absl::StrCat("Self-test failures: ", failures, " of ",
                     proto_->self_test_data().samples_size(), " samples (", first_failure, ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ExtraOption>> Processor::ParseExtraOptions(
    std::string_view options) const {
  std::vector<ExtraOption> result;
  // Empty fields ("bos::eos") are skipped, as the reference does.
  for (std::string_view rest = options; !rest.empty();) {
    const size_t colon = rest.find(':');
    const std::string_view word = rest.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    if (word.empty()) continue;
    if (word == "bos" || word == "eos") {
      const std::string& piece = word == "bos" ? bos_piece() : eos_piece();
      if (vocab().IsUnknown(vocab().PieceToId(piece))) {
        return absl::InternalError(absl::StrCat("id for `", piece, "` is not defined."));
      }
      result.push_back(word == "bos" ? ExtraOption::kBos : ExtraOption::kEos);
    } else if (word == "reverse") {
      result.push_back(ExtraOption::kReverse);
    } else if (word == "unk" || word == "unk_piece") {
      result.push_back(ExtraOption::kUnk);
    } else {
      return absl::InternalError(absl::StrCat("option \"", ToAbsl(word), "\" is not available."));
    }
  }
  return result;
}

absl::Status Processor::Encode(std::string_view input, EncodeOutput* out) const {
  ExpectText(input);
  normalizer_->Normalize(input, &out->normalized, &out->norm_to_orig);
  model_->Encode(out->normalized, &out->segments);
  return BuildTokens(input, out->normalized, out->norm_to_orig, out->segments, &out->tokens);
}

absl::Status Processor::EncodeIds(std::string_view input, std::vector<int>* ids) const {
  ids->clear();
  ExpectText(input);
  // A long line's ids would otherwise grow the vector by doubling, each
  // time copying it into freshly paged-in memory. One id per byte is the
  // most a line gives unless normalization lengthens it (then the vector
  // still grows); memory is paged in only as ids are written.
  constexpr size_t kLongLine = 1 << 16;
  if (input.size() > kLongLine) ids->reserve(input.size());  // Never shrinks.
  if (!fast_ids_->Encode(input, ids) && !EncodeIdsOnly(input, ids)) {
    // An inconsistent segmentation: the full path reports the error.
    thread_local EncodeOutput out;
    RETURN_IF_ERROR(Encode(input, &out));
    ids->clear();
    for (const Token& t : out.tokens) ids->push_back(t.id);
    return absl::OkStatus();
  }
  if (encode_options_.empty()) return absl::OkStatus();
  // (unk changes piece strings only.)
  ApplyExtraOptions(encode_options_, vocab().PieceToId(bos_piece()),
                    vocab().PieceToId(eos_piece()), ids, [] {});
  return absl::OkStatus();
}

absl::Status Processor::EncodeIdText(std::string_view input, std::string* out) const {
  ExpectText(input);
  if (encode_options_.empty() && fast_id_text_->EncodeText(input, out)) return absl::OkStatus();
  thread_local std::vector<int> ids;
  RETURN_IF_ERROR(EncodeIds(input, &ids));
  IdText::Shared().Append(ids, out);
  return absl::OkStatus();
}

absl::Status Processor::EncodeIdTextLines(const std::string_view* lines, size_t n,
                                          std::string* out) const {
  return EncodeTextLines(*fast_id_text_, lines, n, out, &Processor::EncodeIdText);
}

absl::Status Processor::EncodePieceTextLines(const std::string_view* lines, size_t n,
                                             std::string* out) const {
  return EncodeTextLines(*fast_pieces_, lines, n, out, &Processor::EncodePieceText);
}

absl::Status Processor::EncodeTextLines(const FastIdEncoder& fast, const std::string_view* lines,
                                        size_t n, std::string* out, LineTextFn one_line) const {
  for (size_t i = 0; i < n; ++i) ExpectText(lines[i]);
  absl::Status status;
  auto refused = [&](size_t i) {
    status = (this->*one_line)(lines[i], out);
    return status.ok();
  };
  if (!encode_options_.empty()) {
    for (size_t i = 0; i < n && refused(i); ++i) {
    }
    return status;
  }
  // A line the fast path refuses takes the way of a single line (which
  // tries the fast path once more first: such lines are rare).
  fast.EncodeTextLines(lines, n, out, refused);
  return status;
}

absl::Status Processor::EncodeIdsLines(const std::string_view* lines, size_t n,
                                       std::vector<int>* ids, size_t* failed) const {
  for (size_t i = 0; i < n; ++i) {
    ExpectText(lines[i]);
    ids[i].clear();
  }
  absl::Status first_error;
  auto refused = [&](size_t i) {
    absl::Status s = EncodeIds(lines[i], &ids[i]);
    if (!s.ok()) {
      ids[i].clear();
      if (first_error.ok()) {
        first_error = std::move(s);
        *failed = i;
      }
    }
    return true;
  };
  if (!encode_options_.empty()) {
    for (size_t i = 0; i < n; ++i) refused(i);
  } else {
    fast_ids_->EncodeLines(lines, n, ids, refused);
  }
  return first_error;
}

bool Processor::PlainPieceText(std::string_view input, std::string* out) const {
  if (fast_pieces_->EncodeText(input, out)) return true;
  const size_t start = out->size();
  // BuildTokens()'s rules for piece strings: a normal piece's string is
  // its text; a run of unknown pieces is one piece, their texts together;
  // with byte fallback an unknown piece is a byte piece per byte.
  const bool byte_fallback = vocab().byte_fallback();
  bool prev_unknown = false;
  const bool covered = ForEachSegment(input, [&](const EncodedPiece& seg, PieceType type) {
    const bool unknown = type == ModelProto::SentencePiece::UNKNOWN;
    if (unknown && byte_fallback) {
      for (char c : seg.piece) {
        if (out->size() > start) out->push_back(' ');
        const std::string_view byte = ByteToPiece(static_cast<unsigned char>(c));
        out->append(byte.data(), byte.size());
      }
    } else {
      if (out->size() > start && !(unknown && prev_unknown)) out->push_back(' ');
      out->append(seg.piece.data(), seg.piece.size());
    }
    prev_unknown = unknown;
  });
  if (covered) {
    out->push_back('\n');
    return true;
  }
  out->resize(start);
  return false;
}

bool Processor::PlainPieceList(std::string_view input,
                               std::vector<std::string_view>* pieces) const {
  pieces->clear();
  // With whitespace escaped no piece holds a space: the printed pieces
  // split back exactly.
  if (!normalizer_->spec().escape_whitespaces()) return false;
  for (ExtraOption o : encode_options_) {
    if (o == ExtraOption::kUnk) return false;  // Needs to know the unknown pieces.
  }
  thread_local std::string text;
  text.clear();
  if (!PlainPieceText(input, &text)) return false;
  // "p1 p2 ... pn\n", or "\n" for no pieces.
  const std::string_view printed(text.data(), text.size() - 1);
  for (size_t begin = 0; begin < printed.size();) {
    size_t end = printed.find(' ', begin);
    if (end == std::string_view::npos) end = printed.size();
    pieces->push_back(printed.substr(begin, end - begin));
    begin = end + 1;
  }
  ApplyExtraOptions(encode_options_, std::string_view(bos_piece()),
                    std::string_view(eos_piece()), pieces, [] {});  // (No unk: refused above.)
  return true;
}

absl::Status Processor::PieceList(std::string_view input,
                                  std::vector<std::string_view>* pieces) const {
  if (PlainPieceList(input, pieces)) return absl::OkStatus();
  // The full path (which reports a segmentation that does not cover the
  // text).
  thread_local EncodeOutput full;
  RETURN_IF_ERROR(Encode(input, &full));
  pieces->clear();
  for (const Token& t : full.tokens) pieces->push_back(t.piece);
  return absl::OkStatus();
}

absl::Status Processor::EncodePieceText(std::string_view input, std::string* out) const {
  ExpectText(input);
  // Without options, printed as they come (no list, no split). (When that
  // fails, the segmentation does not cover the text: PieceList() tries it
  // once more on its way to the full path, which reports the error.)
  if (encode_options_.empty() && PlainPieceText(input, out)) return absl::OkStatus();
  thread_local std::vector<std::string_view> pieces;
  RETURN_IF_ERROR(PieceList(input, &pieces));
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (i > 0) out->push_back(' ');
    out->append(pieces[i].data(), pieces[i].size());
  }
  out->push_back('\n');
  return absl::OkStatus();
}

absl::Status Processor::EncodePieces(std::string_view input,
                                     std::vector<std::string>* pieces) const {
  thread_local std::vector<std::string_view> views;
  pieces->clear();
  ExpectText(input);
  RETURN_IF_ERROR(PieceList(input, &views));
  pieces->reserve(views.size());
  for (std::string_view v : views) pieces->emplace_back(v);
  return absl::OkStatus();
}

template <typename Fn>
bool Processor::ForEachSegment(std::string_view input, Fn&& fn) const {
  thread_local std::string normalized;
  thread_local EncodeResult segments;
  normalizer_->Normalize(input, &normalized);
  const Vocabulary& v = vocab();
  const int vocab_size = v.size();
  size_t consumed = 0;
  bool ok = true;
  model_->EncodeInParts(normalized, &segments, [&](const EncodeResult& part) {
    for (const EncodedPiece& seg : part) {
      if (seg.piece.empty()) ok = false;
      // One type lookup per segment (IsControl() and IsUnknown() each
      // check the range and load the type).
      const PieceType type = seg.id >= 0 && seg.id < vocab_size
                                 ? v.GetType(seg.id)
                                 : ModelProto::SentencePiece::NORMAL;
      if (type != ModelProto::SentencePiece::CONTROL) consumed += seg.piece.size();
      fn(seg, type);
    }
  });
  return ok && consumed == normalized.size();
}

bool Processor::EncodeIdsOnly(std::string_view input, std::vector<int>* ids) const {
  // BuildTokens()'s rules, for ids only, a part of the segmentation at a
  // time (a long line's segments are never all held).
  const Vocabulary& v = vocab();
  ids->clear();
  bool prev_unknown = false;
  return ForEachSegment(input, [&](const EncodedPiece& seg, PieceType type) {
    if (type == ModelProto::SentencePiece::CONTROL) {
      ids->push_back(seg.id);
      prev_unknown = false;
      return;
    }
    const bool unknown = type == ModelProto::SentencePiece::UNKNOWN;
    if (unknown && v.byte_fallback()) {
      for (char c : seg.piece) ids->push_back(v.ByteToId(static_cast<unsigned char>(c)));
    } else if (!(unknown && prev_unknown)) {  // Runs of unknown pieces are one piece.
      ids->push_back(seg.id);
    }
    prev_unknown = unknown;
  });
}

absl::Status Processor::BuildTokens(std::string_view input, std::string_view normalized,
                                    const std::vector<size_t>& n2o, const EncodeResult& segments,
                                    std::vector<Token>* out) const {
  const Vocabulary& v = vocab();
  std::vector<Token>& tokens = *out;
  tokens.clear();
  size_t consumed = 0;  // Bytes of the normalized text covered so far.
  bool prev_unknown = false;
  for (const EncodedPiece& seg : segments) {
    if (seg.piece.empty()) return absl::InternalError("Empty piece is not allowed.");
    if (v.IsControl(seg.id)) {
      // A control piece covers no text.
      const uint32_t at = n2o[consumed];
      tokens.push_back({seg.piece, seg.id, at, at, /*has_surface=*/false, true});
      prev_unknown = false;
      continue;
    }
    const size_t end = consumed + seg.piece.size();
    if (end >= n2o.size()) return absl::InternalError("piece runs past the normalized text");
    const uint32_t begin_orig = n2o[consumed];
    const uint32_t end_orig = n2o[end];
    if (begin_orig > end_orig || end_orig > input.size()) {
      return absl::InternalError("inconsistent normalization alignment");
    }
    const bool unknown = v.IsUnknown(seg.id);
    if (unknown && v.byte_fallback()) {
      // One piece per byte; only the last one carries the surface.
      for (size_t i = 0; i < seg.piece.size(); ++i) {
        const auto b = static_cast<unsigned char>(seg.piece[i]);
        const bool last = i + 1 == seg.piece.size();
        tokens.push_back({ByteToPiece(b), v.ByteToId(b), begin_orig,
                          last ? end_orig : begin_orig, last, true});
      }
    } else if (unknown && prev_unknown) {
      // Runs of unknown pieces become one piece.
      Token& prev = tokens.back();
      prev.piece = std::string_view(prev.piece.data(), prev.piece.size() + seg.piece.size());
      prev.end = end_orig;
    } else {
      tokens.push_back({seg.piece, seg.id, begin_orig, end_orig, true, true});
    }
    consumed = end;
    prev_unknown = unknown;
  }
  if (consumed != normalized.size()) {
    return absl::InternalError("all normalized characters are not consumed.");
  }
  ApplyEncodeOptions(out);
  return absl::OkStatus();
}

void Processor::ApplyEncodeOptions(std::vector<Token>* tokens) const {
  if (encode_options_.empty()) return;
  ApplyExtraOptions(encode_options_,
                    Token{bos_piece(), vocab().PieceToId(bos_piece()), 0, 0, false, false},
                    Token{eos_piece(), vocab().PieceToId(eos_piece()), 0, 0, false, false},
                    tokens, [this, tokens] {
                      for (Token& t : *tokens) {
                        if (vocab().IsUnknown(t.id)) t.piece = unk_piece();
                      }
                    });
}

}  // namespace sentencepiece
