// Our spm_normalize against the reference SentencePiece 0.1.97's, run as
// programs on the same arguments and inputs; outputs must be identical byte
// for byte. Inputs: one line per code point U+0001..U+10FFFF (all of them,
// assigned or not, minus surrogates and the newline), combining-mark and
// jamo sequences (normalize_inputs.h), and every shared corpus
// (../shared/data/corpora). Also: --decompile, rule TSVs, flag priority,
// real models, and models carrying blobs that we built and the reference
// never shipped. The tests skip without the reference tools.
//
// Bool flags are written --flag=true: before a file name, the reference
// takes the name as the flag's value (and, not being a bool, drops both),
// while our flag parser keeps it as an input file (tools/flags.h).

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "normalize_inputs.h"
#include "reference_oracle.h"
#include "sentencepiece_model.pb.h"
#include "trainer/builtin_rules.h"

namespace sentencepiece {
namespace {

namespace fs = std::filesystem;
using ::sentencepiece::testing::ReadFileBytes;
using ::sentencepiece::testing::ScratchDir;
using ::sentencepiece::testing::SharedModelsDir;
using ::sentencepiece::testing::WriteFileBytes;
using ::testing::HasSubstr;

const char kOurs[] = SPM_NORMALIZE_BINARY;

// `tool` on PATH, skipping our own build of it; "" if not found.
std::string FindReference(const std::string& tool) {
  std::error_code ignored;
  const fs::path ours = fs::weakly_canonical(kOurs, ignored);
  const char* path = std::getenv("PATH");
  std::string dirs = path == nullptr ? "" : path;
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const fs::path candidate = fs::path(dirs.substr(start, end - start)) / tool;
    start = end + 1;
    if (!fs::is_regular_file(candidate, ignored)) continue;
    if (fs::weakly_canonical(candidate, ignored) == ours) continue;
    return candidate.string();
  }
  return "";
}

std::string Quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct ToolRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `binary args...` with stdout and stderr captured in `dir`.
ToolRun RunTool(const std::string& binary, const std::vector<std::string>& args,
            const ScratchDir& dir) {
  std::string command = Quote(binary);
  for (const std::string& arg : args) command += " " + Quote(arg);
  const std::string out = dir.Path("stdout"), err = dir.Path("stderr");
  command += " >" + Quote(out) + " 2>" + Quote(err) + " </dev/null";
  ToolRun run;
  const int status = std::system(command.c_str());
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = ReadFileBytes(out).value_or("");
  run.err = ReadFileBytes(err).value_or("");
  return run;
}

class NormalizeToolTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    reference_ = FindReference("spm_normalize");
    trainer_ = FindReference("spm_train");
    if (reference_.empty()) return;
    inputs_ = new ScratchDir;
    code_points_ = inputs_->Path("code_points.txt");
    marks_ = inputs_->Path("marks.txt");
    ASSERT_TRUE(WriteFileBytes(code_points_, testing::CodePointLines()).ok());
    ASSERT_TRUE(WriteFileBytes(marks_, testing::CombiningSequenceLines()).ok());
    // The shared corpora when they are beside the checkout (CI), else the
    // 200-line samples of each in testdata/text/sample.
    fs::path corpora = fs::path(SPM_TESTDATA_DIR) / ".." / ".." / "shared" / "data" / "corpora";
    std::error_code ignored;
    if (!fs::is_directory(corpora, ignored)) corpora = fs::path(SPM_TESTDATA_DIR) / "text" / "sample";
    if (fs::is_directory(corpora, ignored)) {
      for (const auto& entry : fs::directory_iterator(corpora)) {
        if (entry.path().extension() == ".txt") corpora_.push_back(entry.path().string());
      }
      std::sort(corpora_.begin(), corpora_.end());
    }
  }

  static void TearDownTestSuite() {
    delete inputs_;
    inputs_ = nullptr;
  }

  void SetUp() override {
    if (reference_.empty()) GTEST_SKIP() << "reference spm_normalize not found";
  }

  // code points + marks + corpora.
  static std::vector<std::string> AllInputs() {
    std::vector<std::string> files = {code_points_, marks_};
    files.insert(files.end(), corpora_.begin(), corpora_.end());
    return files;
  }

  // A few corpora: the first, a CJK one and the multilingual one, if present.
  static std::vector<std::string> SomeCorpora() {
    std::vector<std::string> some;
    for (const std::string& c : corpora_) {
      if (some.empty() || c.find("ja_") != std::string::npos ||
          c.find("multi_") != std::string::npos) {
        some.push_back(c);
      }
    }
    return some;
  }

  // Runs both tools with `args` followed by `files`; both must succeed with
  // the same output. Differences are reported per input line.
  void ExpectSameOutput(const std::vector<std::string>& args,
                        const std::vector<std::string>& files = {}) {
    std::vector<std::string> all = args;
    all.insert(all.end(), files.begin(), files.end());
    ScratchDir dir;
    const ToolRun expected = RunTool(reference_, all, dir);
    ASSERT_EQ(expected.exit_code, 0) << "reference failed: " << expected.err;
    const ToolRun ours = RunTool(kOurs, all, dir);
    ASSERT_EQ(ours.exit_code, 0) << "ours failed: " << ours.err;
    if (ours.out == expected.out) return;
    ReportDifferences(all, files, expected.out, ours.out);
  }

  static void ReportDifferences(const std::vector<std::string>& args,
                                const std::vector<std::string>& files,
                                const std::string& expected, const std::string& ours) {
    std::vector<std::string> input;
    for (const std::string& file : files) {
      for (std::string& line : testing::SplitLines(ReadFileBytes(file).value_or(""))) {
        input.push_back(std::move(line));
      }
    }
    const std::vector<std::string> want = testing::SplitLines(expected);
    const std::vector<std::string> got = testing::SplitLines(ours);
    std::string report;
    int differing = 0;
    for (size_t i = 0; i < std::max(want.size(), got.size()); ++i) {
      const std::string w = i < want.size() ? want[i] : "<missing>";
      const std::string g = i < got.size() ? got[i] : "<missing>";
      if (w == g) continue;
      if (++differing > 10) continue;
      report += "\n  line " + std::to_string(i + 1) + " input [" +
                (i < input.size() ? testing::DescribeCodePoints(input[i]) : "?") +
                "]: reference [" + testing::DescribeCodePoints(w) + "] ours [" +
                testing::DescribeCodePoints(g) + "]";
    }
    std::string command;
    for (const std::string& arg : args) command += " " + arg;
    ADD_FAILURE() << differing << " lines differ (" << want.size() << " vs " << got.size()
                  << " lines) for spm_normalize" << command << report;
  }

  static std::string reference_;
  static std::string trainer_;
  static ScratchDir* inputs_;
  static std::string code_points_;
  static std::string marks_;
  static std::vector<std::string> corpora_;
};

