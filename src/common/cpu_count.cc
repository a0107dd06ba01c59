#include "common/cpu_count.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <thread>
#include <utility>

#include "common/file_io.h"

#if defined(__linux__)
#include <sched.h>
#endif

namespace sentencepiece {
namespace {

std::optional<std::string> ReadOrNothing(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return std::nullopt;
  return *std::move(text);
}

// This process's cgroup v2 CPU quota (0: none), read once: the files cost
// ~20 us, and the batch API asks for the CPU count at every call.
int ProcessCpuQuota() {
  static const int quota = [] {
    const auto self = ReadOrNothing("/proc/self/cgroup");
    if (!self) return 0;
    return CgroupCpuQuota(*self, [](const std::string& path) {
      return ReadOrNothing("/sys/fs/cgroup/" + path);
    });
  }();
  return quota;
}

// "quota period" of a cpu.max file, in CPUs rounded up; 0 for "max" or
// anything else.
int QuotaOf(const std::string& cpu_max) {
  std::istringstream in(cpu_max);
  std::string quota;
  int64_t period = 0;
  if (!(in >> quota >> period) || quota == "max" || period <= 0) return 0;
  char* end = nullptr;
  const long long q = std::strtoll(quota.c_str(), &end, 10);
  if (end == quota.c_str() || *end != '\0' || q <= 0) return 0;
  const long long cpus = (q + period - 1) / period;
  return static_cast<int>(std::min<long long>(cpus, 1 << 20));
}

}  // namespace

int CgroupCpuQuota(std::string_view proc_self_cgroup,
                   const std::function<std::optional<std::string>(const std::string&)>& read) {
  // The v2 entry is the line "0::<path>".
  std::string path;
  for (size_t pos = 0; pos < proc_self_cgroup.size() && path.empty();) {
    size_t nl = proc_self_cgroup.find('\n', pos);
    if (nl == std::string_view::npos) nl = proc_self_cgroup.size();
    const std::string_view line = proc_self_cgroup.substr(pos, nl - pos);
    if (line.substr(0, 3) == "0::") path = std::string(line.substr(3));
    pos = nl + 1;
  }
  if (path.empty() || path[0] != '/') return 0;
  // The process's cgroup, then each ancestor up to the root.
  int limit = 0;
  while (true) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    const std::string dir = path == "/" ? "" : path.substr(1) + "/";
    if (const auto text = read(dir + "cpu.max")) {
      const int q = QuotaOf(*text);
      if (q > 0) limit = limit == 0 ? q : std::min(limit, q);
    }
    if (path == "/") break;
    path.erase(path.rfind('/'));
    if (path.empty()) path = "/";
  }
  return limit;
}

int UsableCpus() {
  int cpus = 0;
#if defined(__linux__)
  // (A machine with more CPUs than cpu_set_t holds, 1024, fails here with
  // EINVAL and falls through.)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) cpus = CPU_COUNT(&set);
#endif
  if (cpus <= 0) cpus = static_cast<int>(std::thread::hardware_concurrency());
#if defined(__linux__)
  const int quota = ProcessCpuQuota();
  if (quota > 0 && (cpus <= 0 || quota < cpus)) cpus = quota;
#endif
  return std::max(cpus, 1);
}

}  // namespace sentencepiece
