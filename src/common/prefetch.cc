#include "common/prefetch.h"

#if defined(SPM_PREFETCHW_BY_CPUID)
#include <cpuid.h>
#endif

namespace sentencepiece {

#if defined(SPM_PREFETCHW_BY_CPUID)
namespace prefetch_internal {
namespace {
bool DetectPrefetchW() {
  unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
  // (__get_cpuid() checks that the extended leaf exists.)
  if (__get_cpuid(0x80000001u, &eax, &ebx, &ecx, &edx) == 0) return false;
  return (ecx & (1u << 8)) != 0;
}
}  // namespace

const bool cpu_has_prefetchw = DetectPrefetchW();
}  // namespace prefetch_internal

bool WritePrefetchAvailable() { return prefetch_internal::cpu_has_prefetchw; }
#elif defined(__PRFCHW__)
bool WritePrefetchAvailable() { return true; }
#else
bool WritePrefetchAvailable() { return false; }
#endif

}  // namespace sentencepiece
