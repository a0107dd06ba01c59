#include "common/zero_pages.h"

#include <sys/mman.h>

namespace sentencepiece {

void* MapZeroPages(size_t bytes, bool populate) {
  const int flags = MAP_PRIVATE | MAP_ANONYMOUS | (populate ? MAP_POPULATE : 0);
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, flags, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

void UnmapZeroPages(void* p, size_t bytes) {
  if (p != nullptr) munmap(p, bytes);
}

}  // namespace sentencepiece
