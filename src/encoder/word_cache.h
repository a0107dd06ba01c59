// A per-thread cache of word segmentations, for the encoders.
//
// Each thread keeps its own caches (no locking), one per model instance,
// keyed by the model's uid (a new uid is drawn whenever a model is built or
// its vocabulary restriction changes, so stale entries are never used).
// Caches are bounded: a full cache stops taking new words.

#ifndef SPM_SRC_ENCODER_WORD_CACHE_H_
#define SPM_SRC_ENCODER_WORD_CACHE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "common/absl_compat.h"

namespace sentencepiece {

// A fresh id for a model (or a changed vocabulary).
inline uint64_t NewModelUid() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1);
}

template <typename Entry>
class WordCache {
 public:
  // Words longer than this are not cached.
  static constexpr size_t kMaxWordBytes = 128;

  // The calling thread's cache for model `uid`.
  static WordCache& ForThread(uint64_t uid) {
    thread_local absl::flat_hash_map<uint64_t, std::unique_ptr<WordCache>> caches;
    auto it = caches.find(uid);
    if (it != caches.end()) return *it->second;
    if (caches.size() >= kMaxModelsPerThread) caches.clear();
    return *caches.emplace(uid, std::make_unique<WordCache>()).first->second;
  }

  const Entry* Find(std::string_view word) const {
    auto it = map_.find(ToAbsl(word));
    return it == map_.end() ? nullptr : &it->second;
  }

  // Whether another entry fits. A full cache keeps what it has (the words
  // seen first, which include the frequent ones) rather than thrashing.
  bool full() const { return map_.size() >= kMaxEntries; }

  // REQUIRES: !full().
  const Entry& Insert(std::string_view word, Entry entry) {
    return map_.insert_or_assign(std::string(word), std::move(entry)).first->second;
  }

 private:
  static constexpr size_t kMaxEntries = 1 << 17;
  static constexpr size_t kMaxModelsPerThread = 8;
  absl::flat_hash_map<std::string, Entry> map_;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_WORD_CACHE_H_
