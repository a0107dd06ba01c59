// sentencepiece::SentencePieceProcessor: load a model, encode text to pieces
// or ids, decode them back.
//
// Usage:
//
//   #include "sentencepiece_processor.h"
//
//   sentencepiece::SentencePieceProcessor sp;
//   const auto status = sp.Load("llama2.model");
//   if (!status.ok()) { std::cerr << status.ToString() << "\n"; return 1; }
//
//   std::vector<int> ids = sp.EncodeAsIds("Hello world");
//   std::vector<std::string> pieces = sp.EncodeAsPieces("Hello world");
//   std::string text = sp.DecodeIds(ids);
//
//   sentencepiece::SentencePieceText spt;  // pieces with byte offsets
//   sp.Encode("Hello world", &spt);
//   for (const auto& p : spt.pieces()) {
//     // p.piece(), p.id(), p.surface(), p.begin(), p.end()
//   }
//
// The class, method names and signatures are those of SentencePiece 0.1.97
// (with std::string_view), so code written against it compiles unchanged,
// and every output is byte-identical to the reference's.
//
// Errors: methods returning util::Status never throw or abort. The
// value-returning forms (EncodeAsIds, DecodeIds, ...) return an empty result
// on error. Before a successful Load(), every method fails (or returns a
// default value).
//
// Thread safety: once loaded, all const methods may be called concurrently
// from any number of threads. Load*() and Set*ExtraOptions() must not run
// concurrently with anything else on the same object.

#ifndef SPM_SRC_SENTENCEPIECE_PROCESSOR_H_
#define SPM_SRC_SENTENCEPIECE_PROCESSOR_H_

#include <memory>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "sentencepiece_status.h"

namespace sentencepiece {

class ModelProto;
class NBestSentencePieceText;
class SentencePieceText;
class Processor;

namespace util {
using bytes = std::string;
}  // namespace util

class SentencePieceProcessor {
 public:
  SentencePieceProcessor();
  virtual ~SentencePieceProcessor();

  // ---------------------------------------------------------------- loading
  // Loads a .model file. Errors: NotFound (missing file), InvalidArgument
  // (empty path, not a model, truncated), Internal (a model that fails the
  // reference's checks: duplicate piece, no unknown piece, byte pieces
  // without byte_fallback, broken normalization rules, failed self-test).
  // On error the processor is left unloaded.
  virtual util::Status Load(std::string_view filename);
  // Loads, or prints the error and aborts the program.
  virtual void LoadOrDie(std::string_view filename);
  // Loads from a proto (copied) or takes ownership of one.
  virtual util::Status Load(const ModelProto& model_proto);
  virtual util::Status Load(std::unique_ptr<ModelProto> model_proto);
  // Loads from the bytes of a .model file.
  virtual util::Status LoadFromSerializedProto(std::string_view serialized);
  // OK once a model is loaded.
  virtual util::Status status() const;

  // ---------------------------------------------------------------- options
  // ':'-separated options applied to every result, in order: "bos" (prepend
  // <s>), "eos" (append </s>), "reverse", "unk" (print unknown pieces as the
  // unknown piece, e.g. <unk>, instead of their text). Errors: an unknown
  // option; bos/eos when the model has no such piece.
  virtual util::Status SetEncodeExtraOptions(std::string_view extra_option);
  virtual util::Status SetDecodeExtraOptions(std::string_view extra_option);

  // ---------------------------------------------------------------- encoding
  // Encodes `input` (any bytes: malformed UTF-8 is encoded as U+FFFD, one
  // byte at a time). Runs of unknown characters come out as one piece.
  virtual util::Status Encode(std::string_view input, std::vector<std::string>* pieces) const;
  virtual util::Status Encode(std::string_view input, std::vector<int>* ids) const;
  // Fills pieces with piece, id, surface (the covered part of `input`) and
  // begin/end (byte offsets of the surface in `input`), and text = input.
  virtual util::Status Encode(std::string_view input, SentencePieceText* spt) const;

