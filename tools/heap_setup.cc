#include "heap_setup.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "common/zero_pages.h"

#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace sentencepiece {

// A tool process loads one model, then encodes or decodes. The load builds
// ~2 MB of fresh tables (the model file's bytes, the piece columns, the
// piece index, ...), and fresh memory is the cost: every 4 KB page faults
// on first touch, ~1.5-2.5 us each on a VM, half of a llama2 load. So the
// main heap is grown once, up front, and its 2 MB-aligned part marked for
// transparent huge pages: a first touch then maps (and clears) 2 MB at once,
// ~0.1 ms instead of ~0.8 ms for the same memory in 4 KB pages. Blocks up to
// 32 MB come from this heap instead of separate mappings; large sparse
// tables map their own pages (common/zero_pages.h), while the word caches'
// slot tables, written all over, come from here (SetTablesFromHeap()):
// into the room the model load freed, paged in already. Where transparent
// huge pages are disabled the heap keeps 4 KB pages; only malloc's
// settings change.
//
// The reserve is 256 MB of address space (memory only where touched): an
// encode of a large input grows the heap well past 32 MB (word caches, the
// blocks in flight), and memory the heap grows by later is in 4 KB pages
// again. Encoding threads allocate from this heap too (one arena): each
// thread's own arena would be 4 KB pages, ~2,500 faults per thread on 20
// MB of English, and with several threads running each fault on a page
// first read as the zero page flushes the TLB of every core. (Small
// blocks come from each thread's tcache without the arena's lock.)
void SetUpToolHeap() {
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__SANITIZE_THREAD__)
  constexpr size_t kReserve = size_t{256} << 20;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest.
  mallopt(M_TRIM_THRESHOLD, 512 << 20);  // Keep the reserve when it is freed.
  mallopt(M_ARENA_MAX, 1);
  mallopt(M_TOP_PAD, static_cast<int>(kReserve));
  // A block kept forever pads the heap to about a huge-page boundary (it is
  // carved from the top of the heap, which may start a little below the
  // break), then a block allocated and freed grows the heap by its size
  // and the top pad, 286 MB in all, kept by the trim threshold. (A block
  // of the reserve's size would be mapped on its own: it is above the
  // mmap threshold.) The block's end is written before the madvise(), so
  // the 2 MB around it stays in small pages: 30 MB on, past the load's
  // tables and the word caches' slot tables (16 MB for 2^20 slots and the
  // smaller ones before them).
  const auto brk = reinterpret_cast<uintptr_t>(sbrk(0));
  const uintptr_t aligned = HugePageCeil(brk);
  const size_t pad =
      aligned - brk > 4096 ? aligned - brk - 64 : aligned - brk + kHugePageBytes - 64;
  void* volatile padding = std::malloc(pad);  // (volatile: not elided)
  (void)padding;
  void* volatile reserve = std::malloc(size_t{30} << 20);  // (Under the mmap threshold.)
  std::free(reserve);
  const uintptr_t end = HugePageFloor(reinterpret_cast<uintptr_t>(sbrk(0)));
  if (end > aligned) madvise(reinterpret_cast<void*>(aligned), end - aligned, MADV_HUGEPAGE);
  mallopt(M_TOP_PAD, 0);
  SetTablesFromHeap(true);
#endif
}

}  // namespace sentencepiece
