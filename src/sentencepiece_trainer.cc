// The SentencePieceTrainer facade: parses options into specs and calls the
// training pipeline (trainer/trainer_interface.h), converting statuses.

#include "sentencepiece_trainer.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/absl_compat.h"
#include "common/random.h"
#include "facade_util.h"
#include "sentencepiece_model.pb.h"
#include "trainer/normalization_rules.h"
#include "trainer/spec_fields.h"
#include "trainer/trainer_interface.h"
#include "trainer/training_log.h"

namespace sentencepiece {
namespace {

using facade::ToUtil;

absl::Status ToAbslStatus(const util::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.code()), s.message());
}

// Reads a SentenceIterator as a LineSource.
class IteratorLineSource : public LineSource {
 public:
  explicit IteratorLineSource(SentenceIterator* it) : it_(it) {}
  bool ReadLine(std::string* line) override {
    if (started_) it_->Next();
    started_ = true;
    if (it_->done()) return false;
    *line = it_->value();
    return true;
  }
  absl::Status status() const override { return ToAbslStatus(it_->status()); }

 private:
  SentenceIterator* it_;
  bool started_ = false;
};

}  // namespace

util::Status SentencePieceTrainer::Train(const TrainerSpec& trainer_spec,
                                         SentenceIterator* sentence_iterator,
                                         std::string* serialized_model_proto) {
  return Train(trainer_spec, NormalizerSpec(), sentence_iterator, serialized_model_proto);
}

util::Status SentencePieceTrainer::Train(const TrainerSpec& trainer_spec,
                                         const NormalizerSpec& normalizer_spec,
                                         SentenceIterator* sentence_iterator,
                                         std::string* serialized_model_proto) {
  return Train(trainer_spec, normalizer_spec, NormalizerSpec(), sentence_iterator,
               serialized_model_proto);
}

util::Status SentencePieceTrainer::Train(const TrainerSpec& trainer_spec,
                                         const NormalizerSpec& normalizer_spec,
                                         const NormalizerSpec& denormalizer_spec,
                                         SentenceIterator* sentence_iterator,
                                         std::string* serialized_model_proto) {
  std::unique_ptr<IteratorLineSource> source;
  if (sentence_iterator != nullptr) source = std::make_unique<IteratorLineSource>(sentence_iterator);
  ModelProto model;
  const absl::Status s =
      TrainModel(trainer_spec, normalizer_spec, denormalizer_spec, source.get(),
                 serialized_model_proto != nullptr ? &model : nullptr);
  if (!s.ok()) return ToUtil(s);
  if (serialized_model_proto != nullptr) *serialized_model_proto = model.SerializeAsString();
  return util::OkStatus();
}

util::Status SentencePieceTrainer::Train(std::string_view args,
                                         SentenceIterator* sentence_iterator,
                                         std::string* serialized_model_proto) {
  TrainerSpec trainer_spec;
  NormalizerSpec normalizer_spec, denormalizer_spec;
  if (util::Status s = MergeSpecsFromArgs(args, &trainer_spec, &normalizer_spec,
                                          &denormalizer_spec);
      !s.ok()) {
    return s;
  }
  return Train(trainer_spec, normalizer_spec, denormalizer_spec, sentence_iterator,
               serialized_model_proto);
}

util::Status SentencePieceTrainer::Train(
    const std::unordered_map<std::string, std::string>& kwargs,
    SentenceIterator* sentence_iterator, std::string* serialized_model_proto) {
  TrainerSpec trainer_spec;
  NormalizerSpec normalizer_spec, denormalizer_spec;
  if (util::Status s = MergeSpecsFromArgs(kwargs, &trainer_spec, &normalizer_spec,
                                          &denormalizer_spec);
      !s.ok()) {
    return s;
  }
  return Train(trainer_spec, normalizer_spec, denormalizer_spec, sentence_iterator,
               serialized_model_proto);
}

NormalizerSpec SentencePieceTrainer::GetNormalizerSpec(std::string_view name) {
  NormalizerSpec spec;
  spec.set_name(std::string(name));
  auto built = BuildNormalizerSpec(spec, /*is_denormalizer=*/false);
  return built.ok() ? *built : spec;
}

util::Status SentencePieceTrainer::PopulateNormalizerSpec(NormalizerSpec* normalizer_spec,
                                                          bool is_denormalizer) {
  if (normalizer_spec == nullptr) {
    return util::Status(util::StatusCode::kInvalidArgument, "normalizer_spec must not be null.");
  }
  auto built = BuildNormalizerSpec(*normalizer_spec, is_denormalizer);
  if (!built.ok()) return ToUtil(built.status());
  *normalizer_spec = *std::move(built);
  return util::OkStatus();
}