  virtual std::vector<std::string> EncodeAsPieces(std::string_view input) const;
  virtual std::vector<int> EncodeAsIds(std::string_view input) const;
  // The SentencePieceText of Encode(), serialized.
  virtual util::bytes EncodeAsSerializedProto(std::string_view input) const;

  // ---------------------------------------------------------------- subword regularization
  // Kudo 2018 (unigram) and BPE-dropout (Provilkov et al. 2019). Random
  // draws come from a per-thread generator; see SetRandomGeneratorSeed().
  //
  // NBestEncode: the `nbest_size` best segmentations, best first (unigram
  // only; nbest_size is clamped to [1, 1024]).
  virtual util::Status NBestEncode(std::string_view input, int nbest_size,
                                   std::vector<std::vector<std::string>>* pieces) const;
  virtual util::Status NBestEncode(std::string_view input, int nbest_size,
                                   std::vector<std::vector<int>>* ids) const;
  virtual util::Status NBestEncode(std::string_view input, int nbest_size,
                                   NBestSentencePieceText* nbest_spt) const;
  // SampleEncode: one segmentation drawn at random. Unigram: nbest_size < 0
  // samples from all segmentations with inverse temperature `alpha`;
  // nbest_size 0 or 1 is Encode(); nbest_size > 1 draws among the
  // nbest_size best. BPE: `alpha` is the dropout probability. nbest_size >
  // 512 is an error.
  virtual util::Status SampleEncode(std::string_view input, int nbest_size, float alpha,
                                    std::vector<std::string>* pieces) const;
  virtual util::Status SampleEncode(std::string_view input, int nbest_size, float alpha,
                                    std::vector<int>* ids) const;
  virtual util::Status SampleEncode(std::string_view input, int nbest_size, float alpha,
                                    SentencePieceText* spt) const;
  // SampleEncodeAndScore (unigram only): `num_samples` segmentations with
  // their log-probabilities; with `wor`, drawn without replacement and
  // scored by log inclusion probability; `include_best` (needs `wor`) puts
  // the best segmentation first with score 0.
  virtual util::Status SampleEncodeAndScore(
      std::string_view input, int num_samples, float alpha, bool wor, bool include_best,
      std::vector<std::pair<std::vector<std::string>, float>>* pieces) const;
  virtual util::Status SampleEncodeAndScore(
      std::string_view input, int num_samples, float alpha, bool wor, bool include_best,
      std::vector<std::pair<std::vector<int>, float>>* ids) const;
  virtual util::Status SampleEncodeAndScore(std::string_view input, int num_samples, float alpha,
                                            bool wor, bool include_best,
                                            NBestSentencePieceText* samples_spt) const;
  // Entropy of the segmentation distribution (unigram only).
  virtual util::Status CalculateEntropy(std::string_view input, float alpha,
                                        float* entropy) const;

  virtual std::vector<std::vector<std::string>> NBestEncodeAsPieces(std::string_view input,
                                                                    int nbest_size) const;
  virtual std::vector<std::vector<int>> NBestEncodeAsIds(std::string_view input,
                                                         int nbest_size) const;
  virtual std::vector<std::string> SampleEncodeAsPieces(std::string_view input, int nbest_size,
                                                        float alpha) const;
  virtual std::vector<int> SampleEncodeAsIds(std::string_view input, int nbest_size,
                                             float alpha) const;
  virtual std::vector<std::pair<std::vector<std::string>, float>> SampleEncodeAndScoreAsPieces(
      std::string_view input, int num_samples, float alpha, bool wor, bool include_best) const;
  virtual std::vector<std::pair<std::vector<int>, float>> SampleEncodeAndScoreAsIds(
      std::string_view input, int num_samples, float alpha, bool wor, bool include_best) const;
  virtual float CalculateEntropy(std::string_view input, float alpha) const;
  virtual util::bytes NBestEncodeAsSerializedProto(std::string_view input, int nbest_size) const;
  virtual util::bytes SampleEncodeAsSerializedProto(std::string_view input, int nbest_size,
                                                    float alpha) const;
  virtual util::bytes SampleEncodeAndScoreAsSerializedProto(std::string_view input,
                                                            int num_samples, float alpha,
                                                            bool wor, bool include_best) const;

