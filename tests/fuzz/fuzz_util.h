// Shared pieces of the fuzz targets in tests/fuzz: reading parameters from
// the fuzz input, the real models they run against (loaded once, lazily),
// and the invariants every target checks.
//
// A target's input starts with a few parameter bytes (which model, which
// options) followed by the payload (text, ids, model bytes). Seeds are made
// by tests/fuzz/make_seeds.py, which writes the same layout.
//
// A violated invariant prints what went wrong and aborts, which libFuzzer
// reports as a crash and the replay driver (fuzz_replay_main.cc) as a test
// failure.

#ifndef SPM_TESTS_FUZZ_FUZZ_UTIL_H_
#define SPM_TESTS_FUZZ_FUZZ_UTIL_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "encoder/processor.h"
#include "sentencepiece_processor.h"

namespace sentencepiece {
namespace fuzz {

// Reads parameters from the front of the fuzz input. Reading past the end
// yields zeros, so every input is usable.
class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size)
      : data_(reinterpret_cast<const char*>(data)), size_(size) {}

  uint8_t Byte() { return pos_ < size_ ? static_cast<uint8_t>(data_[pos_++]) : 0; }
  // The next N bytes, in order: the parameter bytes at the front of an input,
  //   const auto [selector, flags] = in.Bytes<2>();
  template <size_t N>
  std::array<uint8_t, N> Bytes() {
    std::array<uint8_t, N> bytes{};
    for (size_t i = 0; i < N; ++i) bytes[i] = Byte();
    return bytes;
  }
  // Little-endian; the reads are sequenced (operands of | are not).
  uint16_t U16() {
    const uint16_t low = Byte();
    return static_cast<uint16_t>(low | Byte() << 8);
  }
  uint32_t U32() {
    const uint32_t low = U16();
    return low | static_cast<uint32_t>(U16()) << 16;
  }
  // One of `choices`, picked by the next byte.
  template <typename T>
  T Pick(const std::vector<T>& choices) {
    return choices[Byte() % choices.size()];
  }
  // Up to `n` bytes.
  std::string_view Take(size_t n) {
    const size_t k = n < remaining() ? n : remaining();
    std::string_view s(data_ + pos_, k);
    pos_ += k;
    return s;
  }
  // Everything not read yet.
  std::string_view Rest() { return Take(remaining()); }
  size_t remaining() const { return size_ - pos_; }

 private:
  const char* data_;
  size_t size_;
  size_t pos_ = 0;
};

// The models the targets fuzz, by name (testdata/models/<name>.model). The
// list is fixed so that a seed or crash file means the same model on every
// checkout; models missing from testdata are skipped.
const std::vector<std::string>& ModelNames();

// The testdata directory: $SPM_TESTDATA_DIR, else the one compiled in.
std::string TestdataDir();

// The processor of model `selector % ModelNames().size()` (or the next one
// present), loaded on first use; nullptr only if no model is present. The
// caller may change its extra options.
SentencePieceProcessor* GetModel(uint8_t selector);
// The name of the model GetModel(selector) returns.
const std::string& GetModelName(uint8_t selector);
// GetModel(selector), with the context Fail() prints set to its name and
// `input` (SetContext); nullptr, the context left as it was, if no model is
// present.
SentencePieceProcessor* SelectModel(uint8_t selector, std::string_view input);

// ':'-joined encode/decode extra options picked by `bits`: up to four of
// bos, eos, reverse, unk in any order (some invalid words too, which must be
// rejected). Returns "" for bits == 0.
std::string ExtraOptions(uint8_t bits);

// The lines of `text` split at '\n' (its last one possibly empty), views
// into it.
std::vector<std::string_view> SplitLines(std::string_view text);

// Aborts with a message naming the check, the model and the input.
[[noreturn]] void Fail(std::string_view what, std::string_view detail);

#define FUZZ_CHECK(cond, detail)                                                 \
  do {                                                                           \
    if (!(cond)) ::sentencepiece::fuzz::Fail("FUZZ_CHECK(" #cond ")", (detail)); \
  } while (0)

// The context Fail() prints: set by each target before it checks anything.
void SetContext(std::string_view model, std::string_view input);

// Defines the libFuzzer entry point of a target as a call of `fn`, an
// int(FuzzInput& in) in namespace sentencepiece::fuzz that reads the input
// from its start and returns 0:
//   SPM_FUZZ_TARGET(FuzzEncode)
#define SPM_FUZZ_TARGET(fn)                                                   \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { \
    ::sentencepiece::fuzz::FuzzInput in(data, size);                          \
    return ::sentencepiece::fuzz::fn(in);                                     \
  }

// Checks that `tokens` (no extra options applied) are a segmentation of
// `normalized`: the pieces, with byte pieces read as their byte, concatenate
// to it; ids are in range and name their piece; offsets lie in [0,
// input_size] and do not decrease.
void CheckSegmentation(const Processor& p, std::string_view normalized, size_t input_size,
                       const std::vector<Token>& tokens);

// Checks a SentencePieceText from Encode(): pieces, ids and surfaces agree
// with `input` (offsets within it, surface == input[begin, end)).
void CheckEncodedText(const SentencePieceProcessor& sp, std::string_view input,
                      const SentencePieceText& spt);

// Checks that reading `serialized` gives back `spt`.
void CheckSerialized(const google::protobuf::MessageLite& spt, const std::string& serialized);

// Uses a loaded model the way an application would: a few lines encoded in
// every form (checked as above), n-best, sampled, scored, their entropy, every
// id decoded, accessors with ids out of range, extra options. For models
// that loaded from fuzzed or mutated bytes: nothing may crash, and Encode may
// fail only with Internal (pieces that cannot cover the text consistently).
void ExerciseLoadedModel(SentencePieceProcessor& sp);

}  // namespace fuzz
}  // namespace sentencepiece

#endif  // SPM_TESTS_FUZZ_FUZZ_UTIL_H_
