#include "common/model_io.h"

#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "common/file_io.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

using ::testing::HasSubstr;

const std::string kModel = std::string(SPM_TESTDATA_DIR) + "/models/spm_test_model.model";

TEST(ModelIoTest, ReadsARealModel) {
  auto proto = ReadModelProto(kModel);
  ASSERT_TRUE(proto.ok()) << proto.status();
  EXPECT_EQ((*proto)->pieces_size(), 1000);
}

TEST(ModelIoTest, MissingFileIsNotFoundAndNamesTheFile) {
  auto proto = ReadModelProto("/nonexistent/dir/x.model");
  ASSERT_FALSE(proto.ok());
  EXPECT_EQ(proto.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(proto.status().message()), HasSubstr("/nonexistent/dir/x.model"));
}

TEST(ModelIoTest, EmptyPathEmptyBytesAndGarbageAreErrors) {
  EXPECT_FALSE(ReadModelProto("").ok());
  auto empty = ParseModelProto("", "empty");
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(std::string(empty.status().message()), HasSubstr("empty"));
  EXPECT_FALSE(ParseModelProto("\xff\xff\xff\xff garbage", "garbage").ok());
}

TEST(FileIoTest, AtomicWriteReplacesAndLeavesNoTemporaryFile) {
  const std::string dir = ::testing::TempDir();
  const std::string path = dir + "/atomic_write_test.txt";
  ASSERT_TRUE(WriteFileAtomically(path, "first").ok());
  ASSERT_TRUE(WriteFileAtomically(path, "second").ok());
  auto data = ReadFile(path);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, "second");
  // A directory that does not exist: an error naming the path, no file.
  const absl::Status s = WriteFileAtomically(dir + "/no/such/dir/f.txt", "x");
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr("no/such/dir/f.txt"));
  std::remove(path.c_str());
}

TEST(FileIoTest, LineReaderKeepsCarriageReturnsAndLastLine) {
  const std::string path = ::testing::TempDir() + "/lines.txt";
  ASSERT_TRUE(WriteFileAtomically(path, std::string("a\r\n\nb\0c\nlast", 12)).ok());
  auto reader = LineReader::Open(path);
  ASSERT_TRUE(reader.ok());
  std::vector<std::string> lines;
  std::string line;
  while ((*reader)->ReadLine(&line)) lines.push_back(line);
  EXPECT_EQ(lines, (std::vector<std::string>{"a\r", "", std::string("b\0c", 3), "last"}));
  std::remove(path.c_str());
}

}  // namespace
}  // namespace sentencepiece
