// See reference_oracle.h.

#include "reference_oracle.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include "sentencepiece_model.pb.h"

namespace sentencepiece {
namespace testing {
namespace {

std::string FindOnPath(const std::string& tool) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path == nullptr ? "" : path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + tool;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// Single-quotes `arg` for /bin/sh.
std::string Quote(std::string_view arg) {
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Runs `command` with stdout and stderr sent to `log_path`; on failure the
// status carries the log.
absl::Status Run(const std::string& command, const std::string& log_path) {
  const std::string full = command + " >" + Quote(log_path) + " 2>&1";
  const int rc = std::system(full.c_str());
  if (rc == 0) return absl::OkStatus();
  absl::StatusOr<std::string> log = ReadFileBytes(log_path);
  return absl::InternalError("command failed (" + std::to_string(rc) +
                             "): " + command + "\n" +
                             (log.ok() ? *log : std::string("(no log)")));
}

}  // namespace

bool ReferenceToolsAvailable() {
  return !FindOnPath("spm_train").empty() &&
         !FindOnPath("spm_normalize").empty();
}

ScratchDir::ScratchDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "spm_charsmap_XXXXXX").string();
  if (mkdtemp(pattern.data()) != nullptr) dir_ = pattern;
}

ScratchDir::~ScratchDir() {
  if (dir_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string ScratchDir::Path(const std::string& name) const {
  return dir_ + "/" + name;
}

absl::StatusOr<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("cannot open " + path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

absl::Status WriteFileBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  out.close();
  if (!out) return absl::InternalError("cannot write " + path);
  return absl::OkStatus();
}

absl::StatusOr<std::string> CharsmapOfModel(const std::string& model_path) {
  absl::StatusOr<std::string> bytes = ReadFileBytes(model_path);
  if (!bytes.ok()) return bytes.status();
  ModelProto model;
  if (!model.ParseFromString(*bytes)) {
    return absl::DataLossError("cannot parse model " + model_path);
  }
  return model.normalizer_spec().precompiled_charsmap();
}

absl::StatusOr<std::string> ReferenceCharsmap(
    const ScratchDir& dir, const std::string& normalization_flag) {
  const std::string corpus = dir.Path("corpus.txt");
  absl::Status status =
      WriteFileBytes(corpus, "hello world 0123456789\nThe quick brown fox\n");
  if (!status.ok()) return status;
  const std::string prefix = dir.Path("ref");
  status = Run(FindOnPath("spm_train") + " --input=" + Quote(corpus) +
                   " --model_prefix=" + Quote(prefix) +
                   " --model_type=char --vocab_size=100"
                   " --hard_vocab_limit=false --minloglevel=2 " +
                   Quote(normalization_flag),
               dir.Path("spm_train.log"));
  if (!status.ok()) return status;
  return CharsmapOfModel(prefix + ".model");
}

absl::StatusOr<std::string> ReferenceDecompile(const ScratchDir& dir,
                                               const std::string& source_flag) {
  const std::string output = dir.Path("decompiled.tsv");
  absl::Status status =
      Run(FindOnPath("spm_normalize") + " " + Quote(source_flag) +
              " --decompile --output=" + Quote(output),
          dir.Path("spm_normalize.log"));
  if (!status.ok()) return status;
  return ReadFileBytes(output);
}

std::string SharedModelsDir() {
  // testdata/models holds byte-identical copies of the shared models
  // (testdata/README.md), so these tests run on a clone without ../shared.
  const std::filesystem::path dir = std::filesystem::path(SPM_TESTDATA_DIR) / "models";
  std::error_code ignored;
  return std::filesystem::is_directory(dir, ignored) ? dir.string() : "";
}

}  // namespace testing
}  // namespace sentencepiece
