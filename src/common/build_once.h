// A table built once, on first need, by whichever thread needs it first.
//
// Get() waits for a build that another thread has started. TryGet() does
// not: while another thread builds, it returns null and its caller takes
// an exact but slower way without the table. The encoders' lazy tables
// (a unigram model's trie, the character adjacency, BPE's piece filter)
// take a few milliseconds to build; with several encoding threads
// starting together, every thread but the builder used to sleep through
// that build, a few percent of a two-thread encode of 20 MB.
//
// Build functions return std::unique_ptr<T>, which may be null (then Get()
// and TryGet() give null for good).

#ifndef SPM_SRC_COMMON_BUILD_ONCE_H_
#define SPM_SRC_COMMON_BUILD_ONCE_H_

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>

namespace sentencepiece {

template <typename T>
class BuildOnce {
 public:
  // Whether the build is done (its result may still be null).
  bool done() const { return done_.load(std::memory_order_acquire); }
  // The result. REQUIRES: done().
  const T* built() const { return value_.get(); }

  template <typename Build>
  const T* Get(Build build) const {
    if (done()) return value_.get();
    std::lock_guard<std::mutex> lock(mu_);
    return BuildLocked(build);
  }

  template <typename Build>
  const T* TryGet(Build build) const {
    if (done()) return value_.get();
    std::unique_lock<std::mutex> lock(mu_, std::try_to_lock);
    if (!lock.owns_lock()) return nullptr;  // Another thread is building.
    return BuildLocked(build);
  }

  // What callers of TryGetOnceSpent() have added so far.
  size_t spent() const { return spent_.load(std::memory_order_relaxed); }

  // TryGet() for a ski rental: callers going without the table add what
  // that costs them (`more`, in any unit, counted from every thread), and
  // the build starts once the total reaches `threshold`; null before.
  // more() is called only while the table is not built.
  template <typename More, typename Build>
  const T* TryGetOnceSpent(More more, size_t threshold, Build build) const {
    if (done()) return value_.get();
    const size_t m = more();
    if (spent_.fetch_add(m, std::memory_order_relaxed) + m < threshold) return nullptr;
    return TryGet(build);
  }

 private:
  template <typename Build>
  const T* BuildLocked(Build& build) const {
    if (!done_.load(std::memory_order_relaxed)) {
      value_ = build();
      done_.store(true, std::memory_order_release);
    }
    return value_.get();
  }

  mutable std::mutex mu_;
  mutable std::atomic<bool> done_{false};
  mutable std::unique_ptr<T> value_;  // Written once, under mu_, before done_.
  mutable std::atomic<size_t> spent_{0};  // See TryGetOnceSpent().
};

}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_BUILD_ONCE_H_
