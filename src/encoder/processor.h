// The encode/decode pipeline behind SentencePieceProcessor:
//
//   text -> Normalizer -> Model -> tokens (piece, id, offsets in the text)
//   pieces/ids -> Decoder -> text
//
// It owns the model proto and everything built from it, and adds what the
// models leave to it: the byte fallback (an unknown piece becomes one
// `<0xXX>` piece per byte), merging runs of unknown pieces, offsets into the
// original text, the extra options (bos, eos, reverse, unk) and the
// self-test samples run at load time.
//
// Thread safety: after Create(), all const methods may be called from any
// number of threads at once. Setting options is not synchronized with
// encoding (as in the reference): set them before sharing the processor.

#ifndef SPM_SRC_ENCODER_PROCESSOR_H_
#define SPM_SRC_ENCODER_PROCESSOR_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "common/build_once.h"
#include "encoder/model.h"
#include "encoder/piece_table.h"
#include "encoder/short_key_index.h"
#include "normalizer/normalizer.h"
#include "sentencepiece_model.pb.h"

namespace sentencepiece {

enum class ExtraOption { kReverse, kBos, kEos, kUnk };

// One output piece of Encode().
struct Token {
  std::string_view piece;  // Into the normalized text, the vocabulary or the proto.
  int id = 0;
  uint32_t begin = 0;  // Byte span in the input text ("surface").
  uint32_t end = 0;
  // The reference leaves fields unset in some cases; the proto output keeps
  // that distinction. Control pieces and all but the last byte piece of a
  // character have offsets but no surface; bos/eos added by extra options
  // have neither.
  bool has_surface = true;
  bool has_offsets = true;
};

struct EncodeOutput {
  std::string normalized;
  std::vector<size_t> norm_to_orig;
  std::vector<Token> tokens;
  EncodeResult segments;  // Scratch space: the model's raw output.
};

// Several segmentations of one input (n-best lists, scored samples).
struct NBestOutput {
  std::string normalized;
  std::vector<size_t> norm_to_orig;
  std::vector<std::vector<Token>> results;
  std::vector<float> scores;
};

// One piece of Decode(): `piece` as given (or as an extra option changed
// it), and the span of its decoded text in `DecodeOutput::surfaces`.
struct DecodedPiece {
  std::string_view piece;
  int id = 0;
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct DecodeOutput {
  std::vector<DecodedPiece> pieces;
  std::string surfaces;  // The concatenated piece surfaces.
  std::string text;      // `surfaces` after the denormalizer, if any.
};

// What DecodeIdsToText() needs per id, built from the vocabulary.
struct DecodeTable {
  enum Kind : uint8_t {
    kPlain,       // Its surface (control pieces: empty; unknown: the unk surface).
    kLeadingWs,   // Its surface; at the start of the text, without its first byte (" ").
    kByte,        // A byte piece; `byte` is its value.
  };
  std::string surfaces;         // Every id's surface, concatenated.
  std::vector<uint32_t> begin;  // Surface of id i: [begin[i], begin[i + 1]).
  std::vector<Kind> kind;
  std::vector<uint8_t> byte;
  // Each id's surface again when it has at most 15 bytes, in 16 bytes with
  // its length last, so that past the text's start it is copied with one
  // 16-byte move. Length kLongSurface: the general way (byte pieces,
  // longer surfaces).
  struct Short {
    char bytes[15];
    uint8_t length;
  };
  static constexpr uint8_t kLongSurface = 0xFF;
  std::vector<Short> shorts;
};

// What decoding pieces needs beside the DecodeTable: piece string -> the
// id Vocabulary::PieceToId() gives it (a string missing here decodes to
// itself); the strings of up to ShortKeyIndex::kMaxKeyBytes bytes in
// `short_ids`, the longer ones in `long_ids`.
struct PieceIdIndex {
  ShortKeyIndex short_ids;
  PieceTable long_ids;
  size_t max_piece_bytes = 0;  // No string longer than this is a piece.
  // The id of `piece`, or -1. `pieces`: the vocabulary's.
  int Find(std::string_view piece, const std::vector<std::string_view>& pieces) const {
    if (piece.empty()) return -1;  // (No piece is empty.)
    if (piece.size() <= ShortKeyIndex::kMaxKeyBytes) return short_ids.Find(piece);
    // (Under most vocabularies, a run of text no piece covers, such as
    // Chinese under ALBERT, is longer than any piece: no lookup.)
    return piece.size() <= max_piece_bytes ? long_ids.Find(piece, pieces) : -1;
  }
};

class Processor {
 public:
  // Builds everything from `proto` and runs its self-test samples.
  static absl::StatusOr<std::unique_ptr<Processor>> Create(std::unique_ptr<ModelProto> proto);
  // The same from serialized ModelProto bytes (a .model file), the fast
  // way: the pieces are read in place from `bytes` (kept), and the
  // ModelProto's own pieces are only filled in when full_proto() is first
  // called. `source` names the bytes in errors.
  static absl::StatusOr<std::unique_ptr<Processor>> CreateFromBytes(std::string bytes,
                                                                    std::string_view source);