std::string NormalizeToolTest::reference_;
std::string NormalizeToolTest::trainer_;
ScratchDir* NormalizeToolTest::inputs_ = nullptr;
std::string NormalizeToolTest::code_points_;
std::string NormalizeToolTest::marks_;
std::vector<std::string> NormalizeToolTest::corpora_;

// ------------------------------------------------------------ named rules

class NormalizeByNameTest : public NormalizeToolTest,
                            public ::testing::WithParamInterface<std::string> {};

TEST_P(NormalizeByNameTest, AllCodePointsMarksAndCorpora) {
  ExpectSameOutput({"--normalization_rule_name=" + GetParam()}, AllInputs());
}

TEST_P(NormalizeByNameTest, KeepingWhitespace) {
  ExpectSameOutput({"--normalization_rule_name=" + GetParam(), "--remove_extra_whitespaces=false"},
                   {code_points_, marks_});
}

TEST_P(NormalizeByNameTest, InternalNormalization) {
  std::vector<std::string> files = SomeCorpora();
  files.push_back(marks_);
  ExpectSameOutput({"--normalization_rule_name=" + GetParam(), "--use_internal_normalization=true"},
                   files);
}

INSTANTIATE_TEST_SUITE_P(ReferenceNames, NormalizeByNameTest,
                         ::testing::Values("nmt_nfkc", "nfkc", "nmt_nfkc_cf", "nfkc_cf",
                                           "identity"));

