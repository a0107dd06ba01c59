// Test-only access to the reference SentencePiece 0.1.97 command-line tools
// (Debian's `spm_train` and `spm_normalize`), used as an oracle: expected
// blobs and TSVs always come from these tools, never from typed-in bytes.
//
// Every helper returns a Status so a test can fail with the tool's output;
// ReferenceToolsAvailable() lets tests skip when the tools are not installed.

#ifndef SPM_TESTS_TRAINER_REFERENCE_ORACLE_H_
#define SPM_TESTS_TRAINER_REFERENCE_ORACLE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sentencepiece {
namespace testing {

// True if both spm_train and spm_normalize are found on PATH.
bool ReferenceToolsAvailable();

// A fresh temporary directory, removed with its contents on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  // `name` inside the directory.
  std::string Path(const std::string& name) const;

 private:
  std::string dir_;
};

absl::StatusOr<std::string> ReadFileBytes(const std::string& path);
absl::Status WriteFileBytes(const std::string& path, const std::string& bytes);

// normalizer_spec.precompiled_charsmap of the model file at `model_path`.
absl::StatusOr<std::string> CharsmapOfModel(const std::string& model_path);

// Trains a tiny char model in `dir` with `normalization_flag` (for example
// "--normalization_rule_name=nfkc" or "--normalization_rule_tsv=/x.tsv") and
// returns the charsmap the reference compiled into it. Fails with the tool's
// log if spm_train fails.
absl::StatusOr<std::string> ReferenceCharsmap(
    const ScratchDir& dir, const std::string& normalization_flag);

// Runs `spm_normalize <source_flag> --decompile` and returns the TSV it
// writes; `source_flag` is "--model=..." or "--normalization_rule_name=...".
absl::StatusOr<std::string> ReferenceDecompile(const ScratchDir& dir,
                                               const std::string& source_flag);

// Directory of the shared real models (../shared/data/models next to the
// checkout); empty if absent.
std::string SharedModelsDir();

}  // namespace testing
}  // namespace sentencepiece

#endif  // SPM_TESTS_TRAINER_REFERENCE_ORACLE_H_