  // Encodes `input` with the current encode extra options.
  absl::Status Encode(std::string_view input, EncodeOutput* out) const;

  // The ids of Encode(), faster (no offsets; common lines skip
  // normalization and segmentation, see fast_ids.h).
  absl::Status EncodeIds(std::string_view input, std::vector<int>* ids) const;
  // EncodeIds() appended to *out as text, the way spm_encode prints ids:
  // joined by spaces, then a newline. Faster still (common words keep
  // their ids' text).
  absl::Status EncodeIdText(std::string_view input, std::string* out) const;
  // The pieces of Encode() appended to *out the way spm_encode prints them
  // (joined by spaces, then a newline), without the offsets: normalization
  // keeps no alignment and no tokens are built.
  absl::Status EncodePieceText(std::string_view input, std::string* out) const;
  // EncodeIdText() and EncodePieceText() of lines[0, n) in turn (spm_encode
  // hands over a block of lines at a time): the same output, faster (see
  // FastIdEncoder::EncodeTextLines()). Stops at the first error.
  absl::Status EncodeIdTextLines(const std::string_view* lines, size_t n, std::string* out) const;
  absl::Status EncodePieceTextLines(const std::string_view* lines, size_t n,
                                    std::string* out) const;
  // About `bytes` of text are coming (a tool's input files, a batch): the
  // word caches of the fast-path encoders and of the model are sized for
  // them, from the start if made on first use after this
  // (Model::SizeCachesFor()). Model::ExpectInput(), which may build the
  // model's tables, is left to the caller, who may run it on another
  // thread. Only a hint.
  void ExpectInput(size_t bytes) const;
  // EncodeIds() of lines[0, n), line i's ids into ids[i], faster the same
  // way (the batch API). A line that fails gets no ids; the others are
  // encoded all the same. Returns the first failure, its line in *failed.
  absl::Status EncodeIdsLines(const std::string_view* lines, size_t n, std::vector<int>* ids,
                              size_t* failed) const;
  // The pieces of Encode() as strings (PieceList()).
  absl::Status EncodePieces(std::string_view input, std::vector<std::string>* pieces) const;

  // Subword regularization (unigram; BPE for SampleEncode). Errors name the
  // call when the model type does not support it.
  //   NBestEncode: the nbest_size best segmentations, best first.
  //   SampleEncode: nbest_size > 512 is an error; nbest_size < 0 (or a BPE
  //     model) samples from the whole lattice (alpha = inverse temperature;
  //     for BPE the dropout probability); 0 or 1 is Encode(); > 1 draws one
  //     of the nbest_size best with weights exp(alpha * score).
  //   SampleEncodeAndScore: see UnigramModel::SampleEncodeAndScore;
  //     num_samples outside [1, 1024] is an error (InvalidArgument).
  absl::Status NBestEncode(std::string_view input, int nbest_size, NBestOutput* out) const;
  absl::Status SampleEncode(std::string_view input, int nbest_size, float alpha,
                            EncodeOutput* out) const;
  absl::Status SampleEncodeAndScore(std::string_view input, int num_samples, float alpha,
                                    bool wor, bool include_best, NBestOutput* out) const;
  absl::StatusOr<float> CalculateEntropy(std::string_view input, float alpha) const;

