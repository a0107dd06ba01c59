#include "encoder/word_cache.h"

#include <algorithm>
#include <cstring>

#include "common/prefetch.h"
#include "common/zero_pages.h"

namespace sentencepiece {
namespace {

// The bytes 0xE0-0xEF but 0xE2 (lead bytes of three-byte characters
// outside U+2000..U+2FFF) among the 8 bytes of `x`, without a branch: a
// zero byte of (x's high nibbles ^ 0xE) and a nonzero byte of (x ^ 0xE2),
// each told exactly (no carry across bytes), then summed by a multiply.
inline int CountUnspacedLeads(uint64_t x) {
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  auto zero_bytes = [](uint64_t v) { return ~(((v & kLow7) + kLow7) | v) & kHigh; };
  const uint64_t lead3 = zero_bytes((x & (0xF0 * kOnes)) ^ (0xE0 * kOnes));
  const uint64_t e2 = zero_bytes(x ^ (0xE2 * kOnes));
  return static_cast<int>((((lead3 & ~e2) >> 7) * kOnes) >> 56);
}

}  // namespace

bool LikelyUnrepeatedLong(std::string_view word) {
  const size_t n = word.size();  // 3 * kMinUnspacedChars or more.
  int count = 0;
  size_t i = 0;
  // Blocks without a byte of 0xE0 or more first (most long words: ASCII
  // identifiers, URLs), a few instructions each; then the count, 8 bytes
  // at a time.
  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    std::memcpy(&x, word.data() + i, 8);
    if ((x & (x << 1) & (x << 2) & 0x8080808080808080ull) != 0) break;
  }
  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    std::memcpy(&x, word.data() + i, 8);
    count += CountUnspacedLeads(x);
    if (count >= kMinUnspacedChars) return true;
  }
  if (i == n) return false;
  // The last bytes: the word's last 8, those counted already shifted out
  // (zero bytes, which count as none, come in).
  uint64_t rest;
  std::memcpy(&rest, word.data() + n - 8, 8);
  rest >>= 8 * (8 - (n - i));
  return count + CountUnspacedLeads(rest) >= kMinUnspacedChars;
}

namespace {

// Address space reserved for a cache's entries (pages are mapped only as
// they are written): 2^19 words of 2 KB, far more than words' entries take
// (~100 bytes each), and within what a slot's 32-bit offset in 8-byte
// units reaches (32 GB). Where address space is limited (ulimit -v), the
// largest of the smaller sizes that can be had; a cache whose arena is used
// up takes no more words (and one without any caches nothing: exact, but
// every word is segmented anew).
constexpr size_t kArenaBytes[] = {size_t{1} << 30, size_t{256} << 20, size_t{64} << 20,
                                  size_t{16} << 20, size_t{4} << 20};
// What a thread takes from the arena at a time (an entry larger than this
// takes a region of its own size).
constexpr size_t kRegionBytes = size_t{64} << 10;
// Offset 0 marks an empty slot: the first region starts a line later.
constexpr size_t kFirstOffset = 64;
// The arena's first 2 MB are in 4 KB pages; regions are handed out there
// only up to this offset, then from 2 MB on, in huge pages (where the
// arena is large enough to skip the rest). A short run touches a few
// small pages; a long one does not fault 512 times for its first 2 MB
// (~10 us a 4 KB fault on a VM, against ~0.2-2.5 ms for a whole huge
// page: 5.3 ms of a 250 ms run).
constexpr size_t kSmallPagesUsed = size_t{256} << 10;
constexpr size_t kMinArenaToSkip = size_t{64} << 20;
constexpr size_t kInitialSlots = 1 << 12;
// Tables from this size up to 1 MB share one huge page (256 KB + 512 KB +
// 1 MB fit in 2 MB); smaller ones are mapped in 4 KB pages, larger ones in
// huge pages of their own.
constexpr size_t kSharedTableBytes = size_t{256} << 10;

std::atomic<uint64_t> next_cache_id{1};

}  // namespace

// A thread's state in one cache: its current region and the counts it has
// reserved and not used. A thread keeps one per cache it uses (a
// processor's raw-word caches and its model's, for each model a service
// has loaded), by cache id modulo kThreadStates: caches are numbered in
// order of creation, so two share an entry only past 64 live caches, and
// then each switch between them leaves the rest of a region unused and
// the reserved counts uncounted (each switch brings the limit closer by
// at most kCountBatch words, as a thread that ends does).
struct WordCache::ThreadState {
  uint64_t cache_id = 0;
  char* pos = nullptr;
  char* end = nullptr;
  size_t counts = 0;
};

