#include "common/cpu_count.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

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

// This process's cgroup CPU quota (0: none; v2, else v1), read once: the
// files cost ~20 us, and the batch API asks for the CPU count at every
// call.
int ProcessCpuQuota() {
  static const int quota = [] {
    const auto self = ReadOrNothing("/proc/self/cgroup");
    if (!self) return 0;
    const int v2 = CgroupCpuQuota(*self, [](const std::string& path) {
      return ReadOrNothing("/sys/fs/cgroup/" + path);
    });
    if (v2 > 0) return v2;
    const auto mountinfo = ReadOrNothing("/proc/self/mountinfo");
    return mountinfo ? CgroupV1CpuQuota(*self, *mountinfo, ReadOrNothing) : 0;
  }();
  return quota;
}

// The parts of `text` between `sep` characters (lines, comma lists).
std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  for (size_t pos = 0; pos <= text.size();) {
    size_t end = text.find(sep, pos);
    if (end == std::string_view::npos) end = text.size();
    parts.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return parts;
}

// Whether comma-separated `list` has `item`.
bool ListHas(std::string_view list, std::string_view item) {
  const std::vector<std::string_view> items = Split(list, ',');
  return std::find(items.begin(), items.end(), item) != items.end();
}

// `limit` (0: none yet) with quota `q` (0: none) taken into account.
int Tighter(int limit, int q) { return q > 0 && (limit == 0 || q < limit) ? q : limit; }

// A whole number of CPUs for a quota and period in microseconds, rounded
// up; 0 for no quota (-1) or nonsense.
int CpusOf(long long quota, long long period) {
  if (quota <= 0 || period <= 0) return 0;
  return static_cast<int>(std::min<long long>((quota + period - 1) / period, 1 << 20));
}

// The integer a cgroup file holds, if that is all it holds (but spaces).
std::optional<long long> NumberIn(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  std::istringstream in(*text);
  long long n;
  std::string rest;
  if (!(in >> n) || (in >> rest)) return std::nullopt;
  return n;
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
  if (end == quota.c_str() || *end != '\0') return 0;
  return CpusOf(q, period);
}

}  // namespace

int CgroupCpuQuota(std::string_view proc_self_cgroup,
                   const std::function<std::optional<std::string>(const std::string&)>& read) {
  // The v2 entry is the line "0::<path>".
  std::string path;
  for (std::string_view line : Split(proc_self_cgroup, '\n')) {
    if (line.substr(0, 3) == "0::") {
      path = std::string(line.substr(3));
      break;
    }
  }
  if (path.empty() || path[0] != '/') return 0;
  // The process's cgroup, then each ancestor up to the root.
  int limit = 0;
  while (true) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    const std::string dir = path == "/" ? "" : path.substr(1) + "/";
    if (const auto text = read(dir + "cpu.max")) limit = Tighter(limit, QuotaOf(*text));
    if (path == "/") break;
    path.erase(path.rfind('/'));
    if (path.empty()) path = "/";
  }
  return limit;
}

int CgroupV1CpuQuota(std::string_view proc_self_cgroup, std::string_view mountinfo,
                     const std::function<std::optional<std::string>(const std::string&)>& read) {
  // The cgroup of the `cpu` controller: a line "<id>:<controllers>:<path>".
  std::string path;
  for (std::string_view line : Split(proc_self_cgroup, '\n')) {
    const size_t a = line.find(':');
    const size_t b = a == std::string_view::npos ? a : line.find(':', a + 1);
    if (b != std::string_view::npos && ListHas(line.substr(a + 1, b - a - 1), "cpu")) {
      path = std::string(line.substr(b + 1));
      break;
    }
  }
  if (path.empty() || path[0] != '/') return 0;
  // Its mount: "<id> <parent> <dev> <root> <mount point> <options> [<tag>...]
  // - cgroup <source> <super options>", `cpu` among the super options.
  std::string root, mount;
  for (std::string_view line : Split(mountinfo, '\n')) {
    const size_t dash = line.find(" - ");
    if (dash == std::string_view::npos) continue;
    std::istringstream after{std::string(line.substr(dash + 3))};
    std::string fstype, source, options;
    if (!(after >> fstype >> source >> options) || fstype != "cgroup" || !ListHas(options, "cpu")) {
      continue;
    }
    std::istringstream before{std::string(line.substr(0, dash))};
    std::string id, parent, dev;
    if (before >> id >> parent >> dev >> root >> mount) break;
    root.clear();
    mount.clear();
  }
  if (mount.empty() || root.empty()) return 0;
  // The mount shows cgroup `root` (a container's own, often): the
  // process's cgroup below it, or, when the process's path is not inside it
  // (a namespaced view), the mount point itself.
  std::string rel;
  if (root == "/") {
    rel = path;
  } else if (path.compare(0, root.size(), root) == 0 &&
             (path.size() == root.size() || path[root.size()] == '/')) {
    rel = path.substr(root.size());
  }
  while (!rel.empty() && rel.back() == '/') rel.pop_back();
  int limit = 0;
  while (true) {
    const std::string dir = mount + rel + "/";
    const auto quota = NumberIn(read(dir + "cpu.cfs_quota_us"));
    const auto period = NumberIn(read(dir + "cpu.cfs_period_us"));
    if (quota && period) limit = Tighter(limit, CpusOf(*quota, *period));
    if (rel.empty()) break;
    rel.erase(rel.rfind('/'));
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