  // Vocabulary restriction (unigram and BPE only): pieces not in `valid`
  // become UNUSED (single characters, and control, unknown and user-defined
  // pieces, are kept). Reset turns every UNUSED piece back to NORMAL.
  // LoadVocabulary reads "piece[<TAB>count]" lines and keeps pieces with
  // count >= threshold. Not thread-safe against concurrent encoding.
  absl::Status SetVocabulary(const std::vector<std::string_view>& valid);
  absl::Status ResetVocabulary();
  absl::Status LoadVocabulary(const std::string& path, int threshold);

  // Decodes pieces, or ids (OutOfRange "Invalid id: N" for a bad id), with
  // the current decode extra options.
  absl::Status Decode(const std::vector<std::string_view>& pieces, DecodeOutput* out) const;
  absl::Status DecodeIds(const std::vector<int>& ids, DecodeOutput* out) const;
  // DecodeIds() for the text alone (DecodeOutput::text), much faster: the
  // surface of every id is prepared once, on first use. Same errors.
  absl::Status DecodeIdsToText(const std::vector<int>& ids, std::string* text) const;
  // Decode() for the text alone, the same way.
  absl::Status DecodePiecesToText(const std::vector<std::string_view>& pieces,
                                  std::string* text) const;
  // DecodePiecesToText() of the pieces of `line` (the runs between its
  // spaces, as spm_decode reads a line), without a vector of them.
  absl::Status DecodePieceLineToText(std::string_view line, std::string* text) const;

  // Parses "bos:eos:reverse:unk" ("unk_piece" = "unk"). Errors for an
  // unknown word, and for bos/eos when the model has no such piece.
  absl::StatusOr<std::vector<ExtraOption>> ParseExtraOptions(std::string_view options) const;
  void set_encode_options(std::vector<ExtraOption> o) { encode_options_ = std::move(o); }
  void set_decode_options(std::vector<ExtraOption> o) { decode_options_ = std::move(o); }

  // The model proto; its `pieces` may be empty (see CreateFromBytes): use
  // vocab() for pieces, or full_proto().
  const ModelProto& proto() const { return *proto_; }
  // The model proto with its pieces (parsed on first use; thread-safe).
  const ModelProto& full_proto() const;
  const Vocabulary& vocab() const { return model_->vocab(); }
  const Model& model() const { return *model_; }
  const Normalizer& normalizer() const { return *normalizer_; }

  // The strings the extra options and the decoder use.
  const std::string& bos_piece() const { return proto_->trainer_spec().bos_piece(); }
  const std::string& eos_piece() const { return proto_->trainer_spec().eos_piece(); }
  const std::string& unk_piece() const { return proto_->trainer_spec().unk_piece(); }
  const std::string& pad_piece() const { return proto_->trainer_spec().pad_piece(); }

 private:
  Processor();
 public:
  ~Processor();

