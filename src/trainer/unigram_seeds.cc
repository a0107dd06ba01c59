#include "trainer/unigram_seeds.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <queue>

#include "absl/strings/str_cat.h"
#include "common/utf8.h"
#include "trainer/parallel.h"
#include "trainer/training_log.h"

namespace sentencepiece {
namespace {

constexpr char32_t kUnknownMark = 0x2585;

// The word contexts as one array of dense character ids (0 ends a context;
// ids follow code point order, so comparing ids compares strings), padded
// with zeros, and each context's weight.
struct SeedText {
  std::vector<uint32_t> ids;
  std::vector<uint64_t> ends;     // Context i ends (after its 0) at ends[i].
  std::vector<int64_t> weights;   // Context i's count.
  std::vector<char32_t> code_points;  // id -> code point (id 0 unused).
  uint32_t unknown_id = 0;        // The id of U+2585, or 0 if absent.
  uint64_t size = 0;              // Without the padding.
};

SeedText BuildSeedText(const UnigramWords& words, size_t padding, int threads) {
  SeedText t;
  const size_t n = words.contexts.size();
  t.ends.resize(n);
  t.weights.resize(n);
  // Code point lengths, then offsets, then the code points, in parallel.
  std::vector<uint64_t> lengths(n);
  ParallelFor(threads, n, [&](size_t b, size_t e, int) {
    for (size_t i = b; i < e; ++i) {
      const UnigramWords::Context& c = words.contexts[i];
      const std::string_view w = words.word(c.word);
      uint64_t len = 0;
      for (size_t p = 0; p < w.size(); p += std::min(utf8::OneCharLen(w[p]), w.size() - p)) ++len;
      lengths[i] = len + (c.next != 0) + 1;
      t.weights[i] = c.count;
    }
  });
  uint64_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    total += lengths[i];
    t.ends[i] = total;
  }
  t.size = total;
  t.ids.assign(total + padding, 0);
  ParallelFor(threads, n, [&](size_t b, size_t e, int) {
    for (size_t i = b; i < e; ++i) {
      const UnigramWords::Context& c = words.contexts[i];
      const std::string_view w = words.word(c.word);
      uint32_t* out = t.ids.data() + t.ends[i] - lengths[i];
      for (size_t p = 0; p < w.size();) {
        size_t len = 0;
        *out++ = utf8::Decode(w.substr(p), &len);
        p += std::max<size_t>(len, 1);
      }
      if (c.next != 0) *out++ = c.next;
    }
  });
  std::vector<uint64_t>().swap(lengths);
  // Dense ids in code point order.
  std::vector<std::vector<uint8_t>> seen(std::max(1, threads));
  ParallelFor(static_cast<int>(seen.size()), seen.size(), [&](size_t k, size_t, int) {
    std::vector<uint8_t>& mine = seen[k];
    mine.assign(0x110001, 0);
    const uint64_t end = total * (k + 1) / seen.size();
    for (uint64_t p = total * k / seen.size(); p < end; ++p) {
      mine[std::min<uint32_t>(t.ids[p], 0x110000)] = 1;
    }
  });
  std::vector<uint32_t> id_of(0x110001, 0);
  for (const std::vector<uint8_t>& mine : seen) {
    for (uint32_t c = 0; c <= 0x110000; ++c) id_of[c] |= mine[c];
  }
  std::vector<std::vector<uint8_t>>().swap(seen);
  id_of[0] = 0;
  t.code_points.push_back(0);
  for (uint32_t c = 1; c <= 0x110000; ++c) {
    if (id_of[c] == 0) continue;
    id_of[c] = static_cast<uint32_t>(t.code_points.size());
    t.code_points.push_back(c);
  }
  t.unknown_id = id_of[kUnknownMark];
  ParallelFor(threads, total, [&](size_t b, size_t e, int) {
    for (size_t p = b; p < e; ++p) t.ids[p] = id_of[std::min<uint32_t>(t.ids[p], 0x110000)];
  });
  return t;
}

// A candidate seed: the substring of `depth` ids at `pos`, and its score.
// `key` holds its first ids packed as SuffixSorter::Pack() does, zeros
// after its end (no id of a candidate is 0), so that comparing keys
// compares the strings as far as the key reaches.
struct Candidate {
  int64_t score;
  uint64_t pos;
  uint64_t key;
  uint32_t depth;
};

// Orders candidates best first: higher score, then the smaller string.
// Scores tie often (count x length of rare substrings), and the strings
// are in the text, a cache miss each: the packed keys settle most ties.
class CandidateOrder {
 public:
  CandidateOrder(const uint32_t* ids, size_t per_key) : ids_(ids), per_key_(per_key) {}
  bool operator()(const Candidate& a, const Candidate& b) const {
    if (a.score != b.score) return a.score > b.score;
    if (a.key != b.key) return a.key < b.key;
    if (a.depth <= per_key_ && b.depth <= per_key_) return false;  // The same string.
    return std::lexicographical_compare(ids_ + a.pos, ids_ + a.pos + a.depth, ids_ + b.pos,
                                        ids_ + b.pos + b.depth);
  }

