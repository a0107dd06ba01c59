// The segmentation models: normalized text in, (piece, id) pairs out.
//
// A Model splits already-normalized text into pieces that cover it exactly,
// in order. Four implementations, one per TrainerSpec::ModelType:
// unigram_model.h (Viterbi over piece scores), bpe_model.h (merges by
// score), char_model.h and word_model.h. Unknown characters come out as
// pieces with the unknown id; the processor turns them into byte pieces or
// merges runs of them.

#ifndef SPM_SRC_ENCODER_MODEL_H_
#define SPM_SRC_ENCODER_MODEL_H_

#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "common/build_once.h"
#include "encoder/char_adjacency.h"
#include "encoder/vocabulary.h"
#include "encoder/word_cache.h"
#include "encoder/word_splitter.h"
#include "sentencepiece_model.pb.h"

namespace sentencepiece {

// One piece of a segmentation. `piece` points into the normalized text.
struct EncodedPiece {
  std::string_view piece;
  int id;
};
using EncodeResult = std::vector<EncodedPiece>;

// out->push_back({piece, id}), without the temporary: push_back() of a
// braced EncodedPiece builds it on the stack and copies it back with loads
// wider than the stores just made (the id and the padding after it), a
// store-forwarding stall of ~15 cycles per piece in the encoders' loops.
inline void AppendPiece(EncodeResult* out, std::string_view piece, int id) {
  EncodedPiece& e = out->emplace_back();
  e.piece = piece;
  e.id = id;
}

class Model {
 public:
  virtual ~Model() = default;

  // Appends the segmentation of `normalized` to *out (cleared first).
  // Never fails: every byte sequence has a segmentation.
  virtual void Encode(std::string_view normalized, EncodeResult* out) const = 0;

  // A caller about to encode `bytes` bytes of text (a block of a file, a
  // batch) may say so: a model whose tables are built on first need builds
  // them now when that much text pays for them at once (kLargeInputBytes
  // or more). Only a hint.
  virtual void ExpectInput(size_t bytes) const { (void)bytes; }
  // Whether ExpectInput(bytes) would build tables now (milliseconds of
  // work, which a caller with several threads may run on one of them while
  // another starts encoding) rather than only take note of the size (which
  // belongs before the first text).
  virtual bool ExpectInputBuilds(size_t bytes) const {
    (void)bytes;
    return false;
  }
  // About `bytes` of text are coming: a model with a word cache sizes it
  // for them (WordCacheHolder::ExpectInput()). Cheap; only a hint.
  virtual void SizeCachesFor(size_t bytes) const { (void)bytes; }
  static constexpr size_t kLargeInputBytes = size_t{128} << 10;

  // Encode(), with the segmentation handed to `consume` in consecutive
  // parts (each in *buffer, cleared in between) rather than whole: the
  // segments of a long text (24 bytes each, a 10 MB line holding millions)
  // then never all exist at once. Models that segment word by word hand
  // over a part every kPartSegments or so; the default hands over
  // Encode()'s whole result.
  using SegmentSink = absl::FunctionRef<void(const EncodeResult&)>;
  static constexpr size_t kPartSegments = 4096;
  virtual void EncodeInParts(std::string_view normalized, EncodeResult* buffer,
                             SegmentSink consume) const {
    Encode(normalized, buffer);
    consume(*buffer);
  }

  const Vocabulary& vocab() const { return vocab_; }
  // Changing the vocabulary invalidates cached segmentations (new uid).
  Vocabulary* mutable_vocab() {
    uid_ = NewModelUid();
    return &vocab_;
  }
  // Identifies this model (and its current vocabulary) to the word caches.
  uint64_t uid() const { return uid_; }
  // Where text can be cut into independently segmented words. (A BPE
  // model builds it on first need: BpeModel::tables_ready().)
  const WordSplitter& splitter() const { return splitter_; }
  const ModelProto& proto() const { return proto_; }
  // Which characters no piece has side by side, built on first use (a
  // long word needs it; most texts never do); null for a vocabulary with
  // malformed pieces. Piece strings never change, so neither does this.
  const CharAdjacency* Adjacency() const {
    return adjacency_.Get([this] { return CharAdjacency::Build(vocab_); });
  }
  // Adjacency() for a caller about to segment `bytes` bytes that it would
  // cut with it: null (segment without cutting, exactly) until such texts
  // add up to kAdjacencyAfterBytes, and while another thread builds it.
  // The build costs ~10M instructions for a 30k-piece vocabulary, a
  // quarter to a third of a 50 KB run that has one long word or a few
  // runs of unspaced script; cutting saves a fraction of that per KB.
  const CharAdjacency* AdjacencyIfFree(size_t bytes) const {
    return adjacency_.TryGetOnceSpent([bytes] { return bytes; }, kAdjacencyAfterBytes,
                                      [this] { return CharAdjacency::Build(vocab_); });
  }
  static constexpr size_t kAdjacencyAfterBytes = size_t{64} << 10;

  // Self-test: does `actual` (pieces joined by " ") match `expected`? The
  // unigram model compares scores, since equal-score segmentations are
  // equally right.
  virtual bool VerifyOutputsEquivalent(std::string_view expected,
                                       std::string_view actual) const {
    return expected == actual;
  }

 protected:
  Model(const ModelProto& proto, Vocabulary vocab) : proto_(proto), vocab_(std::move(vocab)) {}

  const ModelProto& proto_;
  Vocabulary vocab_;
  uint64_t uid_ = NewModelUid();
  mutable WordSplitter splitter_;  // Mutable: see splitter().

 private:
  BuildOnce<CharAdjacency> adjacency_;
};

// A model that segments normalized text word by word (WordSplitter), so
// the segmentation can be handed over as the words go: implements Encode()
// and EncodeInParts() with one EncodeWords().
class WordByWordModel : public Model {
 public:
  void Encode(std::string_view normalized, EncodeResult* out) const final {
    EncodeWords(normalized, out, nullptr);
  }
  void EncodeInParts(std::string_view normalized, EncodeResult* buffer,
                     SegmentSink consume) const final {
    EncodeWords(normalized, buffer, &consume);
  }

 protected:
  using Model::Model;
  // Segments `normalized` into *out (cleared first), calling HandOver()
  // after each word and, with `consume`, (*consume)(*out) for what is left
  // at the end if anything is.
  virtual void EncodeWords(std::string_view normalized, EncodeResult* out,
                           const SegmentSink* consume) const = 0;
  // With `consume`: hands *out over and clears it once it holds a part.
  static void HandOver(EncodeResult* out, const SegmentSink* consume) {
    if (consume != nullptr && out->size() >= kPartSegments) {
      (*consume)(*out);
      out->clear();
    }
  }
  static void HandOverRest(EncodeResult* out, const SegmentSink* consume) {
    if (consume != nullptr && !out->empty()) (*consume)(*out);
  }
};

// Builds the model named by proto.trainer_spec().model_type(), with the
// vocabulary `pieces` (by default the proto's). `proto`, and the strings
// `pieces` view, must outlive the model.
absl::StatusOr<std::unique_ptr<Model>> CreateModel(const ModelProto& proto);
absl::StatusOr<std::unique_ptr<Model>> CreateModel(const ModelProto& proto, RawPieces pieces);

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_MODEL_H_
