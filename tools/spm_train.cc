// spm_train: trains a SentencePiece model (BPE, char or word) from text.
//
//   spm_train --input=corpus.txt --model_prefix=m --vocab_size=8000 --model_type=bpe
//
// writes m.model and m.vocab. The flags are those of the reference
// spm_train 0.1.97. All but a few are fields of TrainerSpec or
// NormalizerSpec: each is parsed (and its type and default shown by --help)
// from the field itself through protobuf reflection, so this file only adds
// the help text. Like the reference, every such field is written into the
// model, given or not. The others:
//   --normalization_rule_name   NormalizerSpec.name (default nmt_nfkc)
//   --denormalization_rule_tsv  a denormalizer compiled from a rule TSV
//   --control_symbols_file, --user_defined_symbols_file
//                               one symbol per line, after the flag's values
//   --required_chars_file       lines concatenated; replaces --required_chars
//   --random_seed               seed for the self-test sample choice
// A bad value is an error naming the flag (the reference stores 0).
// Progress goes to stderr; --minloglevel=1 keeps only warnings and errors.

#include <malloc.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/file_io.h"
#include "fatal_error.h"
#include "flags.h"
#include "sentencepiece_model.pb.h"
#include "sentencepiece_trainer.h"
#include "tool_io.h"
#include "trainer/spec_fields.h"
#include "trainer/training_log.h"

