// spm_train's large blocks in transparent huge pages.
//
// Training builds and drops tables of tens to hundreds of megabytes in
// every phase (the sentences, their normalized copies, word counts, seed
// substrings, lattices), and spm_train maps each block of 1 MB or more on
// its own so that a freed table goes back to the system (tools/spm_train.cc).
// Each such block is fresh memory: in 4 KB pages, a page fault per 4 KB on
// first touch. A Unigram run on the 102 MB benchmark corpus took ~667,000
// faults, and on a VM each one exits to the hypervisor: the faults were
// ~10% of the run's CPU time. Marking a large block for transparent huge
// pages before it is touched (what glibc does itself when run with
// GLIBC_TUNABLES=glibc.malloc.hugetlb=1) maps and clears 2 MB per fault.
//
// The hook is the replaceable global operator new, defined in the tool
// only, never in a library: a program that links the trainer keeps its own
// allocator (and can set the glibc tunable above). Blocks still come from
// malloc and go back with free (the default operator delete), so nothing
// else changes. Under the sanitizers, whose runtimes define operator new
// themselves, this file defines nothing.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "train_heap.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define SPM_TRAIN_HEAP_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SPM_TRAIN_HEAP_SANITIZED 1
#endif

#if defined(__linux__) && defined(MADV_HUGEPAGE) && !defined(SPM_TRAIN_HEAP_SANITIZED)

namespace sentencepiece {

const bool kTrainHeapAdvisesHugePages = true;

namespace {

// Marks the whole 2 MB pages inside [p, p + n) for huge pages. (A block's
// first touch is by its owner, after operator new returns; malloc itself
// writes only the block's header, before it.)
void AdviseHugePages(void* p, size_t n) {
  const uintptr_t begin = HugePageCeil(reinterpret_cast<uintptr_t>(p));
  const uintptr_t end = HugePageFloor(reinterpret_cast<uintptr_t>(p) + n);
  // (Where huge pages are disabled the call fails and the pages stay small.)
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

}  // namespace
}  // namespace sentencepiece

// The standard's contract: retry through the new-handler, throw when there
// is none. operator new[] and the nothrow forms come here through
// libstdc++'s defaults.
void* operator new(std::size_t n) {
  if (n == 0) n = 1;
  while (true) {
    void* p = std::malloc(n);
    if (p != nullptr) {
      if (n >= sentencepiece::kTrainHeapHugeFrom) sentencepiece::AdviseHugePages(p, n);
      return p;
    }
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

#else

namespace sentencepiece {
const bool kTrainHeapAdvisesHugePages = false;
}  // namespace sentencepiece

#endif
