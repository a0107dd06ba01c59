#include "encoder/word_cache.h"

#include <algorithm>
#include <cstdlib>
#include <new>

#include "common/zero_pages.h"

namespace sentencepiece {
namespace {

constexpr size_t kFirstChunkBytes = 1 << 20;

}  // namespace

constexpr size_t kInitialSlots = 1 << 12;

WordCache::WordCache(uint64_t uid, int max_log2_slots)
    : uid_(uid), max_slots_(size_t{1} << max_log2_slots) {
  tables_.push_back(NewTable(kInitialSlots));
  table_.store(tables_.back(), std::memory_order_release);
}

WordCache::~WordCache() {
  for (Table* t : tables_) {
    UnmapZeroPages(t->slots, (t->mask + 1) * sizeof(std::atomic<uint64_t>));
    delete t;
  }
  for (const Chunk& c : chunks_) UnmapZeroPages(c.data, c.size);
}

WordCache::Table* WordCache::NewTable(size_t num_slots) {
  // Mapped with its pages present and writable, not left to calloc's
  // untouched zero pages: slots are read before they are written (lookups,
  // Grow()), and a write to a page first read as the shared zero page is a
  // copy-on-write fault that flushes the TLB of every core the process runs
  // on, an interrupt to the other encoding threads each time. Tables from
  // 2 MB up are in huge pages (a fault per 2 MB instead of per 4 KB).
  const size_t bytes = num_slots * sizeof(std::atomic<uint64_t>);
  void* p = MapZeroPages(bytes, /*populate=*/true, /*huge=*/bytes % kHugePageBytes == 0);
  if (p == nullptr) throw std::bad_alloc();
  return new Table{num_slots - 1, static_cast<std::atomic<uint64_t>*>(p)};
}

size_t WordCache::Probe(const Table& t, std::string_view word, uint64_t hash) {
  const uint16_t tag = static_cast<uint16_t>(hash >> 48);
  for (size_t i = hash & t.mask;; i = (i + 1) & t.mask) {
    const uint64_t slot = t.slots[i].load(std::memory_order_relaxed);
    if (slot == 0) return i;
    if ((slot >> 48) != tag) continue;
    const Entry* e = reinterpret_cast<const Entry*>(slot & kPointerMask);
    if (e->key() == word) return i;
  }
}

void WordCache::Grow() {
  const Table& old = *table_.load(std::memory_order_relaxed);
  Table* t = NewTable(2 * (old.mask + 1));
  // Keys are distinct: each goes to the first free slot of its probe run.
  for (const Stored& s : stored_) {
    size_t j = s.hash & t->mask;
    while (t->slots[j].load(std::memory_order_relaxed) != 0) j = (j + 1) & t->mask;
    t->slots[j].store(s.slot, std::memory_order_relaxed);
  }
  tables_.push_back(t);
  table_.store(t, std::memory_order_release);
}

char* WordCache::Allocate(size_t bytes) {
  if (bytes > chunk_left_) {
    // The first chunk from the heap (a short run touches only what it
    // uses; the command-line tools' heap is in huge pages already, and the
    // first words stored are the most frequent ones, read all the time),
    // later ones mapped in huge pages: a cache that filled one chunk goes
    // on filling more, and each 2 MB then costs one fault instead of 512.
    if (first_chunk_ == nullptr) {
      const size_t size = std::max(bytes, kFirstChunkBytes);
      first_chunk_.reset(new (std::nothrow) char[size]);
      if (first_chunk_ == nullptr) return nullptr;
      chunk_pos_ = first_chunk_.get();
      chunk_left_ = size;
    } else {
      const size_t size = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
      void* p = MapZeroPages(size, /*populate=*/false, /*huge=*/true);
      if (p == nullptr) return nullptr;
      chunks_.push_back({p, size});
      chunk_pos_ = static_cast<char*>(p);
      chunk_left_ = size;
    }
  }
  char* p = chunk_pos_;
  chunk_pos_ += bytes;
  chunk_left_ -= bytes;
  return p;
}

const WordCache::Entry* WordCache::Insert(std::string_view word, uint64_t hash, const void* value,
                                          size_t value_size) {
  if (word.size() > kMaxWordBytes) return nullptr;
  // A full cache (size_ no longer changes) is told without the lock: a
  // large corpus fills it, and each later new word would otherwise take
  // and release the mutex, whose cache line then bounces between threads.
  if (size_.load(std::memory_order_relaxed) >= max_slots_ / 2) return nullptr;
  // A busy lock means another thread is storing (or growing the table):
  // rather than wait, and leave a core idle, this word goes in on a later
  // sighting. (Waiting for the lock, or spinning for it, measured slower.)
  std::unique_lock<std::mutex> lock(mu_, std::try_to_lock);
  if (!lock.owns_lock()) return nullptr;
  // Under the lock no slot changes: find the word or its free slot.
  const Table* t = table_.load(std::memory_order_relaxed);
  size_t i = Probe(*t, word, hash);
  const uint64_t found = t->slots[i].load(std::memory_order_relaxed);
  if (found != 0) return reinterpret_cast<const Entry*>(found & kPointerMask);
  if (size_.load(std::memory_order_relaxed) + 1 > (t->mask + 1) / 2) {
    if (t->mask + 1 >= max_slots_) return nullptr;  // Full.
    Grow();
    t = table_.load(std::memory_order_relaxed);
    i = Probe(*t, word, hash);
  }
  const size_t key_bytes = (word.size() + 7) & ~size_t{7};
  const size_t value_bytes = (value_size + 7) & ~size_t{7};
  char* p = Allocate(sizeof(Entry) + key_bytes + value_bytes);
  if (p == nullptr) return nullptr;  // Out of memory: the caller keeps its copy.
  const auto address = reinterpret_cast<uintptr_t>(p);
  if ((address & ~kPointerMask) != 0) return nullptr;  // Cannot be tagged.
  Entry* e = reinterpret_cast<Entry*>(p);
  e->key_size = static_cast<uint32_t>(word.size());
  e->value_size = static_cast<uint32_t>(value_size);
  // (memcpy with a null pointer is undefined even for 0 bytes.)
  if (!word.empty()) std::memcpy(e + 1, word.data(), word.size());
  if (value_size > 0) std::memcpy(p + sizeof(Entry) + key_bytes, value, value_size);
  const uint64_t tag = hash >> 48;
  t->slots[i].store(address | (tag << 48), std::memory_order_release);
  stored_.push_back({address | (tag << 48), hash});
  size_.fetch_add(1, std::memory_order_relaxed);
  return e;
}

}  // namespace sentencepiece
