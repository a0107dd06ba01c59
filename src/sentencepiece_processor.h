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
//   // Pieces with ids and byte offsets:
//   const auto r = sp.EncodeAsImmutableProto("Hello world");
//   for (const auto& p : r.pieces()) {
//     // p.piece() "▁Hello", p.id(), p.surface() "Hello", p.begin() 0, p.end() 5
//   }
//   // (or the proto itself: sentencepiece::SentencePieceText spt;
//   //  sp.Encode("Hello world", &spt);)
//
//   // Many texts at once, on 4 threads, results in input order:
//   std::vector<std::string_view> texts = {"Hello world", "Bonjour"};
//   std::vector<std::vector<int>> batch_ids = sp.EncodeAsIdsBatch(texts, 4);
//
// Building against the installed package (cmake --install; see
// cmake/install.cmake; C++17 or later, and protobuf, whose headers the
// generated sentencepiece*.pb.h included below need):
//
//   find_package(spm REQUIRED)                      # CMake
//   target_link_libraries(my_service PRIVATE spm::spm)
//
//   g++ -std=c++17 my_service.cc $(pkg-config --cflags --libs spm)
//
// The headers are installed in <prefix>/include/spm/ and the library is
// libspm.so, so they sit beside Debian's libsentencepiece-dev.
//
// Compatibility: the classes, method names and signatures are those of
// SentencePiece 0.1.97 (with std::string_view), so code written against it
// compiles unchanged, and every result is byte-identical to the reference's
// (tests/compat/ builds programs both ways and compares their output).
// Differences a program may notice:
//   - error codes and messages: spm uses the canonical code
//     (InvalidArgument for bad arguments, Unimplemented for a call the model
//     type lacks) where the reference says Internal, and its messages do not
//     start with the reference's "<source file>(<line>) [<condition>]";
//   - util::Status: see sentencepiece_status.h;
//   - no `absl::string_view` alias (write std::string_view), and no
//     SetModel(), SetNormalizer() or io::LoadModelProto/SaveModelProto;
//   - where the reference's behaviour is undefined (IdToPiece out of range,
//     a piece kept after its ImmutableSentencePieceText is gone,
//     ConvertToUnicodeSpans on text ending inside a character), spm
//     returns an empty value or the safe result;
//   - additions: the batch API (EncodeBatch, EncodeAsIdsBatch, ...).
//
// Errors: methods returning util::Status never throw or abort (only
// LoadOrDie aborts; std::bad_alloc, as anywhere in C++, when memory runs
// out: the batch calls too hand it to the caller, once their worker
// threads have stopped). The value-returning forms (EncodeAsIds, DecodeIds,
// ...) return an empty result on error. Before a successful Load(), every
// method fails with Internal "Model is not initialized." (or returns a
// default value: 0, "", false, empty). Text to encode is never an error:
// malformed UTF-8 is encoded as U+FFFD, one byte at a time.
//
// Lifetimes: results are returned by value or written to caller-owned
// outputs; nothing returned refers to the processor, except IdToPiece()
// and model_proto(), which stay valid until the next Load*() (or the
// processor's destruction). Inputs need to live only during the call.
//
// Thread safety: once loaded, all const methods may be called concurrently
// from any number of threads (that is what EncodeBatch does). Load*(),
// Set*ExtraOptions() and the vocabulary restriction methods must not run
// concurrently with anything else on the same object.

#ifndef SPM_SRC_SENTENCEPIECE_PROCESSOR_H_
#define SPM_SRC_SENTENCEPIECE_PROCESSOR_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sentencepiece_status.h"

