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
  std::vector<uint32_t> id_of(0x110001, 0);
  for (uint64_t p = 0; p < total; ++p) {
    const uint32_t c = std::min<uint32_t>(t.ids[p], 0x110000);
    id_of[c] = 1;
  }
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
struct Candidate {
  int64_t score;
  uint64_t pos;
  uint32_t depth;
};

// Orders candidates best first: higher score, then the smaller string.
class CandidateOrder {
 public:
  explicit CandidateOrder(const uint32_t* ids) : ids_(ids) {}
  bool operator()(const Candidate& a, const Candidate& b) const {
    if (a.score != b.score) return a.score > b.score;
    return std::lexicographical_compare(ids_ + a.pos, ids_ + a.pos + a.depth, ids_ + b.pos,
                                        ids_ + b.pos + b.depth);
  }

 private:
  const uint32_t* ids_;
};

// The best `limit` candidates seen (a heap whose top is the worst kept).
class TopCandidates {
 public:
  TopCandidates(const uint32_t* ids, size_t limit) : order_(ids), limit_(limit) {}

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
// at most `limit`, from the packed keys alone.
class SuffixSorter {
 public:
  SuffixSorter(const uint32_t* ids, int bits, size_t limit)
      : ids_(ids), bits_(bits), per_key_(64 / bits), limit_(limit) {}

  void Sort(Suffix* begin, Suffix* end, size_t depth, uint32_t* lcp) const {
    if (end - begin < 2) return;
    for (Suffix* s = begin; s != end; ++s) s->key = Pack(s->pos + depth);
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
  // ids, whose next ids are packed in keys a and b.
  uint32_t Common(uint64_t a, uint64_t b, size_t depth) const {
    const uint64_t diff = a ^ b;
    const size_t same = diff == 0 ? per_key_ : static_cast<size_t>(__builtin_clzll(diff)) / bits_;
    const uint64_t mask = (uint64_t{1} << bits_) - 1;
    size_t l = same;
    for (size_t i = 0; i < same; ++i) {
      if (((a >> (64 - (i + 1) * bits_)) & mask) == 0) {
        l = i + 1;
        break;
      }
    }
    return static_cast<uint32_t>(std::min(limit_, depth + l));
  }

  uint64_t Pack(uint64_t pos) const {
    uint64_t key = 0;
    for (size_t i = 0; i < per_key_; ++i) key = (key << bits_) | ids_[pos + i];
    if (per_key_ * bits_ < 64) key <<= 64 - per_key_ * bits_;
    return key;
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
    std::vector<uint64_t> first_counts(alphabet, 0);
    for (uint64_t p = 0; p < text.size; ++p) {
      if (starts_piece(p)) ++first_counts[ids[p]];
    }
    // Each worker holds one group's suffixes (36 bytes each with the LCP
    // and prefix sums); each group costs a scan of the text.
    const uint64_t group_limit =
        std::clamp<uint64_t>(text.size / 16, uint64_t{1} << 20, uint64_t{4} << 20);
    std::vector<uint32_t> big;  // First ids with more suffixes than a group holds.
    std::vector<int64_t> big_index(alphabet, -1);
    for (uint64_t c = 1; c < alphabet; ++c) {
      if (first_counts[c] > group_limit) {
        big_index[c] = static_cast<int64_t>(big.size());
        big.push_back(static_cast<uint32_t>(c));
      }
    }
    std::vector<uint64_t> second_counts(big.size() * alphabet, 0);
    if (!big.empty()) {
      for (uint64_t p = 0; p < text.size; ++p) {
        if (starts_piece(p) && big_index[ids[p]] >= 0) {
          ++second_counts[big_index[ids[p]] * alphabet + ids[p + 1]];
        }
      }
    }
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

    // Each thread walks its groups and keeps its best `wanted` candidates.
    const int workers = std::max(1, std::min<int>(threads, static_cast<int>(groups.size())));
    std::vector<TopCandidates> tops(workers, TopCandidates(ids, static_cast<size_t>(wanted)));
    std::atomic<size_t> next_group{0};
    training_log::Progress progress("Seed substrings", groups.size());
    ParallelFor(workers, workers, [&](size_t worker, size_t, int) {
      TopCandidates& top = tops[worker];
      std::vector<Suffix> suffixes;
      std::vector<uint32_t> lcp;
      std::vector<int64_t> prefix;
      std::u32string piece;
      struct Open {
        uint32_t depth;
        size_t left;
      };
      std::vector<Open> stack;
      for (size_t g; (g = next_group.fetch_add(1)) < groups.size();) {
        if (worker == 0) progress.Update(g);
        const auto [lo, hi] = groups[g];
        suffixes.clear();
        size_t context = 0;
        for (uint64_t p = 0; p < text.size; ++p) {
          while (p >= text.ends[context]) ++context;
          if (!starts_piece(p)) continue;
          const uint64_t pair = ids[p] * alphabet + ids[p + 1];
          if (pair >= lo && pair < hi) suffixes.push_back({0, p, text.weights[context]});
        }
        const size_t m = suffixes.size();
        lcp.assign(m + 1, 0);  // lcp[i]: suffixes i-1 and i; lcp[m] = 0 closes all.
        sorter.Sort(suffixes.data(), suffixes.data() + m, 0, lcp.data());
        prefix.assign(m + 1, 0);
        for (size_t i = 0; i < m; ++i) prefix[i + 1] = prefix[i] + suffixes[i].weight;
        // Bottom-up walk of the LCP intervals: each interval [left, i-1]
        // with depth d is the node for its first d ids.
        stack.assign(1, Open{0, 0});
        for (size_t i = 1; i <= m; ++i) {
          size_t left = i - 1;
          while (lcp[i] < stack.back().depth) {
            const Open node = stack.back();
            stack.pop_back();
            left = node.left;
            const uint64_t pos = suffixes[node.left].pos;
            if (node.depth < 2 || node.depth > max_len || ids[pos + node.depth - 1] == 0) continue;
            const int64_t count = prefix[i] - prefix[node.left];
            const int64_t score = count * static_cast<int64_t>(node.depth);
            if (!top.Admits(score)) continue;
            piece.clear();
            for (uint32_t k = 0; k < node.depth; ++k) piece.push_back(text.code_points[ids[pos + k]]);
            if (!validator.IsValid(piece)) continue;
            top.Offer(Candidate{score, pos, node.depth});
          }
          if (lcp[i] > stack.back().depth) stack.push_back(Open{lcp[i], left});
        }
      }
    });
    progress.Done();

    std::vector<Candidate> all;
    for (TopCandidates& t : tops) {
      all.insert(all.end(), t.items().begin(), t.items().end());
      std::vector<Candidate>().swap(t.items());
    }
    std::sort(all.begin(), all.end(), CandidateOrder(ids));
    if (all.size() > static_cast<size_t>(wanted)) all.resize(wanted);
    for (const Candidate& c : all) {
      std::string s;
      for (uint32_t k = 0; k < c.depth; ++k) utf8::Append(text.code_points[ids[c.pos + k]], &s);
      seeds.emplace_back(std::move(s), static_cast<double>(c.score));
    }
  }

  double sum = 0;
  for (const auto& s : seeds) sum += s.second;
  const double log_sum = std::log(sum);
  for (auto& s : seeds) s.second = std::log(s.second) - log_sum;
  training_log::Info(absl::StrCat("Initialized ", seeds.size(), " seed sentencepieces"));
  return seeds;
}

}  // namespace sentencepiece
