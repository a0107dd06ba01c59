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
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
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

  const Vocabulary& vocab() const { return vocab_; }
  // Changing the vocabulary invalidates cached segmentations (new uid).
  Vocabulary* mutable_vocab() {
    uid_ = NewModelUid();
    return &vocab_;
  }
  // Identifies this model (and its current vocabulary) to the word caches.
  uint64_t uid() const { return uid_; }
  // Where text can be cut into independently segmented words.
  const WordSplitter& splitter() const { return splitter_; }
  const ModelProto& proto() const { return proto_; }

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
  WordSplitter splitter_;
};

// Builds the model named by proto.trainer_spec().model_type(), with the
// vocabulary `pieces` (by default the proto's). `proto`, and the strings
// `pieces` view, must outlive the model.
absl::StatusOr<std::unique_ptr<Model>> CreateModel(const ModelProto& proto);
absl::StatusOr<std::unique_ptr<Model>> CreateModel(const ModelProto& proto, RawPieces pieces);

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_MODEL_H_
