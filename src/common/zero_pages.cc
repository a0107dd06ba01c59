#include "common/zero_pages.h"

#include <sys/mman.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace sentencepiece {
namespace {

// Maps `bytes` (a multiple of kHugePageBytes) at a 2 MB boundary: one
// huge page more is mapped, and the unaligned ends are given back.
void* MapAligned(size_t bytes, int extra_flags = 0) {
  const size_t padded = bytes + kHugePageBytes;
  void* raw = mmap(nullptr, padded, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | extra_flags, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const auto start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = HugePageCeil(start);
  if (aligned > start) munmap(raw, aligned - start);
  const size_t tail = start + padded - (aligned + bytes);
  if (tail > 0) munmap(reinterpret_cast<void*>(aligned + bytes), tail);
  return reinterpret_cast<void*>(aligned);
}

}  // namespace

void* MapZeroPages(size_t bytes, bool populate, bool huge) {
  if (!huge) {
    const int flags = MAP_PRIVATE | MAP_ANONYMOUS | (populate ? MAP_POPULATE : 0);
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, flags, -1, 0);
    return p == MAP_FAILED ? nullptr : p;
  }
  void* p = MapAligned(bytes);
  if (p == nullptr) return nullptr;
#ifdef MADV_HUGEPAGE
  madvise(p, bytes, MADV_HUGEPAGE);  // A hint: without it, 4 KB pages.
#endif
  // (MADV_POPULATE_WRITE would do the same in one call, on kernels from
  // 5.14 only.)
  if (populate) WriteZeroPages(p, bytes);
  return p;
}

namespace {
std::atomic<bool> tables_from_heap{false};
}  // namespace

void SetTablesFromHeap(bool on) { tables_from_heap.store(on, std::memory_order_relaxed); }

bool TablesFromHeap() { return tables_from_heap.load(std::memory_order_relaxed); }

void* AllocateZeroedFromHeap(size_t bytes) {
  constexpr size_t kAlign = 64;
  void* p = std::aligned_alloc(kAlign, (bytes + kAlign - 1) / kAlign * kAlign);
  if (p != nullptr) std::memset(p, 0, bytes);
  return p;
}

void FreeFromHeap(void* p) { std::free(p); }

void WriteZeroPages(void* p, size_t bytes) {
  auto* memory = static_cast<volatile char*>(p);
  for (size_t i = 0; i < bytes; i += 4096) memory[i] = 0;
}

void* ReserveZeroPages(size_t bytes, size_t huge_from) {
  void* p = MapAligned(bytes, MAP_NORESERVE);
  if (p == nullptr) return nullptr;
#ifdef MADV_HUGEPAGE
  if (huge_from < bytes) madvise(static_cast<char*>(p) + huge_from, bytes - huge_from, MADV_HUGEPAGE);
#endif
  return p;
}

void UnmapZeroPages(void* p, size_t bytes) {
  if (p != nullptr) munmap(p, bytes);
}

}  // namespace sentencepiece