util::Status SentencePieceTrainer::MergeSpecsFromArgs(std::string_view args,
                                                      TrainerSpec* trainer_spec,
                                                      NormalizerSpec* normalizer_spec,
                                                      NormalizerSpec* denormalizer_spec) {
  if (trainer_spec == nullptr || normalizer_spec == nullptr || denormalizer_spec == nullptr) {
    return util::Status(util::StatusCode::kInvalidArgument, "specs must not be null.");
  }
  if (args.empty()) return util::OkStatus();
  std::unordered_map<std::string, std::string> kwargs;
  for (absl::string_view arg : absl::StrSplit(ToAbsl(args), ' ')) {
    absl::ConsumePrefix(&arg, "--");
    const size_t eq = arg.find('=');
    if (eq == absl::string_view::npos) {
      kwargs.emplace(std::string(arg), "");
    } else {
      kwargs.emplace(std::string(arg.substr(0, eq)), std::string(arg.substr(eq + 1)));
    }
  }
  return MergeSpecsFromArgs(kwargs, trainer_spec, normalizer_spec, denormalizer_spec);
}

util::Status SentencePieceTrainer::MergeSpecsFromArgs(
    const std::unordered_map<std::string, std::string>& kwargs, TrainerSpec* trainer_spec,
    NormalizerSpec* normalizer_spec, NormalizerSpec* denormalizer_spec) {
  if (trainer_spec == nullptr || normalizer_spec == nullptr || denormalizer_spec == nullptr) {
    return util::Status(util::StatusCode::kInvalidArgument, "specs must not be null.");
  }
  for (const auto& [key, value] : kwargs) {
    if (key == "normalization_rule_name") {
      normalizer_spec->set_name(value);
      continue;
    }
    if (key == "denormalization_rule_tsv") {
      denormalizer_spec->set_normalization_rule_tsv(value);
      denormalizer_spec->set_add_dummy_prefix(false);
      denormalizer_spec->set_remove_extra_whitespaces(false);
      denormalizer_spec->set_escape_whitespaces(false);
      continue;
    }
    if (key == "minloglevel" || key == "random_seed") {
      int64_t v;
      if (!absl::SimpleAtoi(value, &v)) {
        return util::Status(util::StatusCode::kInvalidArgument,
                            absl::StrCat(key, ": cannot parse \"", value, "\" as int."));
      }
      if (key == "minloglevel") {
        training_log::SetMinLogLevel(static_cast<int>(v));
      } else {
        random::SetSeed(static_cast<uint32_t>(v));
      }
      continue;
    }
    absl::Status s = SetSpecField(key, value, trainer_spec);
    if (absl::IsNotFound(s)) {
      const absl::Status n = SetSpecField(key, value, normalizer_spec);
      if (!absl::IsNotFound(n)) s = n;
    }
    if (!s.ok()) return ToUtil(s);
  }
  return util::OkStatus();
}

util::Status SentencePieceTrainer::SetProtoField(std::string_view name, std::string_view value,
                                                 TrainerSpec* message) {
  if (message == nullptr) {
    return util::Status(util::StatusCode::kInvalidArgument, "message must not be null.");
  }
  return ToUtil(SetSpecField(name, value, message));
}

util::Status SentencePieceTrainer::SetProtoField(std::string_view name, std::string_view value,
                                                 NormalizerSpec* message) {
  if (message == nullptr) {
    return util::Status(util::StatusCode::kInvalidArgument, "message must not be null.");
  }
  return ToUtil(SetSpecField(name, value, message));
}

util::Status SentencePieceTrainer::PopulateModelTypeFromString(std::string_view type,
                                                               TrainerSpec* trainer_spec) {
  const std::string lower = absl::AsciiStrToLower(ToAbsl(type));
  for (const auto& [name, value] : {std::pair{"unigram", TrainerSpec::UNIGRAM},
                                    std::pair{"bpe", TrainerSpec::BPE},
                                    std::pair{"word", TrainerSpec::WORD},
                                    std::pair{"char", TrainerSpec::CHAR}}) {
    if (lower == name) {
      trainer_spec->set_model_type(value);
      return util::OkStatus();
    }
  }
  return util::Status(util::StatusCode::kInvalidArgument,
                      absl::StrCat("\"", ToAbsl(type), "\" is not found in TrainerSpec"));
}

}  // namespace sentencepiece