  // ---------------------------------------------------------------- vocabulary restriction
  // Only pieces in `valid_vocab` (and single characters, control, unknown
  // and user-defined pieces) may be emitted; others become UNUSED (unigram
  // and BPE models only). ResetVocabulary() lifts the restriction (every
  // UNUSED piece becomes NORMAL). LoadVocabulary() reads "piece[<TAB>count]"
  // lines and keeps pieces with count >= threshold. Not thread-safe.
  virtual util::Status SetVocabulary(const std::vector<std::string_view>& valid_vocab);
  virtual util::Status ResetVocabulary();
  virtual util::Status LoadVocabulary(std::string_view filename, int threshold);

  // ---------------------------------------------------------------- decoding
  // Decodes pieces or ids into text. Unknown ids: OutOfRange "Invalid id: N".
  virtual util::Status Decode(const std::vector<std::string>& pieces,
                              std::string* detokenized) const;
  virtual util::Status Decode(const std::vector<std::string_view>& pieces,
                              std::string* detokenized) const;
  virtual util::Status Decode(const std::vector<int>& ids, std::string* detokenized) const;
  // As above, with each piece's surface and its offsets in the text.
  virtual util::Status Decode(const std::vector<std::string>& pieces,
                              SentencePieceText* spt) const;
  virtual util::Status Decode(const std::vector<std::string_view>& pieces,
                              SentencePieceText* spt) const;
  virtual util::Status Decode(const std::vector<int>& ids, SentencePieceText* spt) const;

  virtual std::string DecodePieces(const std::vector<std::string>& pieces) const;
  virtual std::string DecodePieces(const std::vector<std::string_view>& pieces) const;
  virtual std::string DecodeIds(const std::vector<int>& ids) const;
  virtual util::bytes DecodePiecesAsSerializedProto(const std::vector<std::string>& pieces) const;
  virtual util::bytes DecodePiecesAsSerializedProto(
      const std::vector<std::string_view>& pieces) const;
  virtual util::bytes DecodeIdsAsSerializedProto(const std::vector<int>& ids) const;

  // ---------------------------------------------------------------- vocabulary
  // Number of pieces (ids are 0 .. GetPieceSize() - 1).
  virtual int GetPieceSize() const;
  // Id of `piece`, or unk_id() when it is not in the vocabulary.
  virtual int PieceToId(std::string_view piece) const;
  // The piece of `id`; "" for an id out of range.
  virtual const std::string& IdToPiece(int id) const;
  virtual float GetScore(int id) const;
  virtual bool IsUnknown(int id) const;
  virtual bool IsControl(int id) const;
  virtual bool IsUnused(int id) const;
  virtual bool IsByte(int id) const;
  // Ids of the special pieces named in the model's trainer spec, or -1 when
  // the model has none (unk: a piece of type UNKNOWN; others: CONTROL).
  virtual int unk_id() const;
  virtual int bos_id() const;
  virtual int eos_id() const;
  virtual int pad_id() const;

  // The loaded model. REQUIRES: status().ok().
  const ModelProto& model_proto() const;
  util::bytes serialized_model_proto() const;

  // The engine behind this facade (nullptr before a successful Load).
  const Processor* processor() const { return processor_.get(); }

 private:
  std::unique_ptr<Processor> processor_;
};

// Seeds the random generator of every thread that has not drawn yet (as in
// the reference, each thread seeds its own std::mt19937 on first use).
void SetRandomGeneratorSeed(unsigned int seed);

}  // namespace sentencepiece

// The message classes: sentencepiece::SentencePieceText, ModelProto, ...
#include "sentencepiece.pb.h"
#include "sentencepiece_model.pb.h"

#endif  // SPM_SRC_SENTENCEPIECE_PROCESSOR_H_