namespace sentencepiece {
namespace {

using google::protobuf::FieldDescriptor;

enum class Target { kTrainer, kNormalizer, kOther };

struct FlagInfo {
  const char* name;
  Target target;
  const char* help;
};

// The flags in the reference's --help order.
constexpr FlagInfo kFlags[] = {
    {"input", Target::kTrainer, "comma separated list of input sentences"},
    {"input_format", Target::kTrainer, "Input format. Supported format is `text` or `tsv`."},
    {"model_prefix", Target::kTrainer, "output model prefix"},
    {"model_type", Target::kTrainer, "model algorithm: unigram, bpe, word or char"},
    {"vocab_size", Target::kTrainer, "vocabulary size"},
    {"accept_language", Target::kTrainer,
     "comma-separated list of languages this model can accept"},
    {"self_test_sample_size", Target::kTrainer, "the size of self test samples"},
    {"character_coverage", Target::kTrainer,
     "character coverage to determine the minimum symbols"},
    {"input_sentence_size", Target::kTrainer, "maximum size of sentences the trainer loads"},
    {"shuffle_input_sentence", Target::kTrainer,
     "Randomly sample input sentences in advance. Valid when --input_sentence_size > 0"},
    {"seed_sentencepiece_size", Target::kTrainer, "the size of seed sentencepieces"},
    {"shrinking_factor", Target::kTrainer,
     "Keeps top shrinking_factor pieces with respect to the loss"},
    {"num_threads", Target::kTrainer, "number of threads for training"},
    {"num_sub_iterations", Target::kTrainer, "number of EM sub-iterations"},
    {"max_sentencepiece_length", Target::kTrainer, "maximum length of sentence piece"},
    {"max_sentence_length", Target::kTrainer, "maximum length of sentence in byte"},
    {"split_by_unicode_script", Target::kTrainer, "use Unicode script to split sentence pieces"},
    {"split_by_number", Target::kTrainer, "split tokens by numbers (0-9)"},
    {"split_by_whitespace", Target::kTrainer, "use a white space to split sentence pieces"},
    {"split_digits", Target::kTrainer, "split all digits (0-9) into separate pieces"},
    {"treat_whitespace_as_suffix", Target::kTrainer,
     "treat whitespace marker as suffix instead of prefix."},
    {"allow_whitespace_only_pieces", Target::kTrainer,
     "allow pieces that only contain (consecutive) whitespace tokens"},
    {"control_symbols", Target::kTrainer, "comma separated list of control symbols"},
    {"control_symbols_file", Target::kOther, "load control_symbols from file."},
    {"user_defined_symbols", Target::kTrainer, "comma separated list of user defined symbols"},
    {"user_defined_symbols_file", Target::kOther, "load user_defined_symbols from file."},
    {"required_chars", Target::kTrainer,
     "UTF8 characters in this flag are always used in the character set regardless of "
     "--character_coverage"},
    {"required_chars_file", Target::kOther, "load required_chars from file."},
    {"byte_fallback", Target::kTrainer, "decompose unknown pieces into UTF-8 byte pieces"},
    {"vocabulary_output_piece_score", Target::kTrainer, "Define score in vocab file"},
    {"normalization_rule_name", Target::kOther,
     "Normalization rule name. Choose from nfkc or identity"},
    {"normalization_rule_tsv", Target::kNormalizer, "Normalization rule TSV file. "},
    {"denormalization_rule_tsv", Target::kOther, "Denormalization rule TSV file."},
    {"add_dummy_prefix", Target::kNormalizer, "Add dummy whitespace at the beginning of text"},
    {"remove_extra_whitespaces", Target::kNormalizer,
     "Removes leading, trailing, and duplicate internal whitespace"},
    {"hard_vocab_limit", Target::kTrainer,
     "If set to false, --vocab_size is considered as a soft limit."},
    {"use_all_vocab", Target::kTrainer,
     "If set to true, use all tokens as vocab. Valid for word/char models."},
    {"unk_id", Target::kTrainer, "Override UNK (<unk>) id."},
    {"bos_id", Target::kTrainer, "Override BOS (<s>) id. Set -1 to disable BOS."},
    {"eos_id", Target::kTrainer, "Override EOS (</s>) id. Set -1 to disable EOS."},
    {"pad_id", Target::kTrainer, "Override PAD (<pad>) id. Set -1 to disable PAD."},
    {"unk_piece", Target::kTrainer, "Override UNK (<unk>) piece."},
    {"bos_piece", Target::kTrainer, "Override BOS (<s>) piece."},
    {"eos_piece", Target::kTrainer, "Override EOS (</s>) piece."},
    {"pad_piece", Target::kTrainer, "Override PAD (<pad>) piece."},
    {"unk_surface", Target::kTrainer,
     "Dummy surface string for <unk>. In decoding <unk> is decoded to `unk_surface`."},
    {"train_extremely_large_corpus", Target::kTrainer,
     "Increase bit depth for unigram tokenization."},
    {"random_seed", Target::kOther, "Seed value for random generator."},
    {"enable_differential_privacy", Target::kTrainer,
     "Whether to add DP while training. Currently supported only by UNIGRAM model."},
    {"differential_privacy_noise_level", Target::kTrainer, "Amount of noise to add for DP"},
    {"differential_privacy_clipping_threshold", Target::kTrainer,
     "Threshold for clipping the counts for DP"},
};

const char* TypeName(const FieldDescriptor& f) {
  if (f.is_repeated()) return "string (comma-separated)";
  return f.type() == FieldDescriptor::TYPE_ENUM ? "enum" : f.type_name();
}

std::vector<std::string> ReadLinesOrDie(const std::string& program, const std::string& path) {
  auto reader = LineReader::Open(path);
  if (!reader.ok()) Die(program, reader.status().ToString());
  std::vector<std::string> lines;
  std::string line;
  while ((*reader)->ReadLine(&line)) lines.push_back(line);
  if (!(*reader)->status().ok()) Die(program, (*reader)->status().ToString());
  return lines;
}

int Main(int argc, char** argv) {
  const std::string program = "spm_train";
  // Training allocates and frees large tables (corpus, counts) from several
  // threads. With glibc's adaptive threshold those end up in per-thread
  // arenas and stay resident after being freed; a fixed 1 MiB threshold
  // maps them separately, so freed memory goes back to the system (peak RSS
  // on the 100 MB benchmark: 386 -> 270 MB). Those of 2 MB and more are
  // marked for huge pages as they are allocated (train_heap.cc).
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  std::map<std::string, std::string> given;  // flag -> value (last one wins)
  std::string normalization_rule_name = "nmt_nfkc";
  std::string denormalization_rule_tsv, control_symbols_file, user_defined_symbols_file,
      required_chars_file;
  uint32_t random_seed = static_cast<uint32_t>(-1);

  FlagParser flags(argv[0]);
  std::vector<std::unique_ptr<google::protobuf::Message>> scratches;  // For value checks.
  for (const FlagInfo& info : kFlags) {
    if (info.target == Target::kOther) {  // In the reference's --help order.
      const std::string name = info.name;
      if (name == "normalization_rule_name") flags.Add(info.name, &normalization_rule_name, info.help);
      if (name == "denormalization_rule_tsv") flags.Add(info.name, &denormalization_rule_tsv, info.help);
      if (name == "control_symbols_file") flags.Add(info.name, &control_symbols_file, info.help);
      if (name == "user_defined_symbols_file") {
        flags.Add(info.name, &user_defined_symbols_file, info.help);
      }
      if (name == "required_chars_file") flags.Add(info.name, &required_chars_file, info.help);
      if (name == "random_seed") flags.Add(info.name, &random_seed, info.help);
      continue;
    }
    if (info.target == Target::kTrainer) {
      scratches.push_back(std::make_unique<TrainerSpec>());
    } else {
      scratches.push_back(std::make_unique<NormalizerSpec>());
    }
    google::protobuf::Message* scratch = scratches.back().get();
    const FieldDescriptor* field = scratch->GetDescriptor()->FindFieldByName(info.name);
    if (field == nullptr) Die(program, absl::StrCat("internal: no field ", info.name));
    const std::string name = info.name;
    std::string default_text = DefaultValueText(*field);
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      default_text = absl::StrCat("\"", default_text, "\"");
    }
    flags.AddCustom(
        name, TypeName(*field), default_text,
        field->cpp_type() == FieldDescriptor::CPPTYPE_BOOL,
        [scratch, name, &given](std::string_view value) {
          // Parse now, so that a bad value is reported with its flag.
          scratch->Clear();
          if (!SetSpecField(name, value, scratch).ok()) return false;
          given[name] = std::string(value);
          return true;
        },
        info.help);
  }
  const std::vector<std::string> positional = flags.ParseOrExit(argc, argv);
  training_log::SetMinLogLevel(flags.minloglevel());
  if (!positional.empty()) {
    Die(program, absl::StrCat("unexpected argument: ", positional[0],
                              " (give input files with --input)"));
  }
  if (given["input"].empty()) Die(program, "--input must not be empty");
  if (given["model_prefix"].empty()) Die(program, "--model_prefix must not be empty");