class DecompileByNameTest : public NormalizeToolTest,
                            public ::testing::WithParamInterface<std::string> {};

TEST_P(DecompileByNameTest, SameTsvAsReference) {
  ScratchDir dir;
  const std::string expected_file = dir.Path("expected.tsv"), ours_file = dir.Path("ours.tsv");
  const std::string flag = "--normalization_rule_name=" + GetParam();
  ASSERT_EQ(RunTool(reference_, {flag, "--decompile", "--output=" + expected_file}, dir).exit_code,
            0);
  const ToolRun ours = RunTool(kOurs, {flag, "--decompile", "--output=" + ours_file}, dir);
  ASSERT_EQ(ours.exit_code, 0) << ours.err;
  const std::string expected = ReadFileBytes(expected_file).value_or("<none>");
  EXPECT_TRUE(ReadFileBytes(ours_file).value_or("") == expected) << "decompiled tables differ";
  // Without --output, to stdout.
  EXPECT_TRUE(RunTool(kOurs, {flag, "--decompile"}, dir).out == expected);
}

INSTANTIATE_TEST_SUITE_P(ReferenceNames, DecompileByNameTest,
                         ::testing::Values("nmt_nfkc", "nfkc", "nmt_nfkc_cf", "nfkc_cf"));

TEST_F(NormalizeToolTest, DecompilingIdentityFailsWithAClearMessage) {
  ScratchDir dir;
  std::vector<std::vector<std::string>> cases = {{"--normalization_rule_name=identity"}};
  const std::string models = SharedModelsDir();
  if (!models.empty()) cases.push_back({"--model=" + models + "/llama2.model"});
  for (std::vector<std::string> args : cases) {
    args.push_back("--decompile");
    EXPECT_NE(RunTool(reference_, args, dir).exit_code, 0) << args[0];
    const ToolRun ours = RunTool(kOurs, args, dir);
    EXPECT_EQ(ours.exit_code, 1) << args[0];
    EXPECT_THAT(ours.err, HasSubstr("has no rules (empty precompiled_charsmap)")) << args[0];
    EXPECT_EQ(ours.out, "");
  }
}

// ------------------------------------------- TSV rules, models, priority

TEST_F(NormalizeToolTest, RuleTsv) {
  const std::string tsv = "--normalization_rule_tsv=" + std::string(SPM_TESTDATA_DIR) +
                          "/rules/basic.tsv";
  std::vector<std::string> files = SomeCorpora();
  files.push_back(marks_);
  ExpectSameOutput({tsv}, files);
  ExpectSameOutput({tsv, "--remove_extra_whitespaces=false"}, files);
  ExpectSameOutput({tsv, "--use_internal_normalization=true"}, files);
  // The TSV wins over a name.
  ExpectSameOutput({"--normalization_rule_name=nfkc_cf", tsv}, files);
  ExpectSameOutput({tsv, "--decompile"});
}

TEST_F(NormalizeToolTest, SharedModels) {
  const std::string models = SharedModelsDir();
  if (models.empty()) GTEST_SKIP() << "shared models not found";
  std::vector<std::string> files = SomeCorpora();
  files.push_back(marks_);
  // Older nmt_nfkc and nfkc blobs, and an identity model.
  for (const char* model : {"albert_spiece.model", "bpemb_en_vs100000.model", "llama2.model"}) {
    const std::string flag = "--model=" + models + "/" + model;
    ExpectSameOutput({flag}, files);
    ExpectSameOutput({flag, "--use_internal_normalization=true"}, files);
    // The model wins over a name and a TSV.
    ExpectSameOutput({"--normalization_rule_name=nfkc_cf", flag,
                      "--normalization_rule_tsv=" + std::string(SPM_TESTDATA_DIR) +
                          "/rules/basic.tsv"},
                     {marks_});
  }
  ExpectSameOutput({"--model=" + models + "/albert_spiece.model", "--decompile"});
}

