// sentencepiece::SentencePieceTrainer: train a vocabulary (BPE, char or
// word model) from text.
//
// Usage:
//
//   #include "sentencepiece_trainer.h"
//
//   // Files in, <prefix>.model and <prefix>.vocab out:
//   auto status = sentencepiece::SentencePieceTrainer::Train(
//       "--input=corpus.txt --model_prefix=m --vocab_size=8000 --model_type=bpe");
//
//   // The same options as a map:
//   status = sentencepiece::SentencePieceTrainer::Train(
//       {{"input", "corpus.txt"}, {"model_prefix", "m"}, {"model_type", "bpe"}});
//
//   // Sentences from your own iterator, the model returned as bytes:
//   MyIterator it(...);                       // a sentencepiece::SentenceIterator
//   std::string model;
//   status = sentencepiece::SentencePieceTrainer::Train(
//       "--model_type=bpe --vocab_size=8000", &it, &model);
//   // then SentencePieceProcessor::LoadFromSerializedProto(model)
//
// Every option is a field of TrainerSpec or NormalizerSpec
// (sentencepiece_model.proto, where each is documented with its default),
// named as the field; values are parsed by the field's type (see
// SetProtoField). A few keys are not fields: normalization_rule_name (the
// NormalizerSpec name), denormalization_rule_tsv, minloglevel (0 shows
// progress on stderr, 1 only warnings, 2 only errors) and random_seed.
//
// Names and signatures are those of SentencePiece 0.1.97 (std::string_view
// for absl::string_view). Every function returns util::Status and never
// aborts; all four model types (unigram, bpe, char, word) train. Running
// out of memory is std::bad_alloc, as anywhere in C++: Train() rethrows it
// on the caller's thread (its worker threads stopped, no output file
// left behind).

#ifndef SPM_SRC_SENTENCEPIECE_TRAINER_H_
#define SPM_SRC_SENTENCEPIECE_TRAINER_H_

#include <string>
#include <string_view>
#include <unordered_map>

#include "sentencepiece_processor.h"
#include "sentencepiece_status.h"

namespace sentencepiece {

class TrainerSpec;
class NormalizerSpec;

// A source of training sentences. The trainer reads it as
//   for (; !it->done(); it->Next()) use(it->value());
// and then checks it->status().
class SentenceIterator {
 public:
  virtual ~SentenceIterator() {}
  virtual bool done() const = 0;
  virtual void Next() = 0;
  virtual const std::string& value() const = 0;
  virtual util::Status status() const = 0;
};

class SentencePieceTrainer {
 public:
  // Trains with the given specs. With `sentence_iterator`, sentences come
  // from it and trainer_spec.input must be empty; with
  // `serialized_model_proto`, the model is returned there (model_prefix
  // must be empty) instead of written to <model_prefix>.model/.vocab.
  // A normalizer spec without a rule gets "nmt_nfkc" (PopulateNormalizerSpec).
  static util::Status Train(const TrainerSpec& trainer_spec,
                            SentenceIterator* sentence_iterator = nullptr,
                            std::string* serialized_model_proto = nullptr);
  static util::Status Train(const TrainerSpec& trainer_spec,
                            const NormalizerSpec& normalizer_spec,
                            SentenceIterator* sentence_iterator = nullptr,
                            std::string* serialized_model_proto = nullptr);
  static util::Status Train(const TrainerSpec& trainer_spec,
                            const NormalizerSpec& normalizer_spec,
                            const NormalizerSpec& denormalizer_spec,
                            SentenceIterator* sentence_iterator = nullptr,
                            std::string* serialized_model_proto = nullptr);

  // Trains with options "--key=value --key2=value2" (single spaces between
  // options; the "--" is optional; "--flag" alone means an empty value,
  // i.e. true for a bool).
  static util::Status Train(std::string_view args,
                            SentenceIterator* sentence_iterator = nullptr,
                            std::string* serialized_model_proto = nullptr);

  // Trains with options as key/value pairs.
  static util::Status Train(const std::unordered_map<std::string, std::string>& kwargs,
                            SentenceIterator* sentence_iterator = nullptr,
                            std::string* serialized_model_proto = nullptr);

  // The spec of a built-in normalization rule ("nmt_nfkc", "nfkc",
  // "nmt_nfkc_cf", "nfkc_cf", "identity"). For an unknown name, a spec with
  // the name only (the reference aborts instead).
  static NormalizerSpec GetNormalizerSpec(std::string_view name);

  // Fills in the rule blob of `normalizer_spec` from its name or its
  // normalization_rule_tsv. Errors: NotFound "No precompiled charsmap is
  // found: <name>", the TSV's errors, "precompiled_charsmap is already
  // defined." (a TSV and a blob both given).
  static util::Status PopulateNormalizerSpec(NormalizerSpec* normalizer_spec,
                                             bool is_denormalizer = false);

  // Applies options (as for Train) to the three specs.
  static util::Status MergeSpecsFromArgs(
      const std::unordered_map<std::string, std::string>& kwargs, TrainerSpec* trainer_spec,
      NormalizerSpec* normalizer_spec, NormalizerSpec* denormalizer_spec);
  static util::Status MergeSpecsFromArgs(std::string_view args, TrainerSpec* trainer_spec,
                                         NormalizerSpec* normalizer_spec,
                                         NormalizerSpec* denormalizer_spec);

  // Sets one field from text: repeated fields take comma-separated values
  // (appended), bools 1/t/true/y/yes/0/f/false/n/no (empty = true), enums
  // their name in any case, numbers in decimal. Errors: NotFound
  // `unknown field name "x" in TrainerSpec.`; InvalidArgument naming the
  // field for a value that does not parse.
  static util::Status SetProtoField(std::string_view name, std::string_view value,
                                    TrainerSpec* message);
  static util::Status SetProtoField(std::string_view name, std::string_view value,
                                    NormalizerSpec* message);

  // "unigram", "bpe", "word" or "char" (any case) into model_type.
  // Error: InvalidArgument `"x" is not found in TrainerSpec`.
  static util::Status PopulateModelTypeFromString(std::string_view type,
                                                  TrainerSpec* trainer_spec);

 private:
  SentencePieceTrainer() = delete;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_SENTENCEPIECE_TRAINER_H_
