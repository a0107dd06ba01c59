// How many CPUs this process may use.

#ifndef SPM_SRC_COMMON_CPU_COUNT_H_
#define SPM_SRC_COMMON_CPU_COUNT_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sentencepiece {

// The CPUs in the calling thread's affinity mask (what `taskset` or a
// container's cpuset allows; what `nproc` prints), or, where that cannot be
// read, the machine's hardware threads; fewer if the process's cgroup (v2,
// or else v1) has a CPU quota (a container's `--cpus`, a Kubernetes CPU
// limit): the
// quota rounded up (read once per process; the mask at every call). At
// least 1. Thread pools sized by std::thread::hardware_concurrency() alone
// oversubscribe a process pinned to, or allowed, fewer cores than the
// machine has.
int UsableCpus();

// The CPU quota of a cgroup v2 hierarchy, in whole CPUs rounded up: the
// smallest over the process's cgroup and its ancestors of
// cpu.max's quota / period; 0 when none sets one. `proc_self_cgroup` is
// the text of /proc/self/cgroup; `read(path)` reads a file under the
// cgroup mount (path relative to it, e.g. "a/b/cpu.max"), or nullopt.
int CgroupCpuQuota(std::string_view proc_self_cgroup,
                   const std::function<std::optional<std::string>(const std::string&)>& read);

// The same for a cgroup v1 `cpu` hierarchy (older hosts and container
// runtimes): the smallest cpu.cfs_quota_us / cpu.cfs_period_us of the
// process's cgroup and its ancestors up to where the hierarchy is mounted,
// rounded up; 0 when none sets one. `mountinfo` is the text of
// /proc/self/mountinfo (where the hierarchy is mounted, and which cgroup
// the mount shows: a container sees its own cgroup at the mount point);
// `read(path)` reads an absolute path, or nullopt.
int CgroupV1CpuQuota(std::string_view proc_self_cgroup, std::string_view mountinfo,
                     const std::function<std::optional<std::string>(const std::string&)>& read);

}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_CPU_COUNT_H_