TEST_F(NormalizeToolTest, InputFlagAndStdin) {
  ScratchDir dir;
  const std::vector<std::string> corpora = SomeCorpora();
  if (corpora.empty()) GTEST_SKIP() << "no corpora";
  // --input wins over positional files.
  ExpectSameOutput({"--normalization_rule_name=nfkc", "--input=" + corpora[0], marks_});
  // stdin when no file is given.
  const std::string command_tail = " --normalization_rule_name=nmt_nfkc <" + Quote(marks_);
  const std::string expected_file = dir.Path("expected"), ours_file = dir.Path("ours");
  ASSERT_EQ(std::system((Quote(reference_) + command_tail + " >" + expected_file).c_str()), 0);
  ASSERT_EQ(std::system((Quote(kOurs) + command_tail + " >" + ours_file).c_str()), 0);
  EXPECT_TRUE(ReadFileBytes(ours_file).value() == ReadFileBytes(expected_file).value());
}

TEST_F(NormalizeToolTest, Errors) {
  ScratchDir dir;
  EXPECT_NE(RunTool(reference_, {"--normalization_rule_name=nfkd"}, dir).exit_code, 0);
  ToolRun ours = RunTool(kOurs, {"--normalization_rule_name=nfkd"}, dir);
  EXPECT_EQ(ours.exit_code, 1);
  EXPECT_THAT(ours.err, HasSubstr("Not found: No precompiled charsmap is found: nfkd"));

  EXPECT_NE(RunTool(reference_, {}, dir).exit_code, 0);
  ours = RunTool(kOurs, {}, dir);
  EXPECT_EQ(ours.exit_code, 1);
  EXPECT_THAT(ours.err,
              HasSubstr("Sets --model, normalization_rule_tsv, or normalization_rule_name flag."));
}

// ----------------------------------------- models carrying our own blobs

// A reference-trained model whose charsmap is replaced by one we built,
// including Unicode 15 tables the reference never had: the reference's
// normalizer must produce exactly what ours does.
TEST_F(NormalizeToolTest, ModelWithOurCharsmapNormalizesTheSameInTheReference) {
  if (trainer_.empty()) GTEST_SKIP() << "reference spm_train not found";
  ScratchDir dir;
  ASSERT_TRUE(WriteFileBytes(dir.Path("corpus.txt"), "hello world\nthe quick brown fox\n").ok());
  const ToolRun trained = RunTool(trainer_,
                              {"--input=" + dir.Path("corpus.txt"),
                               "--model_prefix=" + dir.Path("ref"), "--model_type=char",
                               "--vocab_size=100", "--hard_vocab_limit=false", "--minloglevel=2"},
                              dir);
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  ModelProto model;
  ASSERT_TRUE(model.ParseFromString(ReadFileBytes(dir.Path("ref.model")).value()));

  for (const char* name : {"nmt_nfkc_cf_unicode15", "nfkc_unicode15", "nfkc_cf"}) {
    absl::StatusOr<std::string> blob = BuiltinCharsMap(name);
    ASSERT_TRUE(blob.ok()) << blob.status();
    model.mutable_normalizer_spec()->set_name(name);
    model.mutable_normalizer_spec()->set_precompiled_charsmap(*blob);
    const std::string path = dir.Path(std::string(name) + ".model");
    ASSERT_TRUE(WriteFileBytes(path, model.SerializeAsString()).ok());
    ExpectSameOutput({"--model=" + path}, AllInputs());
    ExpectSameOutput({"--model=" + path, "--use_internal_normalization=true"},
                     {marks_, code_points_});
    ExpectSameOutput({"--model=" + path, "--decompile"});
  }
}

}  // namespace
}  // namespace sentencepiece
