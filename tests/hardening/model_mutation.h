// Malformed models: every bundled model (testdata/models/*.model), cut short
// at many byte offsets (model_mutation_truncation_test.cc), with random byte
// flips (model_mutation_byte_flip_test.cc) and with random field edits
// through the generated ModelProto (model_mutation_field_edit_test.cc), must
// either load or fail with a status (InvalidArgument: not a ModelProto;
// Internal: a check failed). A variant that loads is then used
// (tests/fuzz/fuzz_util.h ExerciseLoadedModel): encoding in every form,
// n-best, sampling, decoding. The sanitizer build (scripts/sanitize.sh) runs
// this under ASan and UBSan.
//
// Models over 64 KB are mostly tested through a slim copy: their first 1000
// pieces and every other field as it is (the same specs, charsmaps and bytes
// after the pieces, but a variant costs milliseconds instead of a second),
// with fewer variants of the full model. Each test file gives its counts, at
// the default budget (SPM_MUTATION_BUDGET=1).
// SPM_MUTATION_BUDGET=<factor> multiplies the counts and the "small model"
// size (e.g. 10 for a long run; 0.1 for a quick one). SPM_MUTATION_MODELS
// (a comma-separated list of model names) restricts the models.
// SPM_MUTATION_KEEP=<file> keeps the variant being tested (see LoadAndUse).
//
// This header holds what the three share: the fixture ModelMutationTest,
// instantiated for every model in model_mutation.cc, and the helpers.

#ifndef SPM_TESTS_HARDENING_MODEL_MUTATION_H_
#define SPM_TESTS_HARDENING_MODEL_MUTATION_H_

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "sentencepiece_processor.h"

namespace sentencepiece {
namespace model_mutation {

// SPM_MUTATION_BUDGET, 1 if unset or not positive.
double Budget();

// The contents of a file ("" if it cannot be read).
std::string ReadAll(const std::filesystem::path& path);

// testdata/models/<name>.model.
std::filesystem::path ModelPath(const std::string& name);

// A top-level field of a serialized ModelProto: [begin, end) in the bytes.
struct Field {
  int number;
  size_t begin;
  size_t end;
};

// The top-level fields of well-formed model bytes (all length-delimited).
std::vector<Field> TopLevelFields(const std::string& s);

struct Stats {
  int variants = 0;
  int loaded = 0;
};

// Loads one variant; the status must be OK or a load error with a message.
// With SPM_MUTATION_KEEP=<file> set, each variant is written there before it
// is loaded, so the one that fails is left behind.
void LoadAndUse(std::string_view bytes, const std::string& what, Stats* stats);

// Sizes above which a model is mostly tested through its slim copy.
constexpr size_t kSmallModelBytes = 64 * 1024;
constexpr int kSlimPieces = 1000;

// One bundled model (the parameter: its name), its bytes and its slim copy.
class ModelMutationTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  // Prints and records the counts of one kind of variant.
  void Report(const char* kind, const Stats& s);
  // `full` scaled by the budget and, above 64 KB, the model's size; at
  // least `minimum`.
  int Count(int full, int minimum) const;
  // name_, with " (slim)" when the slim copy is not the model itself.
  std::string SlimLabel() const { return large_ ? name_ + " (slim)" : name_; }

  std::string name_;
  std::string bytes_;
  ModelProto proto_;
  bool large_ = false;
  ModelProto slim_;         // proto_ itself for small models.
  std::string slim_bytes_;  // bytes_ itself for small models.
  double scale_ = 1.0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace model_mutation
}  // namespace sentencepiece

#endif  // SPM_TESTS_HARDENING_MODEL_MUTATION_H_
