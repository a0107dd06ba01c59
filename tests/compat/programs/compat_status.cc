// A program written against SentencePiece 0.1.97's sentencepiece_processor.h:
// util::Status itself, and the errors the processor reports. It must compile
// unchanged against the reference's libsentencepiece-dev and against spm,
// and print the same.
//
//   compat_status UNIGRAM_MODEL BPE_MODEL
//
// Not exercised, because spm deliberately differs (see
// sentencepiece_status.h): Status(kOk, msg) (an error in the reference),
// operator== between two distinct error statuses (the reference compares
// pointers), set_error_message() on an OK status (an unset code in the
// reference). For most processor errors only ok() and the key phrase of the
// message are compared: the reference prefixes its messages with its source
// file, line and condition, and reports kInternal where spm uses the
// canonical code (kInvalidArgument, kUnimplemented).

#include <iostream>
#include <string>
#include <vector>

#include "sentencepiece_processor.h"

using sentencepiece::SentencePieceProcessor;
using sentencepiece::util::Status;
using sentencepiece::util::StatusCode;

namespace {

void Print(const std::string& what, const Status& s) {
  std::cout << what << ": ok=" << s.ok() << " code=" << static_cast<int>(s.code()) << " ["
            << s.ToString() << "] message=[" << s.message() << "] error_message=["
            << s.error_message() << "]\n";
}

// For errors whose code and message prefix differ by design: ok() and
// whether the message says `phrase`.
void PrintError(const std::string& what, const Status& s, const std::string& phrase) {
  std::cout << what << ": ok=" << s.ok() << " says [" << phrase
            << "]: " << (std::string(s.message()).find(phrase) != std::string::npos) << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: compat_status UNIGRAM_MODEL BPE_MODEL\n";
    return 2;
  }

  // ---- the class
  Status ok;
  Print("default", ok);
  for (int code = 1; code <= 16; ++code) {
    Print("code " + std::to_string(code), Status(static_cast<StatusCode>(code), "some message"));
  }
  Status error(StatusCode::kNotFound, "missing");
  Status copy(error);
  Print("copy", copy);
  Status assigned;
  assigned = error;
  Print("assigned", assigned);
  assigned = ok;
  Print("assigned ok", assigned);
  std::cout << "ok==ok " << (ok == Status()) << " ok!=ok " << (ok != Status()) << " ok==error "
            << (ok == error) << " ok!=error " << (ok != error) << " error==itself "
            << (error == error) << "\n";
  error.set_error_message("changed");
  Print("set_error_message", error);
  error.IgnoreError();
  Status empty_message(StatusCode::kInternal, "");
  Print("empty message", empty_message);

  // ---- errors from the processor
  SentencePieceProcessor unloaded;
  PrintError("status() before Load", unloaded.status(), "Model is not initialized.");
  std::vector<int> ids;
  std::vector<std::string> pieces;
  std::string text;
  PrintError("Encode before Load", unloaded.Encode("hello", &ids), "Model is not initialized.");
  PrintError("Decode before Load", unloaded.Decode(std::vector<int>{1, 2}, &text),
             "Model is not initialized.");
  PrintError("SetEncodeExtraOptions before Load", unloaded.SetEncodeExtraOptions("bos"),
             "Model is not initialized.");
  std::cout << "EncodeAsIds before Load: " << unloaded.EncodeAsIds("hello").size() << "\n";
  std::cout << "EncodeAsPieces before Load: " << unloaded.EncodeAsPieces("hello").size() << "\n";
  std::cout << "DecodeIds before Load: [" << unloaded.DecodeIds({1, 2}) << "]\n";
  std::cout << "EncodeAsImmutableProto before Load: "
            << unloaded.EncodeAsImmutableProto("hello").pieces_size() << "\n";
  std::cout << "GetPieceSize before Load: " << unloaded.GetPieceSize() << "\n";

  const Status missing = unloaded.Load("/nonexistent/dir/file.model");
  PrintError("Load missing file", missing,
             "\"/nonexistent/dir/file.model\": No such file or directory");
  std::cout << "  code=" << static_cast<int>(missing.code()) << "\n";
  PrintError("LoadFromSerializedProto garbage", unloaded.LoadFromSerializedProto("not a model"),
             "");

  SentencePieceProcessor sp;
  Print("Load", sp.Load(argv[1]));
  PrintError("SetEncodeExtraOptions bad", sp.SetEncodeExtraOptions("bos:nonsense"),
             "option \"nonsense\" is not available.");
  Print("SetEncodeExtraOptions ok", sp.SetEncodeExtraOptions("bos:eos"));
  Print("SetEncodeExtraOptions reset", sp.SetEncodeExtraOptions(""));
  PrintError("SetDecodeExtraOptions bad", sp.SetDecodeExtraOptions("xyz"),
             "option \"xyz\" is not available.");
  Print("Decode bad id", sp.Decode(std::vector<int>{5, 1000000}, &text));
  Print("Decode negative id", sp.Decode(std::vector<int>{-1}, &text));
  std::cout << "DecodeIds bad id: [" << sp.DecodeIds({5, 1000000}) << "]\n";
  Print("Decode unknown piece", sp.Decode(std::vector<std::string>{"no-such-piece", "▁a"}, &text));
  std::cout << "  -> [" << text << "]\n";
  std::vector<std::vector<int>> nbest;
  Print("NBestEncode ok", sp.NBestEncode("hello world", 3, &nbest));
  PrintError("SampleEncode nbest_size too large", sp.SampleEncode("hello", 1000, 0.5, &ids),
             "nbest_size must be nbest_size <= 512");
  float entropy = 0;
  Print("CalculateEntropy", sp.CalculateEntropy("hello", 0.5, &entropy));

  SentencePieceProcessor bpe;
  Print("Load bpe", bpe.Load(argv[2]));
  PrintError("NBestEncode on bpe", bpe.NBestEncode("hello world", 3, &nbest),
             "NBestEncode is not available for the current model.");
  std::vector<std::pair<std::vector<int>, float>> scored;
  PrintError("SampleEncodeAndScore on bpe",
             bpe.SampleEncodeAndScore("hello world", 3, 0.5, true, false, &scored),
             "SampleEncodeAndScore is not available for the current model.");
  PrintError("CalculateEntropy on bpe", bpe.CalculateEntropy("hello", 0.5, &entropy),
             "CalculateEntropy is not available for the current model.");
  std::cout << "NBestEncodeAsImmutableProto on bpe: "
            << bpe.NBestEncodeAsImmutableProto("hello", 3).nbests_size() << "\n";
  return 0;
}