 private:
  const uint32_t* ids_;
  size_t per_key_;
};

// The best `limit` candidates seen (a heap whose top is the worst kept).
class TopCandidates {
 public:
  TopCandidates(const CandidateOrder& order, size_t limit) : order_(order), limit_(limit) {}

  // Whether a candidate with `score` could still be kept (cheap pre-check).
  bool Admits(int64_t score) const {
    return limit_ > 0 && (heap_.size() < limit_ || score >= heap_.front().score);
  }
  void Offer(const Candidate& c) {
    if (heap_.size() < limit_) {
      heap_.push_back(c);
      std::push_heap(heap_.begin(), heap_.end(), order_);
    } else if (order_(c, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), order_);
      heap_.back() = c;
      std::push_heap(heap_.begin(), heap_.end(), order_);
    }
  }
  std::vector<Candidate>& items() { return heap_; }

 private:
  CandidateOrder order_;
  size_t limit_;
  std::vector<Candidate> heap_;
};

struct Suffix {
  uint64_t key;
  uint64_t pos;
  int64_t weight;
};

// Sorts suffixes that share their first `depth` ids by the next ones, up to
// `limit` ids in all; suffixes equal up to a context end (id 0) are left in
// any order (no node extends past it). Also sets lcp[i] for i in
// [1, end - begin): the longest common prefix of suffixes i - 1 and i as
// the node walk counts it (a matching context end counts, and ends it),
// at most `limit`, from the packed keys alone, with kEndsContext set when
// that prefix ends on the context end (so the walk need not look at the
// text, a cache miss, to know it).
class SuffixSorter {
 public:
  static constexpr uint32_t kEndsContext = uint32_t{1} << 31;

  SuffixSorter(const uint32_t* ids, int bits, size_t limit)
      : ids_(ids), bits_(bits), per_key_(64 / bits), limit_(limit) {}

  // Sort() with depth 0, where the caller has set every key to
  // Pack(pos) already (while the text was in cache).
  void SortPacked(Suffix* begin, Suffix* end, uint32_t* lcp) const {
    SortKeys(begin, end, 0, lcp);
  }

  void Sort(Suffix* begin, Suffix* end, size_t depth, uint32_t* lcp) const {
    if (end - begin < 2) return;
    // Each key is a cache miss into the text: fetch a few suffixes ahead.
    constexpr ptrdiff_t kAhead = 8;
    for (Suffix* s = begin; s != end; ++s) {
      if (end - s > kAhead) __builtin_prefetch(ids_ + s[kAhead].pos + depth);
      s->key = Pack(s->pos + depth);
    }
    SortKeys(begin, end, depth, lcp);
  }

