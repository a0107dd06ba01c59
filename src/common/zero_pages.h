// Zeroed arrays whose pages cost nothing until touched.
//
// Large, sparsely used tables (the BPE pair cache, the normalizer's
// per-character cache) are mapped straight from the kernel rather than
// taken from malloc: each page is mapped on its first touch, so a workload
// pays only for the pages it uses. calloc gives the same for large blocks
// only under glibc's default settings; a process may tune malloc to serve
// large blocks from its heap (the command-line tools back the heap with huge
// pages, see tools/heap_setup.cc), where a first touch would clear 2 MB.

#ifndef SPM_SRC_COMMON_ZERO_PAGES_H_
#define SPM_SRC_COMMON_ZERO_PAGES_H_

#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <utility>

namespace sentencepiece {

// The size of a transparent huge page on x86-64 (and of MapZeroPages()'s
// huge mappings on every target).
constexpr size_t kHugePageBytes = size_t{2} << 20;
// Address `a` rounded down, and up, to a huge-page boundary.
constexpr uintptr_t HugePageFloor(uintptr_t a) { return a & ~uintptr_t{kHugePageBytes - 1}; }
constexpr uintptr_t HugePageCeil(uintptr_t a) { return HugePageFloor(a + kHugePageBytes - 1); }

// Maps `bytes` (> 0) of zeroed memory; nullptr on failure. With
// `populate`, every page is mapped (writable) up front instead.
//
// With `huge` (REQUIRES: bytes is a multiple of kHugePageBytes), the
// mapping is aligned to 2 MB and marked for transparent huge pages: the
// first touch of each 2 MB maps and clears all of it (~90 us on the first
// development VM, 0.14-2.5 ms on a later one) instead of one 4 KB page
// (~2 us there, ~10 us on the later one; 512 times for the same memory). For memory that
// will be touched all over anyway (a busy hash table, an arena being
// filled) that saves most of the faults and TLB misses; and in a process
// with several threads each fault on a page first read as the shared zero
// page ends in a TLB flush on every core, an interrupt (on a VM, an exit
// to the hypervisor) per page. Where huge pages are disabled the mapping
// keeps 4 KB pages.
void* MapZeroPages(size_t bytes, bool populate = false, bool huge = false);
// Reserves `bytes` (a multiple of kHugePageBytes) of zeroed address space at
// a 2 MB boundary without committing memory to it (MAP_NORESERVE: a large
// reservation is not refused where memory is overcommitted heuristically);
// each page is mapped on its first touch, in huge pages (where enabled)
// from offset `huge_from` (a multiple of kHugePageBytes) on. nullptr on
// failure. Released with UnmapZeroPages(p, bytes).
void* ReserveZeroPages(size_t bytes, size_t huge_from);
// Unmaps what MapZeroPages(bytes, ...) returned (nullptr is ignored).
void UnmapZeroPages(void* p, size_t bytes);
// Writes a zero into each 4 KB page of zeroed memory [p, p + bytes), so
// that every page is mapped writable (one fault per 2 MB where the memory
// is in huge pages); the contents stay zero.
void WriteZeroPages(void* p, size_t bytes);

// Whether tables that will be written all over (the word caches' slot
// tables) should come from malloc rather than from their own mappings:
// set by a process whose heap keeps what is freed, in huge pages
// (tools/heap_setup.cc). There, memory a model load freed (a unigram
// trie's build takes ~6 MB for a moment under ALBERT) is paged in
// already, and a table put there costs a memset instead of fresh pages.
// Fresh memory is what costs on a VM whose host takes back free memory
// (see docs/runtime.md): each fresh huge page waits for the host to back
// it again, 4-7 ms. Off by default (a library's caller owns its heap).
void SetTablesFromHeap(bool on);
bool TablesFromHeap();
// `bytes` of zeroed memory from the heap (64-byte aligned), or nullptr;
// released with FreeFromHeap().
void* AllocateZeroedFromHeap(size_t bytes);
void FreeFromHeap(void* p);

// `n` zero-initialized elements of a type for which all-zero bytes are a
// valid value (integers, lock-free atomics of them).
template <typename T>
class ZeroPageArray {
  static_assert(std::is_trivially_destructible_v<T>, "elements are never destroyed");

 public:
  ZeroPageArray() = default;
  // Throws std::bad_alloc if the memory cannot be mapped. With `huge`
  // (REQUIRES: n * sizeof(T) a multiple of kHugePageBytes), in huge pages.
  explicit ZeroPageArray(size_t n, bool huge = false) : ZeroPageArray(TryAllocate(n, huge)) {
    if (n > 0 && data_ == nullptr) throw std::bad_alloc();
  }
  // The same, but empty (false) if the memory cannot be mapped.
  static ZeroPageArray TryAllocate(size_t n, bool huge = false) {
    ZeroPageArray a;
    if (n > 0 && n <= static_cast<size_t>(-1) / sizeof(T)) {
      // Zero bytes are a T.
      a.data_ = static_cast<T*>(MapZeroPages(n * sizeof(T), /*populate=*/false, huge));
      if (a.data_ != nullptr) a.bytes_ = n * sizeof(T);
    }
    return a;
  }
  // TryAllocate() for a table whose every part is likely to be touched, a
  // few bytes at a time (a per-character table over the characters of
  // Chinese or Japanese text, ~100 of its 130 pages): where
  // TablesFromHeap(), the elements come from the heap, zeroed by memset,
  // its pages present already or mapped 2 MB at a time, instead of a
  // fault on each 4 KB page first read and another on its first write
  // (~10-20 us each on a VM; ~200 of them were 2-3% of encoding 20 MB of
  // Japanese under ALBERT).
  static ZeroPageArray TryAllocateDense(size_t n) {
    if (!TablesFromHeap() || n == 0 || n > static_cast<size_t>(-1) / sizeof(T)) {
      return TryAllocate(n);
    }
    ZeroPageArray a;
    a.data_ = static_cast<T*>(AllocateZeroedFromHeap(n * sizeof(T)));
    if (a.data_ == nullptr) return TryAllocate(n);
    a.bytes_ = n * sizeof(T);
    a.heap_ = true;
    return a;
  }
  ~ZeroPageArray() {
    if (heap_) {
      FreeFromHeap(data_);
    } else {
      UnmapZeroPages(data_, bytes_);
    }
  }
  ZeroPageArray(ZeroPageArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        bytes_(std::exchange(other.bytes_, 0)),
        heap_(std::exchange(other.heap_, false)) {}
  ZeroPageArray& operator=(ZeroPageArray&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(bytes_, other.bytes_);
    std::swap(heap_, other.heap_);
    return *this;
  }
  ZeroPageArray(const ZeroPageArray&) = delete;
  ZeroPageArray& operator=(const ZeroPageArray&) = delete;

  T* get() const { return data_; }
  // Whether the elements came from the heap (TryAllocateDense(); for tests).
  bool from_heap() const { return heap_; }
  T& operator[](size_t i) const { return data_[i]; }
  explicit operator bool() const { return data_ != nullptr; }

 private:
  T* data_ = nullptr;
  size_t bytes_ = 0;
  bool heap_ = false;  // From AllocateZeroedFromHeap().
};

}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_ZERO_PAGES_H_
