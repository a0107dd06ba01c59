// A program written against SentencePiece 0.1.97's sentencepiece_trainer.h
// and sentencepiece_processor.h: training from a file with an argument
// string and with a key/value map, training from a SentenceIterator into
// memory, training errors, then encoding with each model. It must compile
// unchanged against the reference's libsentencepiece-dev and against spm,
// and print the same.
//
//   compat_trainer TEXT_FILE WORK_DIR
//
// Char, word and BPE models (spm does not train unigram models yet). Only
// ok() of statuses is printed: training messages differ by design, and
// load errors would name the per-build WORK_DIR.

#include <fstream>
#include <iostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "sentencepiece_processor.h"
#include "sentencepiece_trainer.h"

namespace {

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Sentences from memory.
class VectorIterator : public sentencepiece::SentenceIterator {
 public:
  explicit VectorIterator(const std::vector<std::string>& v) : v_(v) {}
  bool done() const override { return i_ >= v_.size(); }
  void Next() override { ++i_; }
  const std::string& value() const override { return v_[i_]; }
  sentencepiece::util::Status status() const override { return sentencepiece::util::Status(); }

 private:
  const std::vector<std::string>& v_;
  size_t i_ = 0;
};

void PrintModel(const std::string& name, sentencepiece::SentencePieceProcessor& sp,
                const std::vector<std::string>& lines) {
  std::cout << name << ": pieces=" << sp.GetPieceSize() << "\n";
  for (int id = 0; id < sp.GetPieceSize(); ++id) {
    std::cout << " " << sp.IdToPiece(id) << "/" << sp.GetScore(id);
  }
  std::cout << "\n";
  for (size_t i = 0; i < lines.size(); i += 7) {
    for (int id : sp.EncodeAsIds(lines[i])) std::cout << id << " ";
    std::cout << "| " << (sp.DecodeIds(sp.EncodeAsIds(lines[i])) == lines[i]) << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: compat_trainer TEXT_FILE WORK_DIR\n";
    return 2;
  }
  const std::string input = argv[1];
  const std::string dir = argv[2];
  const std::vector<std::string> lines = ReadLines(input);
  using sentencepiece::SentencePieceTrainer;

  // From a file, options as one string.
  for (const std::string type : {"char", "word", "bpe"}) {
    const std::string prefix = dir + "/" + type;
    const auto status = SentencePieceTrainer::Train(
        "--input=" + input + " --model_prefix=" + prefix + " --model_type=" + type +
        " --vocab_size=" + (type == "char" ? "60" : "200") +
        " --normalization_rule_name=identity --minloglevel=1");
    std::cout << "Train " << type << ": " << status.ok() << "\n";
    sentencepiece::SentencePieceProcessor sp;
    std::cout << "Load: " << sp.Load(prefix + ".model").ok() << "\n";
    PrintModel(type, sp, lines);
  }

  // From a file, options as a map (and the default normalization, nmt_nfkc).
  const std::unordered_map<std::string, std::string> kwargs = {
      {"input", input},      {"model_prefix", dir + "/kwargs"},
      {"model_type", "bpe"}, {"vocab_size", "150"},
      {"minloglevel", "1"},  {"user_defined_symbols", "<sep>,<cls>"}};
  std::cout << "Train kwargs: " << SentencePieceTrainer::Train(kwargs).ok() << "\n";
  sentencepiece::SentencePieceProcessor kw;
  std::cout << "Load: " << kw.Load(dir + "/kwargs.model").ok() << "\n";
  PrintModel("kwargs", kw, lines);

  // From an iterator, into memory.
  VectorIterator it(lines);
  std::string serialized;
  const auto status = SentencePieceTrainer::Train(
      "--model_type=word --vocab_size=100 --normalization_rule_name=identity --minloglevel=1", &it,
      &serialized);
  std::cout << "Train iterator: " << status.ok() << " " << !serialized.empty() << "\n";
  sentencepiece::SentencePieceProcessor mem;
  std::cout << "LoadFromSerializedProto: " << mem.LoadFromSerializedProto(serialized).ok() << "\n";
  PrintModel("iterator", mem, lines);

  // Errors.
  std::cout << "no input: "
            << SentencePieceTrainer::Train("--model_prefix=" + dir + "/x --minloglevel=1").ok()
            << "\n";
  std::cout << "unknown flag: "
            << SentencePieceTrainer::Train("--input=" + input + " --model_prefix=" + dir +
                                           "/x --no_such_flag=1 --minloglevel=1")
                   .ok()
            << "\n";
  return 0;
}
