// Prefetching a cache line that is about to be written.
//
// __builtin_prefetch(p, 1) asks for the line with intent to write, but
// GCC and Clang emit a write prefetch (x86's PREFETCHW) only for targets
// that are known to have it (-mprfchw, or an -march that includes it); for
// plain x86-64 they emit PREFETCHT0, a read. A line read that way arrives
// shared when another core holds it, and a compare-and-swap on it then
// waits for that core to give it up. PrefetchForWrite() asks for PREFETCHW
// where the CPU has it (nearly every x86-64 CPU since 2014; AMD's since
// the first), decided once per process, and falls back to the compiler's
// prefetch elsewhere. Like any prefetch it is only a hint: it never
// faults, and nothing but timing depends on it.

#ifndef SPM_SRC_COMMON_PREFETCH_H_
#define SPM_SRC_COMMON_PREFETCH_H_

namespace sentencepiece {

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__) && !defined(__PRFCHW__)
#define SPM_PREFETCHW_BY_CPUID 1
namespace prefetch_internal {
// Whether the CPU has PREFETCHW (CPUID 80000001h, ECX bit 8), set while
// the library is loaded.
extern const bool cpu_has_prefetchw;
}  // namespace prefetch_internal
#endif

// Whether PrefetchForWrite() issues a true write prefetch on this CPU
// (false where only the compiler's fallback is available; for tests).
bool WritePrefetchAvailable();

inline void PrefetchForWrite(const void* p) {
#if defined(SPM_PREFETCHW_BY_CPUID)
  if (prefetch_internal::cpu_has_prefetchw) {
    asm volatile("prefetchw %0" : : "m"(*static_cast<const char*>(p)));
    return;
  }
#endif
  __builtin_prefetch(p, 1);
}

}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_PREFETCH_H_