  uint64_t Pack(uint64_t pos) const {
    uint64_t key = 0;
    for (size_t i = 0; i < per_key_; ++i) key = (key << bits_) | ids_[pos + i];
    if (per_key_ * bits_ < 64) key <<= 64 - per_key_ * bits_;
    return key;
  }
  // Pack() of the `len` (>= 1) ids at pos followed by zeros.
  uint64_t PackPrefix(uint64_t pos, size_t len) const {
    const uint64_t key = Pack(pos);
    return len >= per_key_ ? key : key & (~uint64_t{0} << (64 - len * bits_));
  }
  size_t per_key() const { return per_key_; }

 private:
  void SortKeys(Suffix* begin, Suffix* end, size_t depth, uint32_t* lcp) const {
    if (end - begin < 2) return;
    std::sort(begin, end, [](const Suffix& a, const Suffix& b) { return a.key < b.key; });
    const bool deeper = depth + per_key_ < limit_;
    for (Suffix* run = begin; run != end;) {
      Suffix* next = run + 1;
      while (next != end && next->key == run->key) ++next;
      const uint64_t key = run->key;  // A deeper Sort repacks the run.
      if (next != end) lcp[next - begin] = Common(key, next->key, depth);
      if (next - run > 1) {
        if (deeper && !HasEnd(key)) {
          Sort(run, next, depth + per_key_, lcp + (run - begin));
        } else {
          const uint32_t l = Common(key, key, depth);
          for (Suffix* s = run + 1; s != next; ++s) lcp[s - begin] = l;
        }
      }
      run = next;
    }
  }

 private:
  // The walk's common prefix of two suffixes equal in their first `depth`
  // ids, whose next ids are packed in keys a and b (kEndsContext set if
  // it ends on a context end).
  uint32_t Common(uint64_t a, uint64_t b, size_t depth) const {
    const uint64_t diff = a ^ b;
    const size_t same = diff == 0 ? per_key_ : static_cast<size_t>(__builtin_clzll(diff)) / bits_;
    const uint64_t mask = (uint64_t{1} << bits_) - 1;
    for (size_t i = 0; i < same; ++i) {
      if (((a >> (64 - (i + 1) * bits_)) & mask) == 0) {
        if (depth + i + 1 > limit_) return static_cast<uint32_t>(limit_);
        return static_cast<uint32_t>(depth + i + 1) | kEndsContext;
      }
    }
    return static_cast<uint32_t>(std::min(limit_, depth + same));
  }
  bool HasEnd(uint64_t key) const {
    key >>= 64 - per_key_ * bits_;
    const uint64_t mask = (uint64_t{1} << bits_) - 1;
    for (size_t i = 0; i < per_key_; ++i, key >>= bits_) {
      if ((key & mask) == 0) return true;
    }
    return false;
  }

  const uint32_t* ids_;
  int bits_;
  size_t per_key_;
  size_t limit_;
};

// Sorts one group's suffixes and offers each node of the suffix tree in
// it (a substring with its count) that could be a piece to *top.
// The suffixes' keys are packed already (SuffixSorter::SortPacked).
void WalkGroup(Suffix* begin, Suffix* end, const SuffixSorter& sorter, const SeedText& text,
               const PieceValidator& validator, size_t max_len, TopCandidates* top) {
  thread_local std::vector<uint32_t> lcp;
  thread_local std::vector<int64_t> prefix;
  thread_local std::u32string piece;
  struct Open {
    uint32_t depth;
    bool ends_context;  // Its last id is a context end: not a piece.
    size_t left;
  };
  thread_local std::vector<Open> stack;
  const uint32_t* ids = text.ids.data();
  const size_t m = end - begin;
  lcp.assign(m + 1, 0);  // lcp[i]: suffixes i-1 and i; lcp[m] = 0 closes all.
  sorter.SortPacked(begin, end, lcp.data());
  prefix.assign(m + 1, 0);
  for (size_t i = 0; i < m; ++i) prefix[i + 1] = prefix[i] + begin[i].weight;
  // Bottom-up walk of the LCP intervals: each interval [left, i-1] with
  // depth d is the node for its first d ids.
  stack.assign(1, Open{0, false, 0});
  // A node's string is read from the text at its first suffix, a cache
  // miss: every suffix's text is fetched a little ahead of the walk.
  constexpr size_t kAhead = 16;
  for (size_t i = 0; i < std::min(m, kAhead); ++i) __builtin_prefetch(ids + begin[i].pos);
  for (size_t i = 1; i <= m; ++i) {
    if (i + kAhead - 1 < m) __builtin_prefetch(ids + begin[i + kAhead - 1].pos);
    size_t left = i - 1;
    const uint32_t depth = lcp[i] & ~SuffixSorter::kEndsContext;
    while (depth < stack.back().depth) {
      const Open node = stack.back();
      stack.pop_back();
      left = node.left;
      const uint64_t pos = begin[node.left].pos;
      if (node.depth < 2 || node.depth > max_len || node.ends_context) continue;
      const int64_t count = prefix[i] - prefix[node.left];
      const int64_t score = count * static_cast<int64_t>(node.depth);
      if (!top->Admits(score)) continue;
      piece.clear();
      for (uint32_t k = 0; k < node.depth; ++k) piece.push_back(text.code_points[ids[pos + k]]);
      if (!validator.IsValid(piece)) continue;
      top->Offer(Candidate{score, pos, sorter.PackPrefix(pos, node.depth), node.depth});
    }
    if (depth > stack.back().depth) {
      stack.push_back(Open{depth, (lcp[i] & SuffixSorter::kEndsContext) != 0, left});
    }
  }
}

}  // namespace

