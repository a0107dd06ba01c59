// The shared part of the model mutation test (model_mutation.h): the
// fixture, its instantiation for every bundled model, and the helpers.

#include "model_mutation.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>

#include "fuzz_util.h"

namespace sentencepiece {
namespace model_mutation {

namespace fs = std::filesystem;

double Budget() {
  const char* env = std::getenv("SPM_MUTATION_BUDGET");
  const double b = env != nullptr ? std::atof(env) : 1.0;
  return b > 0 ? b : 1.0;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

fs::path ModelPath(const std::string& name) {
  return fs::path(SPM_TESTDATA_DIR) / "models" / (name + ".model");
}

namespace {

bool ReadVarint(const std::string& s, size_t* pos, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *pos < s.size(); shift += 7) {
    const auto b = static_cast<unsigned char>(s[(*pos)++]);
    *v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

// The names of testdata/models/*.model, sorted, restricted to
// $SPM_MUTATION_MODELS if set.
std::vector<std::string> ModelNamesInTestdata() {
  std::set<std::string> only;
  if (const char* env = std::getenv("SPM_MUTATION_MODELS"); env != nullptr && *env) {
    std::string s = env;
    for (size_t start = 0; start <= s.size();) {
      size_t comma = s.find(',', start);
      if (comma == std::string::npos) comma = s.size();
      only.insert(s.substr(start, comma - start));
      start = comma + 1;
    }
  }
  std::vector<std::string> names;
  const fs::path dir = fs::path(SPM_TESTDATA_DIR) / "models";
  if (!fs::is_directory(dir)) return names;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".model") continue;
    const std::string name = e.path().stem().string();
    if (only.empty() || only.count(name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

std::vector<Field> TopLevelFields(const std::string& s) {
  std::vector<Field> fields;
  size_t pos = 0;
  while (pos < s.size()) {
    const size_t begin = pos;
    uint64_t tag, len;
    if (!ReadVarint(s, &pos, &tag) || (tag & 7) != 2 || !ReadVarint(s, &pos, &len)) break;
    pos += len;
    fields.push_back({static_cast<int>(tag >> 3), begin, std::min(pos, s.size())});
  }
  return fields;
}

void LoadAndUse(std::string_view bytes, const std::string& what, Stats* stats) {
  fuzz::SetContext(what, "");
  if (const char* keep = std::getenv("SPM_MUTATION_KEEP"); keep != nullptr && *keep) {
    std::ofstream(keep, std::ios::binary).write(bytes.data(), bytes.size());
  }
  SentencePieceProcessor sp;
  const util::Status s = sp.LoadFromSerializedProto(bytes);
  ++stats->variants;
  if (!s.ok()) {
    FUZZ_CHECK(
        s.code() == util::StatusCode::kInvalidArgument || s.code() == util::StatusCode::kInternal,
        "unexpected load error: " + s.ToString());
    FUZZ_CHECK(std::string(s.message()).size() > 0, "load error without a message");
    FUZZ_CHECK(!sp.status().ok(), "a failed load left the processor loaded");
    return;
  }
  ++stats->loaded;
  fuzz::ExerciseLoadedModel(sp);
}

void ModelMutationTest::SetUp() {
  name_ = GetParam();
  bytes_ = ReadAll(ModelPath(name_));
  ASSERT_FALSE(bytes_.empty());
  ASSERT_TRUE(proto_.ParseFromString(bytes_));
  large_ = bytes_.size() > kSmallModelBytes * Budget();
  slim_ = proto_;
  if (large_ && slim_.pieces_size() > kSlimPieces) {
    slim_.mutable_pieces()->DeleteSubrange(kSlimPieces, slim_.pieces_size() - kSlimPieces);
  }
  slim_bytes_ = large_ ? slim_.SerializeAsString() : bytes_;
  // Full counts up to 64 KB, fewer above.
  scale_ = std::min(1.0, kSmallModelBytes / static_cast<double>(slim_bytes_.size()));
  start_ = std::chrono::steady_clock::now();
}

void ModelMutationTest::Report(const char* kind, const Stats& s) {
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::printf("%s %s: %d variants, %d loaded, %.1f s\n", name_.c_str(), kind, s.variants,
              s.loaded, secs);
  RecordProperty("variants", s.variants);
  RecordProperty("loaded", s.loaded);
}

int ModelMutationTest::Count(int full, int minimum) const {
  return std::max(minimum, static_cast<int>(full * Budget() * scale_));
}

// The tests (TEST_P in the three test files) for every model.
INSTANTIATE_TEST_SUITE_P(Models, ModelMutationTest, ::testing::ValuesIn(ModelNamesInTestdata()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace model_mutation
}  // namespace sentencepiece