namespace sentencepiece {

class ModelProto;
class NBestSentencePieceText;
class SentencePieceText;
class Processor;

class SentencePieceText_SentencePiece;

namespace util {
using bytes = std::string;
}  // namespace util

// ------------------------------------------------------------------ immutable results
// ImmutableSentencePieceText and ImmutableNBestSentencePieceText: read-only
// access to an encode/decode result without including the generated proto
// headers (the 0.1.97 classes, same names and methods). Returned by the
// *AsImmutableProto methods of SentencePieceProcessor:
//
//   const auto r = sp.EncodeAsImmutableProto("Hello world");
//   for (const auto& p : r.pieces()) {
//     // p.piece() "▁Hello", p.id(), p.surface() "Hello", p.begin() 0, p.end() 5
//   }
//
// Lifetimes: a result owns its proto through a shared pointer. Its copies,
// the pieces taken from it and the entries of an n-best result share that
// ownership, so each stays valid after the object it came from is gone
// (also `for (auto& p : sp.EncodeAsImmutableProto(s).pieces())`, which
// dangles with the reference). Copies are shallow: mutable_proto() and
// ConvertToUnicodeSpans() on one change what every copy sees, and pieces
// taken before such a change must not be used after it.
//
// Thread safety: const methods may be called concurrently; the non-const
// ones must not run concurrently with anything on the same result or its
// copies.

// One piece of an ImmutableSentencePieceText. A default-constructed piece is
// empty ("" and 0).
class ImmutableSentencePieceText_ImmutableSentencePiece {
 public:
  ImmutableSentencePieceText_ImmutableSentencePiece();
  ~ImmutableSentencePieceText_ImmutableSentencePiece() = default;

  // The piece as in the vocabulary ("▁Hello"); for a run of unknown
  // characters, their text; with the "unk" extra option, the unknown piece.
  const std::string& piece() const;
  // The part of the input (encode) or of the decoded text (decode) this
  // piece stands for; "" for control pieces, for all but the last byte
  // piece of a character, and for bos/eos added by extra options.
  const std::string& surface() const;
  uint32_t id() const;
  // Byte offsets of surface() in the text (code-point offsets after
  // ConvertToUnicodeSpans()); begin() == end() for a piece without surface
  // (0 for bos/eos).
  uint32_t begin() const;
  uint32_t end() const;

 private:
  friend class ImmutableSentencePieceText;
  explicit ImmutableSentencePieceText_ImmutableSentencePiece(
      std::shared_ptr<const SentencePieceText_SentencePiece> sp);
  std::shared_ptr<const SentencePieceText_SentencePiece> sp_;
};

// One encode or decode result (a SentencePieceText). Default-constructed:
// empty (no pieces, text "", score 0).
class ImmutableSentencePieceText {
 public:
  ImmutableSentencePieceText();
  virtual ~ImmutableSentencePieceText();

  // All pieces, in order (a new vector of small handles; see pieces(i)).
  std::vector<ImmutableSentencePieceText_ImmutableSentencePiece> pieces() const;
  size_t pieces_size() const;
  // The index-th piece; an empty piece when index is out of range (the
  // reference's behaviour is undefined there).
  ImmutableSentencePieceText_ImmutableSentencePiece pieces(int index) const;

  // The input (encode) or the decoded text (decode).
  const std::string& text() const;
  // The score of an n-best entry or a scored sample; 0 otherwise.
  float score() const;
  // The SentencePieceText wire format (what *AsSerializedProto returns).
  util::bytes SerializeAsString() const;

  // The underlying proto, for filling it (e.g. sp.Encode(s,
  // r.mutable_proto())); needs sentencepiece.pb.h, which
  // sentencepiece_processor.h includes. On a result that does not own its
  // proto yet (default-constructed, or an entry of an n-best result), the
  // proto is first copied, so the n-best result is not changed (the
  // reference returns an empty proto there).
  SentencePieceText* mutable_proto();

  // Rewrites every piece's begin/end from byte offsets to character
  // offsets in text() (characters counted by UTF-8 lead byte, as the
  // reference does; a piece without offsets gets them set).
  void ConvertToUnicodeSpans();

 private:
  friend class ImmutableNBestSentencePieceText;
  explicit ImmutableSentencePieceText(std::shared_ptr<const SentencePieceText> spt);
  std::shared_ptr<const SentencePieceText> spt_;  // What is read; never null.
  std::shared_ptr<SentencePieceText> rep_;        // Set once mutable_proto() was called.
};

// Several results of one input (n-best lists, scored samples), best or
// first drawn first. Default-constructed: no entries.
class ImmutableNBestSentencePieceText {
 public:
  ImmutableNBestSentencePieceText();
  virtual ~ImmutableNBestSentencePieceText();

  std::vector<ImmutableSentencePieceText> nbests() const;
  size_t nbests_size() const;
  // The index-th entry (sharing ownership of this result); an empty result
  // when index is out of range.
  ImmutableSentencePieceText nbests(int index) const;

