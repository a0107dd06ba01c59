#include "common/cpu_count.h"

#include <sched.h>

#include <map>
#include <optional>
#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

TEST(UsableCpusTest, AtLeastOneAndAtMostTheMachine) {
  const int n = UsableCpus();
  EXPECT_GE(n, 1);
  if (std::thread::hardware_concurrency() > 0) {
    EXPECT_LE(n, static_cast<int>(std::thread::hardware_concurrency()));
  }
}

// A thread pinned to one CPU (as `taskset -c 0` pins a process) counts one,
// whatever the machine has.
TEST(UsableCpusTest, FollowsTheAffinityMask) {
  int seen = 0;
  bool pinned = false;
  std::thread t([&] {
    cpu_set_t all;
    CPU_ZERO(&all);
    if (sched_getaffinity(0, sizeof(all), &all) != 0) return;
    int first = 0;
    while (first < CPU_SETSIZE && !CPU_ISSET(first, &all)) ++first;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    pinned = sched_setaffinity(0, sizeof(one), &one) == 0;
    seen = UsableCpus();
  });
  t.join();
  ASSERT_TRUE(pinned);
  EXPECT_EQ(seen, 1);
}

// cpu.max files of a fake cgroup v2 mount.
int QuotaWith(const std::string& proc_self_cgroup, const std::map<std::string, std::string>& files) {
  return CgroupCpuQuota(proc_self_cgroup, [&](const std::string& path) -> std::optional<std::string> {
    const auto it = files.find(path);
    if (it == files.end()) return std::nullopt;
    return it->second;
  });
}

TEST(CgroupCpuQuotaTest, SmallestQuotaOfTheCgroupAndItsAncestors) {
  const std::string self = "12:cpu,cpuacct:/old\n0::/kubepods/pod1/c1\n";
  // No file, or "max": no quota.
  EXPECT_EQ(QuotaWith(self, {}), 0);
  EXPECT_EQ(QuotaWith(self, {{"kubepods/pod1/c1/cpu.max", "max 100000\n"}}), 0);
  // 1.5 CPUs round up to 2.
  EXPECT_EQ(QuotaWith(self, {{"kubepods/pod1/c1/cpu.max", "150000 100000\n"}}), 2);
  // An ancestor's smaller quota wins; the root's file counts too.
  EXPECT_EQ(QuotaWith(self, {{"kubepods/pod1/c1/cpu.max", "400000 100000\n"},
                             {"kubepods/cpu.max", "100000 100000\n"}}),
            1);
  EXPECT_EQ(QuotaWith("0::/\n", {{"cpu.max", "300000 100000"}}), 3);
  // Malformed files and no v2 line are ignored.
  EXPECT_EQ(QuotaWith(self, {{"kubepods/pod1/c1/cpu.max", "lots 100000"}}), 0);
  EXPECT_EQ(QuotaWith(self, {{"kubepods/pod1/c1/cpu.max", "100000 0"}}), 0);
  EXPECT_EQ(QuotaWith("1:cpu:/a\n", {{"a/cpu.max", "100000 100000"}}), 0);
}

// Files of a fake cgroup v1 `cpu` mount, by absolute path.
int V1QuotaWith(const std::string& proc_self_cgroup, const std::string& mountinfo,
                const std::map<std::string, std::string>& files) {
  return CgroupV1CpuQuota(proc_self_cgroup, mountinfo,
                          [&](const std::string& path) -> std::optional<std::string> {
                            const auto it = files.find(path);
                            if (it == files.end()) return std::nullopt;
                            return it->second;
                          });
}

TEST(CgroupCpuQuotaTest, VersionOneQuotaBelowItsMount) {
  const std::string host_mounts =
      "25 19 0:22 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory\n"
      "26 19 0:23 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 - cgroup cgroup "
      "rw,cpu,cpuacct\n";
  const std::string self = "5:memory:/job\n4:cpu,cpuacct:/batch/job\n0::/\n";
  const std::string dir = "/sys/fs/cgroup/cpu,cpuacct/batch/job/";
  EXPECT_EQ(V1QuotaWith(self, host_mounts, {}), 0);
  // -1: no quota.
  EXPECT_EQ(V1QuotaWith(self, host_mounts,
                        {{dir + "cpu.cfs_quota_us", "-1\n"}, {dir + "cpu.cfs_period_us", "100000\n"}}),
            0);
  EXPECT_EQ(V1QuotaWith(self, host_mounts,
                        {{dir + "cpu.cfs_quota_us", "250000\n"},
                         {dir + "cpu.cfs_period_us", "100000\n"}}),
            3);
  // An ancestor's smaller quota wins, up to the mount point.
  EXPECT_EQ(V1QuotaWith(self, host_mounts,
                        {{dir + "cpu.cfs_quota_us", "400000"},
                         {dir + "cpu.cfs_period_us", "100000"},
                         {"/sys/fs/cgroup/cpu,cpuacct/batch/cpu.cfs_quota_us", "50000"},
                         {"/sys/fs/cgroup/cpu,cpuacct/batch/cpu.cfs_period_us", "100000"}}),
            1);
  // A container sees its own cgroup at the mount point (the mount's root
  // is the process's cgroup, or the process's path is namespaced to "/").
  const std::string container_mounts =
      "1210 1203 0:23 /docker/abc /sys/fs/cgroup/cpu ro,nosuid - cgroup cgroup rw,cpu,cpuacct\n";
  const std::map<std::string, std::string> at_mount = {
      {"/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "200000"},
      {"/sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000"}};
  EXPECT_EQ(V1QuotaWith("4:cpu,cpuacct:/docker/abc\n", container_mounts, at_mount), 2);
  EXPECT_EQ(V1QuotaWith("4:cpu,cpuacct:/\n", container_mounts, at_mount), 2);
  // No `cpu` controller line, or no such mount (cpuacct alone is not cpu).
  EXPECT_EQ(V1QuotaWith("4:cpuacct:/docker/abc\n", container_mounts, at_mount), 0);
  EXPECT_EQ(V1QuotaWith("4:cpu,cpuacct:/docker/abc\n",
                        "1 0 0:23 /docker/abc /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpuacct\n",
                        at_mount),
            0);
  // Malformed numbers are ignored.
  EXPECT_EQ(V1QuotaWith("4:cpu:/\n", container_mounts,
                        {{"/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "2e5"},
                         {"/sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000"}}),
            0);
}

}  // namespace
}  // namespace sentencepiece