 private:
  absl::Status RunSelfTest() const;
  // A long text lets the model build its tables up front
  // (Model::ExpectInput()).
  void ExpectText(std::string_view input) const {
    if (input.size() >= Model::kLargeInputBytes) {
      ExpectInput(input.size());
      model_->ExpectInput(input.size());
    }
  }
  // EncodeIds() for lines the fast id path declines: normalization without
  // offsets, then BuildTokens()'s id rules without tokens. False (with *ids
  // unspecified) if the segmentation does not cover the text, which the
  // full path then reports.
  bool EncodeIdsOnly(std::string_view input, std::vector<int>* ids) const;
  // The pieces of `input` before extra options appended to *out as
  // spm_encode prints them (raw-word piece cache, else normalization
  // without offsets); false, with *out as it was, when the segmentation
  // does not cover the text (the full path then reports it).
  bool PlainPieceText(std::string_view input, std::string* out) const;
  // EncodeIdTextLines() or EncodePieceTextLines(): `fast`'s
  // EncodeTextLines(), one_line() for the lines it refuses (all of them
  // under extra options).
  using LineTextFn = absl::Status (Processor::*)(std::string_view, std::string*) const;
  absl::Status EncodeTextLines(const class FastIdEncoder& fast, const std::string_view* lines,
                               size_t n, std::string* out, LineTextFn one_line) const;
  // The pieces of Encode() as views (into a thread-local buffer and the
  // proto's bos/eos strings), from PlainPieceText() split at its spaces,
  // extra options applied; false when that does not give them exactly:
  // whitespace not escaped (a piece may hold a space), the unk option
  // (which needs the pieces' ids), or PlainPieceText() false.
  bool PlainPieceList(std::string_view input, std::vector<std::string_view>* pieces) const;
  // The pieces of Encode() as views: PlainPieceList()'s when it gives
  // them, else the full path's tokens' (valid until this thread's next
  // call).
  absl::Status PieceList(std::string_view input, std::vector<std::string_view>* pieces) const;
  // Normalizes `input` without offsets and calls fn(segment, its type) for
  // each segment of it, a part of the segmentation at a time (a long line's
  // segments are never all held); false if the segments do not cover the
  // normalized text.
  template <typename Fn>
  bool ForEachSegment(std::string_view input, Fn&& fn) const;
  // Turns the model's segments into tokens with offsets, then applies the
  // encode options.
  absl::Status BuildTokens(std::string_view input, std::string_view normalized,
                           const std::vector<size_t>& norm_to_orig, const EncodeResult& segments,
                           std::vector<Token>* tokens) const;
  void ApplyEncodeOptions(std::vector<Token>* tokens) const;
  // The model as a unigram or BPE model, or nullptr.
  const class UnigramModel* unigram() const;
  const class BpeModel* bpe() const;

  // Builds the rest once proto_ is set; `pieces` view proto_ or model_bytes_.
  static absl::StatusOr<std::unique_ptr<Processor>> Finish(std::unique_ptr<Processor> p,
                                                           RawPieces pieces);

  std::unique_ptr<ModelProto> proto_;
  // With CreateFromBytes: the model bytes, and whether proto_ still lacks
  // the pieces (filled in by full_proto()).
  std::string model_bytes_;
  bool pieces_pending_ = false;
  mutable std::once_flag full_proto_once_;
  std::unique_ptr<Model> model_;
  std::unique_ptr<Normalizer> normalizer_;
  std::unique_ptr<Normalizer> denormalizer_;
  // The raw-word shortcuts (fast_ids.h), one per output, each with its own
  // cache holding only what it hands out, filled only when used: ids
  // (EncodeIds()), ids' text (EncodeIdText()) and pieces' text
  // (EncodePieceText()).
  std::unique_ptr<class FastIdEncoder> fast_ids_;
  std::unique_ptr<class FastIdEncoder> fast_id_text_;
  std::unique_ptr<class FastIdEncoder> fast_pieces_;
  // The text of ids (see DecodeIdsToText(); checked, no decode options)
  // into *text; an id < 0 stands for (*pieces)[~id], a string that decodes
  // to itself.
  void TextFromIds(const std::vector<int>& ids, const std::vector<std::string_view>* pieces,
                   std::string* text) const;
  // The decode tables, built on first use (see decoder.cc).
  const DecodeTable& GetDecodeTable() const;
  const PieceIdIndex& GetPieceIdIndex() const;
  BuildOnce<const DecodeTable> decode_table_;
  BuildOnce<const PieceIdIndex> piece_id_index_;
  std::vector<ExtraOption> encode_options_;
  std::vector<ExtraOption> decode_options_;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_PROCESSOR_H_