  // The NBestSentencePieceText wire format ("" when empty).
  util::bytes SerializeAsString() const;

  // The underlying proto, for filling it (see ImmutableSentencePieceText).
  NBestSentencePieceText* mutable_proto();
  // ConvertToUnicodeSpans() on every entry.
  void ConvertToUnicodeSpans();

 private:
  std::shared_ptr<NBestSentencePieceText> rep_;
};

// ------------------------------------------------------------------ batch results
// A read-only array (pointer and size) into memory owned by an EncodedBatch.
template <typename T>
class ArrayView {
 public:
  ArrayView() = default;
  ArrayView(const T* data, size_t size) : data_(data), size_(size) {}
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](size_t i) const { return data_[i]; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  std::vector<T> ToVector() const { return std::vector<T>(begin(), end()); }

 private:
  const T* data_ = nullptr;
  size_t size_ = 0;
};

// One piece of an EncodedBatch.
struct PieceView {
  // The piece (as EncodeAsPieces gives it), stored in the EncodedBatch.
  std::string_view piece;
  int id = 0;
  // Byte span of the piece's surface in its input: the surface is
  // input.substr(begin, end - begin). begin == end for pieces that cover no
  // text (control pieces, all but the last byte piece of a character, and
  // bos/eos, which have 0).
  uint32_t begin = 0;
  uint32_t end = 0;
};

// The result of SentencePieceProcessor::EncodeBatch(): for each input, in
// input order, its pieces (with ids and offsets) and its ids, all stored in
// a few large buffers owned by this object (no per-piece allocation).
//
// Lifetimes: the views returned by pieces(i) and ids(i), and the
// string_views inside them, point into this object. They stay valid until
// it is destroyed, cleared, assigned to, or passed to EncodeBatch again;
// moving the object keeps them valid (they then belong to the new owner).
// The inputs need not outlive the result.
//
// Thread safety: const methods may be called concurrently.
class EncodedBatch {
 public:
  EncodedBatch();
  ~EncodedBatch();
  EncodedBatch(EncodedBatch&& other) noexcept;
  EncodedBatch& operator=(EncodedBatch&& other) noexcept;
  EncodedBatch(const EncodedBatch&) = delete;
  EncodedBatch& operator=(const EncodedBatch&) = delete;

  // Number of inputs.
  size_t size() const;
  // The pieces and the ids of input i. REQUIRES: i < size().
  ArrayView<PieceView> pieces(size_t i) const;
  ArrayView<int> ids(size_t i) const;
  // Total number of pieces over all inputs.
  size_t total_pieces() const;
  // Drops all results (size() becomes 0) and frees their memory.
  void clear();

 private:
  friend class SentencePieceProcessor;
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

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
  // byte at a time). Runs of unknown characters come out as one piece
  // (with byte_fallback models: one <0xXX> piece per byte). The encode
  // extra options apply. Errors: only before Load(). Outputs are replaced.
  virtual util::Status Encode(std::string_view input, std::vector<std::string>* pieces) const;
  virtual util::Status Encode(std::string_view input, std::vector<int>* ids) const;
  // Fills pieces with piece, id, surface (the covered part of `input`) and
  // begin/end (byte offsets of the surface in `input`), and text = input.
  virtual util::Status Encode(std::string_view input, SentencePieceText* spt) const;

  // The same, returned (empty on error).
  virtual std::vector<std::string> EncodeAsPieces(std::string_view input) const;
  virtual std::vector<int> EncodeAsIds(std::string_view input) const;
  // The SentencePieceText of Encode(), serialized (the reference's
  // sentencepiece.proto wire format; "" on error).
  virtual util::bytes EncodeAsSerializedProto(std::string_view input) const;

  // ---------------------------------------------------------------- subword regularization
  // Kudo 2018 (unigram) and BPE-dropout (Provilkov et al. 2019). Random
  // draws come from a per-thread generator; see SetRandomGeneratorSeed().
  // Errors: Unimplemented "<Method> is not available for the current
  // model." when the model type lacks the method (NBestEncode,
  // SampleEncodeAndScore and CalculateEntropy: unigram only; SampleEncode:
  // unigram and BPE).
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
  // 512 is an InvalidArgument error.
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

