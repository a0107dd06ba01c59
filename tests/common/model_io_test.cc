#include "common/model_io.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>

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

// SplitModelProto reads the pieces in place and the rest with protobuf:
// together they must equal a full parse.
TEST(SplitModelProtoTest, MatchesAFullParseOnRealModels) {
  for (const char* name : {"spm_test_model", "llama2", "albert_spiece", "unigram_rules",
                           "bpe_bytefb", "unigram_uds"}) {
    const std::string path = std::string(SPM_TESTDATA_DIR) + "/models/" + name + ".model";
    auto bytes = ReadFile(path);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    auto full = ParseModelProto(*bytes, path);
    ASSERT_TRUE(full.ok()) << full.status();
    ModelProto rest;
    RawPieces pieces;
    ASSERT_TRUE(SplitModelProto(*bytes, &rest, &pieces)) << name;
    EXPECT_EQ(rest.pieces_size(), 0);
    ModelProto without_pieces = **full;
    without_pieces.clear_pieces();
    EXPECT_EQ(rest.SerializeAsString(), without_pieces.SerializeAsString()) << name;
    ASSERT_EQ(pieces.size(), static_cast<size_t>((*full)->pieces_size())) << name;
    for (size_t i = 0; i < pieces.size(); ++i) {
      const auto& sp = (*full)->pieces(static_cast<int>(i));
      ASSERT_EQ(pieces.piece[i], sp.piece()) << name << " " << i;
      ASSERT_EQ(pieces.score[i], sp.score()) << name << " " << i;
      ASSERT_EQ(pieces.type[i], static_cast<uint8_t>(sp.type())) << name << " " << i;
      // In place: the views point into the bytes.
      ASSERT_GE(pieces.piece[i].data(), bytes->data());
      ASSERT_LE(pieces.piece[i].data() + pieces.piece[i].size(), bytes->data() + bytes->size());
    }
  }
}

TEST(SplitModelProtoTest, DefaultsAndLastValueWins) {
  ModelProto proto;
  proto.add_pieces()->set_piece("a");  // score 0, NORMAL
  auto* b = proto.add_pieces();
  b->set_piece("b");
  b->set_score(-1.5f);
  b->set_type(ModelProto::SentencePiece::CONTROL);
  std::string bytes = proto.SerializeAsString();
  // A second `piece` field in the first piece message would override; build
  // it by hand: field 1, length 6, { piece "x", piece "y" }.
  bytes += std::string("\x0a\x06\x0a\x01x\x0a\x01y", 8);
  ModelProto rest;
  RawPieces pieces;
  ASSERT_TRUE(SplitModelProto(bytes, &rest, &pieces));
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces.piece[0], "a");
  EXPECT_EQ(pieces.score[0], 0.0f);
  EXPECT_EQ(pieces[0].type, ModelProto::SentencePiece::NORMAL);
  EXPECT_EQ(pieces.score[1], -1.5f);
  EXPECT_EQ(pieces[1].type, ModelProto::SentencePiece::CONTROL);
  EXPECT_EQ(pieces.piece[2], "y");
}

