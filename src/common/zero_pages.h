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
#include <new>
#include <type_traits>
#include <utility>

namespace sentencepiece {

// Maps `bytes` (> 0) of zeroed memory; nullptr on failure. With
// `populate`, every page is mapped (writable) up front instead.
void* MapZeroPages(size_t bytes, bool populate = false);
// Unmaps what MapZeroPages(bytes) returned (nullptr is ignored).
void UnmapZeroPages(void* p, size_t bytes);

// `n` zero-initialized elements of a type for which all-zero bytes are a
// valid value (integers, lock-free atomics of them).
template <typename T>
class ZeroPageArray {
  static_assert(std::is_trivially_destructible_v<T>, "elements are never destroyed");

 public:
  ZeroPageArray() = default;
  // Throws std::bad_alloc if the memory cannot be mapped.
  explicit ZeroPageArray(size_t n) : ZeroPageArray(TryAllocate(n)) {
    if (n > 0 && data_ == nullptr) throw std::bad_alloc();
  }
  // The same, but empty (false) if the memory cannot be mapped.
  static ZeroPageArray TryAllocate(size_t n) {
    ZeroPageArray a;
    if (n > 0 && n <= static_cast<size_t>(-1) / sizeof(T)) {
      a.data_ = static_cast<T*>(MapZeroPages(n * sizeof(T)));  // Zero bytes are a T.
      if (a.data_ != nullptr) a.bytes_ = n * sizeof(T);
    }
    return a;
  }
  ~ZeroPageArray() { UnmapZeroPages(data_, bytes_); }
  ZeroPageArray(ZeroPageArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}
  ZeroPageArray& operator=(ZeroPageArray&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(bytes_, other.bytes_);
    return *this;
  }
  ZeroPageArray(const ZeroPageArray&) = delete;
  ZeroPageArray& operator=(const ZeroPageArray&) = delete;

  T* get() const { return data_; }
  T& operator[](size_t i) const { return data_[i]; }
  explicit operator bool() const { return data_ != nullptr; }

 private:
  T* data_ = nullptr;
  size_t bytes_ = 0;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_ZERO_PAGES_H_