  // The value-returning forms of the above (empty, or 0, on error).
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
  // Decodes pieces or ids into text, with the decode extra options. A piece
  // not in the vocabulary is decoded as an unknown piece: its own text. An
  // id out of range is an error: OutOfRange "Invalid id: N".
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

  // The value-returning forms ("" on error) and the serialized
  // SentencePieceText ("" on error).
  virtual std::string DecodePieces(const std::vector<std::string>& pieces) const;
  virtual std::string DecodePieces(const std::vector<std::string_view>& pieces) const;
  virtual std::string DecodeIds(const std::vector<int>& ids) const;
  virtual util::bytes DecodePiecesAsSerializedProto(const std::vector<std::string>& pieces) const;
  virtual util::bytes DecodePiecesAsSerializedProto(
      const std::vector<std::string_view>& pieces) const;
  virtual util::bytes DecodeIdsAsSerializedProto(const std::vector<int>& ids) const;

  // ---------------------------------------------------------------- immutable results
  // The results above as ImmutableSentencePieceText /
  // ImmutableNBestSentencePieceText (see there). On error, an empty result.
  virtual ImmutableSentencePieceText EncodeAsImmutableProto(std::string_view input) const;
  virtual ImmutableSentencePieceText SampleEncodeAsImmutableProto(std::string_view input,
                                                                  int nbest_size,
                                                                  float alpha) const;
  virtual ImmutableNBestSentencePieceText NBestEncodeAsImmutableProto(std::string_view input,
                                                                      int nbest_size) const;
  virtual ImmutableNBestSentencePieceText SampleEncodeAndScoreAsImmutableProto(
      std::string_view input, int num_samples, float alpha, bool wor, bool include_best) const;
  virtual ImmutableSentencePieceText DecodePiecesAsImmutableProto(
      const std::vector<std::string>& pieces) const;
  virtual ImmutableSentencePieceText DecodePiecesAsImmutableProto(
      const std::vector<std::string_view>& pieces) const;
  virtual ImmutableSentencePieceText DecodeIdsAsImmutableProto(const std::vector<int>& ids) const;

  // ---------------------------------------------------------------- batch encoding
  // (not in the reference) Encodes many inputs at once for services. Each
  // result equals what EncodeAsIds / EncodeAsPieces / Encode(spt) gives for
  // that input (encode extra options included), in input order.
  //
  // Inputs are cut into chunks that `num_threads` threads take in turn: the
  // calling thread and num_threads - 1 workers of a process-wide pool
  // (started on first use, grown to the largest num_threads asked for, never
  // stopped). num_threads <= 0 means the CPUs the process may run on (its
  // affinity mask: `taskset`, a container's cpuset);
  // 1 encodes on the calling thread only; more than 256 means 256. Several
  // threads may call the batch methods at once (they share the pool's
  // workers; each caller always works on its own batch too, so a busy pool
  // slows a call down but never blocks it). The results never depend on
  // num_threads.
  //
  // Errors: the first failing input's error (in input order), with the
  // other results filled in; before a successful Load(), every result is
  // empty. Text itself is never an error. The value-returning forms return
  // empty results for failed inputs.
  //
  // Inputs: string_views (they need to live only during the call), e.g.
  //   std::vector<std::string_view> in(lines.begin(), lines.end());
  // Outputs are overwritten: the vectors are resized to inputs.size(), and
  // passing the same vectors (or EncodedBatch) again reuses their memory,
  // so a service loop allocates nothing per input once warm.
  util::Status EncodeBatch(const std::vector<std::string_view>& inputs, int num_threads,
                           std::vector<std::vector<int>>* ids) const;
  util::Status EncodeBatch(const std::vector<std::string_view>& inputs, int num_threads,
                           std::vector<std::vector<std::string>>* pieces) const;
  // Pieces with ids and offsets, stored in `result` (zero-copy views; see
  // EncodedBatch).
  util::Status EncodeBatch(const std::vector<std::string_view>& inputs, int num_threads,
                           EncodedBatch* result) const;
  std::vector<std::vector<int>> EncodeAsIdsBatch(const std::vector<std::string_view>& inputs,
                                                 int num_threads = 0) const;
  std::vector<std::vector<std::string>> EncodeAsPiecesBatch(
      const std::vector<std::string_view>& inputs, int num_threads = 0) const;

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