WordCache::ThreadState* WordCache::ThisThread() const {
  constexpr size_t kThreadStates = 64;
  thread_local ThreadState states[kThreadStates];
  ThreadState* ts = &states[id_ % kThreadStates];
  if (ts->cache_id != id_) *ts = ThreadState{id_, nullptr, nullptr, 0};
  return ts;
}

WordCache::WordCache(uint64_t uid, int max_log2_slots, size_t expected_words)
    : uid_(uid),
      max_slots_(size_t{1} << max_log2_slots),
      id_(next_cache_id.fetch_add(1, std::memory_order_relaxed)),
      arena_used_(kFirstOffset) {
  // The first 2 MB in 4 KB pages (a short run touches only what it uses),
  // the rest in huge pages (see kSmallPagesUsed).
  for (const size_t bytes : kArenaBytes) {
    arena_ = static_cast<char*>(ReserveZeroPages(bytes, kHugePageBytes));
    if (arena_ != nullptr) {
      arena_bytes_ = bytes;
      break;
    }
  }
  SkipSmallPagesFor(expected_words);
  const size_t slots = SlotsFor(expected_words, kInitialSlots);
  Table* t = NewTable(slots);
  if (t == nullptr && slots > kInitialSlots) t = NewTable(kInitialSlots);
  if (t != nullptr) tables_.push_back(t);
  if (t == nullptr || arena_ == nullptr) full_.store(true, std::memory_order_relaxed);
  if (t == nullptr) {
    // Nothing is cached: lookups read a table of empty slots, never
    // written (not one of tables_, which are unmapped).
    static std::atomic<uint64_t> no_slots[2] = {};
    static Table empty{/*mask=*/1, /*shift=*/63, no_slots};
    t = &empty;
  }
  table_.store(t, std::memory_order_release);
}

WordCache::~WordCache() {
  for (Table* t : tables_) {
    FreeSlots(t);
    delete t;
  }
  UnmapZeroPages(tables_page_, kHugePageBytes);
  UnmapZeroPages(arena_, arena_bytes_);
}

void WordCache::FreeSlots(const Table* t) {
  if (t->from_heap) {
    FreeFromHeap(t->slots);
    return;
  }
  const auto* p = reinterpret_cast<const char*>(t->slots);
  if (tables_page_ != nullptr && p >= tables_page_ && p < tables_page_ + kHugePageBytes) return;
  UnmapZeroPages(t->slots, (t->mask + 1) * sizeof(std::atomic<uint64_t>));
}

WordCache::Table* WordCache::NewTable(size_t num_slots) {
  // Mapped with its pages present and writable, not left to calloc's
  // untouched zero pages: slots are read before they are written (lookups,
  // GrowTo()), and a write to a page first read as the shared zero page is a
  // copy-on-write fault that flushes the TLB of every core the process runs
  // on, an interrupt to the other encoding threads each time. Tables from
  // 2 MB up are in huge pages (a fault per 2 MB instead of per 4 KB).
  //
  // The tables of 256 KB to 1 MB take their room in one huge page, mapped
  // when the first of them is needed: 448 pages of 4 KB, each first write
  // to which cost ~5-10 us on a VM even with the page already mapped
  // (2-3% of a 20 MB run), against one huge page's 0.2-2.5 ms.
  //
  // In a process whose heap keeps freed memory in huge pages (the tools),
  // tables come from the heap, zeroed by memset (which also makes each page
  // present and writable): what the model load freed there is paged in
  // already, where a fresh huge page costs 4-7 ms on a VM whose host took
  // it back (albert, 20 MB of Chinese: 14 -> 11 fresh huge pages), and the
  // small tables' own 4 KB pages cost a fault each (those of 256 KB and
  // up came from the heap first; the smaller ones since session 57).
  const size_t bytes = num_slots * sizeof(std::atomic<uint64_t>);
  void* p = nullptr;
  bool from_heap = false;
  if (TablesFromHeap()) {
    p = AllocateZeroedFromHeap(bytes);
    from_heap = p != nullptr;
  }
  if (p == nullptr && bytes >= kSharedTableBytes && bytes < kHugePageBytes) {
    if (tables_page_ == nullptr) {
      tables_page_ = static_cast<char*>(MapZeroPages(kHugePageBytes, false, /*huge=*/true));
    }
    if (tables_page_ != nullptr && tables_page_used_ + bytes <= kHugePageBytes) {
      p = tables_page_ + tables_page_used_;
      tables_page_used_ += bytes;
      WriteZeroPages(p, bytes);  // Present and writable, as MapZeroPages(populate) maps.
    }
  }
  if (p == nullptr) {
    p = MapZeroPages(bytes, /*populate=*/true, /*huge=*/bytes % kHugePageBytes == 0);
  }
  if (p == nullptr) return nullptr;
  auto* t = new Table;
  t->mask = num_slots - 1;
  t->shift = 64 - __builtin_ctzll(num_slots);
  t->slots = static_cast<std::atomic<uint64_t>*>(p);
  t->from_heap = from_heap;
  return t;
}

