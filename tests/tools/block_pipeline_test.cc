// ProcessBlocks(): every line once, in input order, on one thread or
// several, and the `prepare` step run once, overlapping the first blocks
// when another thread can run it. InputBytes(): the input's size, stdin's
// included when it is a file.

#include "block_pipeline.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "common/file_io.h"

namespace sentencepiece {
namespace {

class BlockPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir();
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    stem_ = dir_ + "/block_pipeline_" + info->name();
  }

  // A file of `lines` numbered lines (~16 bytes each).
  std::string WriteInput(int lines) {
    const std::string path = stem_ + ".in";
    std::ofstream f(path, std::ios::binary);
    for (int i = 0; i < lines; ++i) f << "line " << i << " of " << lines << "\n";
    return path;
  }

  std::string ReadAll(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }

  // Runs ProcessBlocks with fn = copy each block, and returns the output.
  std::string Run(const std::string& input, int threads, const BlockFn& fn,
                  const std::function<void()>& prepare) {
    const std::string out_path = stem_ + ".out";
    auto out = OutputFile::Open(out_path);
    EXPECT_TRUE(out.ok());
    ProcessBlocks("block_pipeline_test", {input}, threads, fn, out->get(), prepare);
    EXPECT_TRUE((*out)->Close().ok());
    return ReadAll(out_path);
  }

  std::string dir_;
  std::string stem_;
};

const BlockFn kCopy = [](std::string_view block, std::string* out) { out->append(block); };

TEST_F(BlockPipelineTest, EveryLineInOrderWithPrepareRunOnce) {
  // One block, several blocks (~4 MB: 256 KB blocks), and none at all.
  for (const int lines : {3, 250000, 0}) {
    const std::string input = WriteInput(lines);
    for (const int threads : {1, 2, 4}) {
      std::atomic<int> prepared{0};
      const std::string got = Run(input, threads, kCopy, [&prepared] { ++prepared; });
      EXPECT_EQ(got, ReadAll(input)) << lines << " lines, " << threads << " threads";
      EXPECT_EQ(prepared.load(), 1) << lines << " lines, " << threads << " threads";
    }
  }
}

TEST_F(BlockPipelineTest, OneThreadPreparesBeforeTheFirstBlock) {
  const std::string input = WriteInput(100000);
  std::atomic<bool> prepared{false};
  std::atomic<int> blocks_before{0};
  const BlockFn fn = [&](std::string_view block, std::string* out) {
    if (!prepared.load()) ++blocks_before;
    out->append(block);
  };
  EXPECT_EQ(Run(input, 1, fn, [&prepared] { prepared = true; }), ReadAll(input));
  EXPECT_EQ(blocks_before.load(), 0);
}

TEST_F(BlockPipelineTest, SeveralThreadsEncodeWhilePrepareRuns) {
  // prepare() waits (up to 30 s) for a block to be encoded: it returns at
  // once only if another thread encodes meanwhile.
  const std::string input = WriteInput(250000);
  std::mutex mu;
  std::condition_variable cv;
  bool encoded = false;
  bool overlapped = false;
  const BlockFn fn = [&](std::string_view block, std::string* out) {
    {
      std::lock_guard<std::mutex> lock(mu);
      encoded = true;
    }
    cv.notify_all();
    out->append(block);
  };
  auto prepare = [&] {
    std::unique_lock<std::mutex> lock(mu);
    overlapped = cv.wait_for(lock, std::chrono::seconds(30), [&] { return encoded; });
  };
  EXPECT_EQ(Run(input, 2, fn, prepare), ReadAll(input));
  EXPECT_TRUE(overlapped);
}

TEST_F(BlockPipelineTest, NoPrepareStep) {
  const std::string input = WriteInput(50000);
  for (const int threads : {1, 2}) {
    EXPECT_EQ(Run(input, threads, kCopy, nullptr), ReadAll(input)) << threads << " threads";
  }
}

// Runs `fn` with stdin reading `fd` (closed after), then puts stdin back.
template <typename Fn>
void WithStdin(int fd, Fn fn) {
  const int saved = dup(STDIN_FILENO);
  ASSERT_GE(saved, 0);
  ASSERT_EQ(dup2(fd, STDIN_FILENO), STDIN_FILENO);
  close(fd);
  fn();
  dup2(saved, STDIN_FILENO);
  close(saved);
}

TEST_F(BlockPipelineTest, InputBytesOfFilesAndOfStdin) {
  const std::string input = WriteInput(1000);
  const uint64_t size = ReadAll(input).size();
  EXPECT_EQ(InputBytes({input}), size);
  EXPECT_EQ(InputBytes({input, input}), 2 * size);
  EXPECT_EQ(InputBytes({stem_ + ".missing"}), std::nullopt);

  // stdin redirected from the file (`spm_encode < file`): what is left of
  // it from its offset; with a named file, the sum.
  const int fd = open(input.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(lseek(fd, 100, SEEK_SET), 100);
  WithStdin(fd, [&] {
    EXPECT_EQ(InputBytes({""}), size - 100);
    EXPECT_EQ(InputBytes({input, ""}), 2 * size - 100);
  });

  // stdin from a pipe: no size.
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  WithStdin(pipe_fds[0], [&] {
    EXPECT_EQ(InputBytes({""}), std::nullopt);
    EXPECT_EQ(InputBytes({input, ""}), std::nullopt);
  });
  close(pipe_fds[1]);
}

}  // namespace
}  // namespace sentencepiece