  TrainerSpec trainer_spec;
  NormalizerSpec normalizer_spec, denormalizer_spec;
  std::vector<std::string> trainer_fields, normalizer_fields;
  for (const FlagInfo& info : kFlags) {
    if (info.target == Target::kOther) continue;
    google::protobuf::Message* spec =
        info.target == Target::kTrainer ? static_cast<google::protobuf::Message*>(&trainer_spec)
                                        : &normalizer_spec;
    (info.target == Target::kTrainer ? trainer_fields : normalizer_fields).push_back(info.name);
    if (auto it = given.find(info.name); it != given.end()) {
      if (absl::Status s = SetSpecField(info.name, it->second, spec); !s.ok()) {
        Die(program, s.ToString());
      }
    }
  }
  // The reference writes every field it has a flag for.
  SetUnsetFieldsToDefaults(trainer_fields, &trainer_spec);
  SetUnsetFieldsToDefaults(normalizer_fields, &normalizer_spec);
  normalizer_spec.set_name(normalization_rule_name);

  if (!required_chars_file.empty()) {
    trainer_spec.set_required_chars(absl::StrJoin(ReadLinesOrDie(program, required_chars_file), ""));
  }
  if (!control_symbols_file.empty()) {
    for (const std::string& s : ReadLinesOrDie(program, control_symbols_file)) {
      trainer_spec.add_control_symbols(s);
    }
  }
  if (!user_defined_symbols_file.empty()) {
    for (const std::string& s : ReadLinesOrDie(program, user_defined_symbols_file)) {
      trainer_spec.add_user_defined_symbols(s);
    }
  }
  if (!denormalization_rule_tsv.empty()) {
    denormalizer_spec.set_normalization_rule_tsv(denormalization_rule_tsv);
    denormalizer_spec.set_add_dummy_prefix(false);
    denormalizer_spec.set_remove_extra_whitespaces(false);
    denormalizer_spec.set_escape_whitespaces(false);
  }
  SetRandomGeneratorSeed(random_seed);

  CheckOk(program,
          SentencePieceTrainer::Train(trainer_spec, normalizer_spec, denormalizer_spec));
  return 0;
}

}  // namespace
}  // namespace sentencepiece

int main(int argc, char** argv) {
  sentencepiece::InstallFatalErrorHandler("spm_train");
  return sentencepiece::Main(argc, argv);
}
