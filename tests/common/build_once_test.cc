#include "common/build_once.h"

#include <atomic>
#include <future>
#include <memory>
#include <thread>

#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

TEST(BuildOnceTest, TryGetDoesNotWaitForAnotherThreadsBuild) {
  BuildOnce<int> table;
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> builds{0};
  std::thread builder([&] {
    const int* v = table.Get([&] {
      ++builds;
      started.set_value();
      released.wait();
      return std::make_unique<int>(7);
    });
    EXPECT_EQ(*v, 7);
  });
  started.get_future().wait();
  // The build is under way: TryGet() neither waits nor builds a second
  // time.
  auto never = [&] {
    ++builds;
    return std::make_unique<int>(8);
  };
  EXPECT_EQ(table.TryGet(never), nullptr);
  EXPECT_FALSE(table.done());
  release.set_value();
  builder.join();
  EXPECT_TRUE(table.done());
  ASSERT_NE(table.TryGet(never), nullptr);
  EXPECT_EQ(*table.TryGet(never), 7);
  EXPECT_EQ(*table.Get(never), 7);
  EXPECT_EQ(builds.load(), 1);
}

TEST(BuildOnceTest, TryGetBuildsWhenNobodyElseIs) {
  BuildOnce<int> table;
  int builds = 0;
  auto build = [&] {
    ++builds;
    return std::make_unique<int>(3);
  };
  ASSERT_NE(table.TryGet(build), nullptr);
  EXPECT_EQ(*table.TryGet(build), 3);
  EXPECT_EQ(builds, 1);
}

TEST(BuildOnceTest, ANullBuildIsFinal) {
  BuildOnce<int> table;
  int builds = 0;
  auto build = [&] {
    ++builds;
    return std::unique_ptr<int>();
  };
  EXPECT_EQ(table.Get(build), nullptr);
  EXPECT_TRUE(table.done());
  EXPECT_EQ(table.Get(build), nullptr);
  EXPECT_EQ(table.TryGet(build), nullptr);
  EXPECT_EQ(builds, 1);
}

}  // namespace
}  // namespace sentencepiece
