#include "common/prefetch.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

// The CPUID answer agrees with what the kernel reports: the x86 flag
// "3dnowprefetch" is the same CPUID bit (80000001h ECX bit 8).
TEST(PrefetchTest, WritePrefetchMatchesCpuinfo) {
#if !(defined(__x86_64__) || defined(__i386__))
  GTEST_SKIP() << "x86 only: elsewhere the compiler's prefetch is used as is";
#else
  std::ifstream in("/proc/cpuinfo");
  if (!in) GTEST_SKIP() << "no /proc/cpuinfo";
  std::string line;
  bool found_flags = false;
  bool has = false;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    found_flags = true;
    std::istringstream words(line.substr(line.find(':') + 1));
    std::string flag;
    while (words >> flag) has |= flag == "3dnowprefetch";
    break;
  }
  ASSERT_TRUE(found_flags);
  EXPECT_EQ(WritePrefetchAvailable(), has);
#endif
}

// A hint never changes memory or faults, wherever it points in a buffer.
TEST(PrefetchTest, LeavesMemoryAsItWas) {
  std::vector<char> buffer(4096);
  for (size_t i = 0; i < buffer.size(); ++i) buffer[i] = static_cast<char>(i * 7);
  for (size_t i = 0; i < buffer.size(); i += 64) PrefetchForWrite(buffer.data() + i);
  for (size_t i = 0; i < buffer.size(); ++i) ASSERT_EQ(buffer[i], static_cast<char>(i * 7));
}

}  // namespace
}  // namespace sentencepiece
