// How many CPUs this process may use.

#ifndef SPM_SRC_COMMON_CPU_COUNT_H_
#define SPM_SRC_COMMON_CPU_COUNT_H_

namespace sentencepiece {

// The CPUs in the calling thread's affinity mask (what `taskset` or a
// container's cpuset allows; what `nproc` prints), or, where that cannot be
// read, the machine's hardware threads; at least 1. Thread pools sized by
// std::thread::hardware_concurrency() alone oversubscribe a process pinned
// to fewer cores than the machine has.
int UsableCpus();

}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_CPU_COUNT_H_