TEST(SplitModelProtoTest, DeclinesWhatItDoesNotReadExactly) {
  ModelProto rest;
  RawPieces pieces;
  EXPECT_FALSE(SplitModelProto("", &rest, &pieces));
  EXPECT_FALSE(SplitModelProto("\xff\xff\xff\xff garbage", &rest, &pieces));
  // Truncated piece message.
  EXPECT_FALSE(SplitModelProto(std::string("\x0a\x05\x0a\x01x", 5), &rest, &pieces));
  // An unknown field (4) inside a piece: protobuf keeps it; we decline.
  EXPECT_FALSE(SplitModelProto(std::string("\x0a\x05\x0a\x01x\x20\x01", 7), &rest, &pieces));
  // An out-of-range type (99) goes to protobuf's unknown fields; we decline.
  EXPECT_FALSE(SplitModelProto(std::string("\x0a\x05\x0a\x01x\x18\x63", 7), &rest, &pieces));
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

// A symbolic link stays a link: the file it leads to is replaced.
TEST(FileIoTest, AtomicWriteThroughASymlinkKeepsTheLink) {
  const std::string dir = ::testing::TempDir();
  const std::string target = dir + "/symlink_target.txt";
  const std::string link = dir + "/symlink_to_target.txt";
  std::remove(link.c_str());
  ASSERT_TRUE(WriteFileAtomically(target, "old").ok());
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
  ASSERT_TRUE(WriteFileAtomically(link, "new").ok());
  struct stat st;
  ASSERT_EQ(lstat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  auto data = ReadFile(target);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, "new");
  std::remove(link.c_str());
  std::remove(target.c_str());
}

// What is neither a regular file nor a directory (a FIFO here; devices such
// as /dev/null alike) is written in place, not replaced by a renamed file.
TEST(FileIoTest, OutputToAFifoIsWrittenInPlace) {
  const std::string fifo = ::testing::TempDir() + "/output_fifo";
  std::remove(fifo.c_str());
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] {
    auto data = ReadFile(fifo);
    if (data.ok()) received = *data;
  });
  const absl::Status s = WriteFileAtomically(fifo, "through the pipe\n");
  reader.join();
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(received, "through the pipe\n");
  struct stat st;
  ASSERT_EQ(lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  std::remove(fifo.c_str());
}

// Sync() reports write errors and puts the data on disk without replacing
// the file: that waits for Close().
TEST(FileIoTest, SyncWritesOutButOnlyCloseReplaces) {
  const std::string path = ::testing::TempDir() + "/sync_test.txt";
  ASSERT_TRUE(WriteFileAtomically(path, "old").ok());
  auto out = OutputFile::Open(path);
  ASSERT_TRUE(out.ok());
  (*out)->Write("new");
  EXPECT_TRUE((*out)->Sync().ok());
  EXPECT_EQ(*ReadFile(path), "old");
  EXPECT_TRUE((*out)->Close().ok());
  EXPECT_EQ(*ReadFile(path), "new");
  std::remove(path.c_str());
  // A device written in place is not synced (it cannot be); its errors
  // show.
  auto full = OutputFile::Open("/dev/full");
  ASSERT_TRUE(full.ok());
  (*full)->Write("x");
  const absl::Status s = (*full)->Sync();
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr("/dev/full"));
  auto null = OutputFile::Open("/dev/null");
  ASSERT_TRUE(null.ok());
  (*null)->Write("x");
  EXPECT_TRUE((*null)->Sync().ok());
  EXPECT_TRUE((*null)->Close().ok());
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

TEST(FileIoTest, ReadBlockCutsAfterTheLineThatReachesTheMinimum) {
  // Lines of 1 to 300 bytes over several of the reader's 64 KB buffers,
  // the last one without '\n'.
  std::string text;
  for (int i = 0; text.size() < 300000; ++i) {
    text.append(static_cast<size_t>(i * 37 % 300), static_cast<char>('a' + i % 26));
    text += '\n';
  }
  text += "last";
  const std::string path = ::testing::TempDir() + "/blocks.txt";
  ASSERT_TRUE(WriteFileAtomically(path, text).ok());
  for (const size_t min_bytes : {size_t{1}, size_t{100}, size_t{16} << 10, size_t{100000}}) {
    SCOPED_TRACE(min_bytes);
    auto reader = LineReader::Open(path);
    ASSERT_TRUE(reader.ok());
    std::string all, block;
    while ((*reader)->ReadBlock(min_bytes, &block)) {
      ASSERT_FALSE(block.empty());
      const bool last = all.size() + block.size() == text.size();
      if (!last) {
        // Whole lines, at least min_bytes of them, and no line more than
        // the one that reached min_bytes.
        ASSERT_EQ(block.back(), '\n');
        ASSERT_GE(block.size(), min_bytes);
        const size_t before_last =
            block.size() < 2 ? std::string::npos : block.rfind('\n', block.size() - 2);
        const size_t last_line_start = before_last == std::string::npos ? 0 : before_last + 1;
        ASSERT_LT(last_line_start, min_bytes) << "a line after the one that reached the minimum";
      }
      all += block;
    }
    EXPECT_TRUE((*reader)->status().ok());
    EXPECT_EQ(all, text);
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace sentencepiece