std::vector<std::pair<std::string, double>> MakeSeedPieces(const UnigramWords& words,
                                                           const CharacterSet& chars,
                                                           const PieceValidator& validator,
                                                           const TrainerSpec& spec, int threads) {
  std::vector<std::pair<std::string, double>> seeds;
  for (const auto& [c, count] : chars.chars) {
    if (count <= 0) continue;
    std::string s;
    utf8::Append(c, &s);
    seeds.emplace_back(std::move(s), static_cast<double>(count));
  }
  const int64_t wanted = static_cast<int64_t>(spec.seed_sentencepiece_size()) -
                         static_cast<int64_t>(seeds.size());
  const size_t max_len = static_cast<size_t>(std::max(1, spec.max_sentencepiece_length()));
  // Sorting by one more id than a piece can have tells whether a
  // max-length substring branches.
  const size_t depth_limit = max_len + 1;

  if (wanted > 0 && max_len >= 2) {
    const SeedText text = BuildSeedText(words, depth_limit + 64, threads);
    const uint32_t* ids = text.ids.data();
    const uint64_t alphabet = text.code_points.size();
    int bits = 1;
    while ((uint64_t{1} << bits) < alphabet) ++bits;
    const SuffixSorter sorter(ids, bits, depth_limit);

    // A suffix matters only if its first two ids may start a piece.
    auto starts_piece = [&](uint64_t p) {
      return ids[p] != 0 && ids[p + 1] != 0 && ids[p] != text.unknown_id &&
             ids[p + 1] != text.unknown_id;
    };
    // Groups of suffixes by (first, second) id, in pair order: each is a
    // range [lo, hi) of first * alphabet + second.
    // Scans of the text run on the threads, each over its own range of
    // positions (`slices`), with per-thread tallies summed after.
    const int slices = std::max(1, threads);
    auto slice_begin = [&](int t) { return text.size * t / slices; };
    std::vector<std::vector<uint64_t>> tallies(slices);
    auto sum_tallies = [&tallies](size_t n) {
      std::vector<uint64_t> sum(n, 0);
      for (const std::vector<uint64_t>& t : tallies) {
        for (size_t i = 0; i < n; ++i) sum[i] += t[i];
      }
      return sum;
    };
    ParallelFor(slices, slices, [&](size_t t, size_t, int) {
      std::vector<uint64_t>& counts = tallies[t];
      counts.assign(alphabet, 0);
      for (uint64_t p = slice_begin(t); p < slice_begin(t + 1); ++p) {
        if (starts_piece(p)) ++counts[ids[p]];
      }
    });
    const std::vector<uint64_t> first_counts = sum_tallies(alphabet);
    // A group is the unit of work of a thread: its suffixes are sorted and
    // walked together (36 bytes each with the LCP and prefix sums).
    const uint64_t group_limit =
        std::clamp<uint64_t>(text.size / 32, uint64_t{1} << 19, uint64_t{4} << 20);
    std::vector<uint32_t> big;  // First ids with more suffixes than a group holds.
    std::vector<int64_t> big_index(alphabet, -1);
    for (uint64_t c = 1; c < alphabet; ++c) {
      if (first_counts[c] > group_limit) {
        big_index[c] = static_cast<int64_t>(big.size());
        big.push_back(static_cast<uint32_t>(c));
      }
    }
    ParallelFor(slices, slices, [&](size_t t, size_t, int) {
      std::vector<uint64_t>& counts = tallies[t];
      counts.assign(big.size() * alphabet, 0);
      if (big.empty()) return;
      for (uint64_t p = slice_begin(t); p < slice_begin(t + 1); ++p) {
        if (starts_piece(p) && big_index[ids[p]] >= 0) {
          ++counts[big_index[ids[p]] * alphabet + ids[p + 1]];
        }
      }
    });
    const std::vector<uint64_t> second_counts = sum_tallies(big.size() * alphabet);
    std::vector<std::pair<uint64_t, uint64_t>> groups;
    {
      uint64_t lo = alphabet, filled = 0;  // lo: start of the open group.
      auto close = [&](uint64_t hi) {
        if (filled > 0) groups.emplace_back(lo, hi);
        lo = hi;
        filled = 0;
      };
      lo = 1 * alphabet;
      for (uint64_t c = 1; c < alphabet; ++c) {
        if (big_index[c] < 0) {
          if (filled + first_counts[c] > group_limit) close(c * alphabet);
          filled += first_counts[c];
          continue;
        }
        close(c * alphabet);
        const uint64_t* counts = &second_counts[big_index[c] * alphabet];
        for (uint64_t d = 0; d < alphabet; ++d) {
          if (filled > 0 && filled + counts[d] > group_limit) close(c * alphabet + d);
          filled += counts[d];
        }
        close((c + 1) * alphabet);
      }
      close(alphabet * alphabet);
    }
    training_log::Info(absl::StrCat("Unigram seeds: ", text.size, " characters in ",
                                    words.contexts.size(), " word contexts, ", groups.size(),
                                    " groups"));

    // The group of every pair that occurs (pairs in no group never occur).
    auto group_at = [&groups](uint64_t pair) {
      const auto it = std::upper_bound(
          groups.begin(), groups.end(), pair,
          [](uint64_t v, const std::pair<uint64_t, uint64_t>& g) { return v < g.first; });
      return static_cast<uint32_t>(it - groups.begin()) - 1;
    };
    std::vector<uint32_t> first_group(alphabet, 0), second_group(big.size() * alphabet, 0);
    for (uint64_t c = 1; c < alphabet; ++c) {
      if (big_index[c] < 0) {
        first_group[c] = group_at(c * alphabet);
      } else {
        for (uint64_t d = 0; d < alphabet; ++d) {
          second_group[big_index[c] * alphabet + d] = group_at(c * alphabet + d);
        }
      }
    }
    auto group_of = [&](uint64_t p) {
      const int64_t b = big_index[ids[p]];
      return b < 0 ? first_group[ids[p]] : second_group[b * alphabet + ids[p + 1]];
    };
    // Suffixes per group and slice (tallies), and per group.
    ParallelFor(slices, slices, [&](size_t t, size_t, int) {
      std::vector<uint64_t>& counts = tallies[t];
      counts.assign(groups.size(), 0);
      for (uint64_t p = slice_begin(t); p < slice_begin(t + 1); ++p) {
        if (starts_piece(p)) ++counts[group_of(p)];
      }
    });
    const std::vector<uint64_t> group_sizes = sum_tallies(groups.size());

    // Groups are gathered a pass at a time: consecutive groups whose
    // suffixes fit in `pass_limit` (two groups' worth per thread, so that
    // one slow group does not hold a pass up for long), with one scan of
    // the text per pass (not per group), then sorted and walked on the
    // threads.
    const int workers = std::max(1, std::min<int>(threads, static_cast<int>(groups.size())));
    const uint64_t pass_limit = group_limit * 2 * static_cast<uint64_t>(workers);
    const CandidateOrder order(ids, sorter.per_key());
    std::vector<TopCandidates> tops(workers, TopCandidates(order, static_cast<size_t>(wanted)));
    training_log::Progress progress("Seed substrings", groups.size());
    std::vector<Suffix> gathered;
    std::vector<uint64_t> starts(groups.size() + 1, 0);
    for (size_t first = 0; first < groups.size();) {
      size_t last = first;
      uint64_t total = 0;
      while (last < groups.size() && (last == first || total + group_sizes[last] <= pass_limit)) {
        starts[last] = total;
        total += group_sizes[last++];
      }
      starts[last] = total;
      gathered.resize(total);
      // Each slice fills its part of every group of the pass: slices in
      // text order, so a group's suffixes are in text order.
      ParallelFor(slices, slices, [&](size_t t, size_t, int) {
        std::vector<uint64_t> fill(starts.begin() + first, starts.begin() + last);
        for (size_t before = 0; before < t; ++before) {
          for (size_t g = first; g < last; ++g) fill[g - first] += tallies[before][g];
        }
        const uint64_t begin = slice_begin(t), end = slice_begin(t + 1);
        size_t context = std::upper_bound(text.ends.begin(), text.ends.end(), begin) -
                         text.ends.begin();
        for (uint64_t p = begin; p < end; ++p) {
          while (p >= text.ends[context]) ++context;
          if (!starts_piece(p)) continue;
          const uint32_t g = group_of(p);
          if (g < first || g >= last) continue;
          gathered[fill[g - first]++] = Suffix{sorter.Pack(p), p, text.weights[context]};
        }
      });
      std::atomic<size_t> next_group{first};
      ParallelFor(workers, workers, [&](size_t worker, size_t, int) {
        for (size_t g; (g = next_group.fetch_add(1)) < last;) {
          if (worker == 0) progress.Update(g);
          WalkGroup(gathered.data() + starts[g], gathered.data() + starts[g + 1], sorter, text,
                    validator, max_len, &tops[worker]);
        }
      });
      first = last;
    }
    std::vector<Suffix>().swap(gathered);
    progress.Done();

    // Each thread sorts its best, then the sorted lists are merged.
    ParallelFor(workers, workers, [&](size_t t, size_t, int) {
      std::sort(tops[t].items().begin(), tops[t].items().end(), order);
    });
    std::vector<Candidate> all;
    for (TopCandidates& t : tops) {
      std::vector<Candidate> merged(all.size() + t.items().size());
      std::merge(all.begin(), all.end(), t.items().begin(), t.items().end(), merged.begin(),
                 order);
      all.swap(merged);
      std::vector<Candidate>().swap(t.items());
    }
    if (all.size() > static_cast<size_t>(wanted)) all.resize(wanted);
    // The strings on the threads too (each a few cache misses into the
    // text): this ran alone between two parallel phases.
    const size_t base = seeds.size();
    seeds.resize(base + all.size());
    ParallelFor(threads, all.size(), [&](size_t b, size_t e, int) {
      for (size_t i = b; i < e; ++i) {
        const Candidate& c = all[i];
        std::string& s = seeds[base + i].first;
        for (uint32_t k = 0; k < c.depth; ++k) utf8::Append(text.code_points[ids[c.pos + k]], &s);
        seeds[base + i].second = static_cast<double>(c.score);
      }
    });
  }

  double sum = 0;
  for (const auto& s : seeds) sum += s.second;
  const double log_sum = std::log(sum);
  for (auto& s : seeds) s.second = std::log(s.second) - log_sum;
  training_log::Info(absl::StrCat("Initialized ", seeds.size(), " seed sentencepieces"));
  return seeds;
}

}  // namespace sentencepiece