void WordCache::SkipSmallPagesFor(size_t words) {
  // (Entries take ~30-100 bytes.)
  constexpr size_t kEntryBytes = 64;
  if (arena_bytes_ < kMinArenaToSkip || words <= kSmallPagesUsed / kEntryBytes) return;
  size_t used = arena_used_.load(std::memory_order_relaxed);
  while (used < kHugePageBytes &&
         !arena_used_.compare_exchange_weak(used, kHugePageBytes, std::memory_order_relaxed)) {
  }
}

void WordCache::Reserve(size_t words) {
  if (words == 0 || full()) return;
  SkipSmallPagesFor(words);
  std::lock_guard<std::mutex> lock(mu_);
  const size_t slots = table_.load(std::memory_order_relaxed)->mask + 1;
  const size_t target = SlotsFor(words, slots);
  if (target > slots) GrowTo(target);
}

void WordCache::GrowTo(size_t num_slots) {
  Table* old = table_.load(std::memory_order_relaxed);
  // The new table is made before the old one is frozen: making it clears
  // fresh memory (4 MB of it took 11 ms on a VM, for the 2^19 slots of 20
  // MB of English), and every other thread's insert that meets a frozen
  // table waits until the copy is published. Inserts into the old table
  // go on meanwhile.
  Table* t = NewTable(num_slots);
  if (t == nullptr) {
    // No memory for a larger table: the cache keeps what it has and takes
    // no more words.
    full_.store(true, std::memory_order_relaxed);
    return;
  }
  // Frozen first, then copied: an insert either lands before the copy
  // reads its slot (and is copied) or finds the table frozen (and goes
  // again in the new one). Both sides are sequentially consistent.
  old->frozen.store(true, std::memory_order_seq_cst);
  // A slot's tag is its hash's top 32 bits: where it goes needs no key.
  for (size_t i = 0; i <= old->mask; ++i) {
    const uint64_t s = old->slots[i].load(std::memory_order_seq_cst);
    if (s == 0) continue;
    size_t j = ((s >> 32) << 32) >> t->shift;
    while (t->slots[j].load(std::memory_order_relaxed) != 0) j = (j + 1) & t->mask;
    t->slots[j].store(s, std::memory_order_relaxed);
  }
  tables_.push_back(t);
  table_.store(t, std::memory_order_release);
}

char* WordCache::Allocate(ThreadState* r, size_t bytes) {
  if (static_cast<size_t>(r->end - r->pos) < bytes) {
    // (What is left of the old region stays unused.)
    const size_t size = std::max(kRegionBytes, (bytes + 63) & ~size_t{63});
    const bool skip = arena_bytes_ >= kMinArenaToSkip;
    size_t used = arena_used_.load(std::memory_order_relaxed);
    size_t at;
    do {
      at = used;
      if (skip && at < kHugePageBytes && at + size > kSmallPagesUsed) at = kHugePageBytes;
    } while (!arena_used_.compare_exchange_weak(used, at + size, std::memory_order_relaxed));
    if (arena_ == nullptr || at + size > arena_bytes_) return nullptr;
    r->pos = arena_ + at;
    r->end = r->pos + size;
  }
  char* p = r->pos;
  r->pos += bytes;
  // The next entry's first lines, for writing. Fresh arena memory is in no
  // CPU cache, and Publish()'s compare-and-swap waits until every store
  // before it, the entry's own included, has reached the cache: with its
  // lines already there, an insert waits less (inserts took 3.3-3.9% of
  // a one-thread run's perf samples on 20 MB of English, 2.8-3.4% after).
  // (Inside this thread's region only: another thread may be writing the
  // next one.)
  if (r->end - r->pos >= 128) {
    PrefetchForWrite(r->pos);
    PrefetchForWrite(r->pos + 64);
  }
  return p;
}

const WordCache::Entry* WordCache::Publish(const Table* t, std::string_view word, uint64_t hash,
                                           uint64_t slot) {
  const uint32_t tag = Tag(hash);
  while (true) {
    bool stored = false;
    for (size_t i = hash >> t->shift, probes = 0; probes <= t->mask; i = (i + 1) & t->mask, ++probes) {
      uint64_t cur = t->slots[i].load(std::memory_order_acquire);
      if (cur == 0) {
        if (t->slots[i].compare_exchange_strong(cur, slot, std::memory_order_seq_cst,
                                                std::memory_order_acquire)) {
          stored = true;
          break;
        }
        // Another thread took the slot first: `cur` is its entry.
      }
      if (Holds(cur, tag, word)) return EntryAt(cur);
    }
    if (!stored) return nullptr;  // No free slot (cannot happen: see ReserveCounts()).
    if (!t->frozen.load(std::memory_order_seq_cst)) return EntryAt(slot);
    // The table grew meanwhile, perhaps without this slot: wait for the
    // grower to publish the new table (it holds mu_ until then), and make
    // sure the word is there too.
    { std::lock_guard<std::mutex> lock(mu_); }
    const Table* next = table_.load(std::memory_order_acquire);
    if (next == t) return nullptr;
    t = next;
  }
}

size_t WordCache::size() const {
  const Table* t = table_.load(std::memory_order_acquire);
  size_t n = 0;
  for (size_t i = 0; i <= t->mask; ++i) n += t->slots[i].load(std::memory_order_relaxed) != 0;
  return n;
}

// Counts are reserved kCountBatch at a time: one shared count updated by
// every insert was a cache line that two threads took from each other's
// core on each insert: `Insert()` took ~4% of a two-thread run's perf
// samples on 20 MB of English under ALBERT, ~1% of a one-thread run's,
// and ~0.5% of either with batches.
bool WordCache::ReserveCounts(ThreadState* ts) {
  const size_t n = counted_.fetch_add(kCountBatch, std::memory_order_relaxed) + kCountBatch;
  auto refuse = [this] {
    counted_.fetch_sub(kCountBatch, std::memory_order_relaxed);
    return false;
  };
  const Table* t = table_.load(std::memory_order_acquire);
  if (n > LoadLimit(t->mask + 1)) {
    // A busy lock means another thread is growing the table. Rather than
    // wait, and leave a core idle, this thread goes on filling the current
    // table up to three quarters (linear probing still finds words
    // quickly there, and the larger table about to be published holds
    // them at three eighths); past that, or in the largest table, whose
    // limit is half, the word goes in on a later sighting. (Making a
    // large table clears megabytes of fresh memory: with two threads on
    // 20 MB of English, ~10k new words met a busy lock.)
    std::unique_lock<std::mutex> lock(mu_, std::try_to_lock);
    if (!lock.owns_lock()) {
      const size_t slots = t->mask + 1;
      if (slots >= max_slots_ || n > slots / 4 * 3) return refuse();
    } else {
      // (To the size that takes the count, which may be several doublings:
      // many threads may each have counted a batch since the last growth.)
      const size_t slots = table_.load(std::memory_order_relaxed)->mask + 1;
      const size_t target = SlotsFor(n, slots);
      if (target > slots) {
        GrowTo(target);
        if (full_.load(std::memory_order_relaxed)) return refuse();
      }
      if (n > LoadLimit(target)) {  // Past the largest table's limit.
        full_.store(true, std::memory_order_relaxed);
        return refuse();
      }
    }
  }
  ts->counts = kCountBatch;
  return true;
}

const WordCache::Entry* WordCache::Insert(std::string_view word, uint64_t hash, const void* value,
                                          size_t value_size) {
  // A full cache is told without any shared write: a large corpus fills
  // it, and every later new word comes here. (The flag sits with what
  // lookups read, written once.)
  if (word.size() > kMaxWordBytes || full_.load(std::memory_order_relaxed)) return nullptr;
  // The word is counted before it is stored (the count decides growth),
  // from counts this thread reserved, and given back if it is not stored.
  ThreadState* ts = ThisThread();
  if (ts->counts == 0 && !ReserveCounts(ts)) return nullptr;
  --ts->counts;
  auto refuse = [ts] {
    ++ts->counts;
    return nullptr;
  };
  // (Callers look the word up first; if another thread stored it since,
  // Publish() finds it.)
  const Table* t = table_.load(std::memory_order_acquire);
  const size_t key_bytes = (word.size() + 7) & ~size_t{7};
  const size_t value_bytes = (value_size + 7) & ~size_t{7};
  char* p = Allocate(ts, sizeof(Entry) + key_bytes + value_bytes);
  if (p == nullptr) {  // The arena is used up: the caller keeps its copy.
    full_.store(true, std::memory_order_relaxed);
    return refuse();
  }
  Entry* e = reinterpret_cast<Entry*>(p);
  e->key_size = static_cast<uint32_t>(word.size());
  e->value_size = static_cast<uint32_t>(value_size);
  // (memcpy with a null pointer is undefined even for 0 bytes.)
  if (!word.empty()) std::memcpy(e + 1, word.data(), word.size());
  if (value_size > 0) std::memcpy(p + sizeof(Entry) + key_bytes, value, value_size);
  const uint64_t offset = static_cast<uint64_t>(p - arena_) / 8;
  const Entry* stored = Publish(t, word, hash, (uint64_t{Tag(hash)} << 32) | offset);
  if (stored != e) refuse();  // Another thread's entry, or none.
  return stored;
}

}  // namespace sentencepiece
