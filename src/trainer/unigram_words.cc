#include "trainer/unigram_words.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "common/utf8.h"
#include "trainer/parallel.h"
#include "trainer/training_log.h"
#include "trainer/word_split.h"

namespace sentencepiece {
namespace {

// Hashes are computed once per occurrence and carried in the keys: the
// word's hash picks the shard (all contexts of a word meet in one shard)
// and is mixed with the next character into the context's hash.
uint64_t Mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

// A word as it occurred, extended by the bytes of the character after it
// (a view into the sentence buffer).
struct ContextKey {
  const char* data;
  uint32_t word_len;
  uint32_t ext_len;  // word_len plus the next character's bytes (or 0).
  uint64_t hash;     // Of the context.
  bool operator==(const ContextKey& o) const {
    return hash == o.hash && word_len == o.word_len && ext_len == o.ext_len &&
           std::string_view(data, ext_len) == std::string_view(o.data, o.ext_len);
  }
};
struct WordKey {
  std::string_view word;
  uint64_t hash;
  bool operator==(const WordKey& o) const { return hash == o.hash && word == o.word; }
};
struct StoredHash {
  size_t operator()(const ContextKey& k) const { return k.hash; }
  size_t operator()(const WordKey& k) const { return k.hash; }
};

using ContextCounts = absl::flat_hash_map<ContextKey, int64_t, StoredHash>;

struct Shard {
  ContextCounts contexts;
  // Filled after counting: the shard's distinct words and their contexts
  // (word indices local to the shard).
  std::vector<std::string_view> words;
  std::vector<int64_t> counts;
  std::vector<UnigramWords::Context> word_contexts;
};

}  // namespace

UnigramWords CollectUnigramWords(const TrainerSpec& spec, int threads, SentenceStore* sentences) {
  const int shards = EffectiveThreads(threads);
  const bool split = spec.split_by_whitespace();
  const bool suffix = spec.treat_whitespace_as_suffix();
  const bool runs = spec.allow_whitespace_only_pieces();
  std::vector<Shard> parts(shards);
  {
    training_log::Progress progress("Counting words", sentences->size());
    // Each thread counts the contexts of the runs of sentences it takes
    // (in turn: a corpus's languages come in stretches that differ in
    // cost) into one table per shard; then each shard merges its tables.
    // Counts are sums, so which thread counted what does not matter.
    std::vector<std::vector<ContextCounts>> local(shards, std::vector<ContextCounts>(shards));
    ForEachChunk(shards, sentences->size(), 4096, [&](size_t begin, size_t end, int t) {
      if (t == 0) progress.Update(begin);
      std::vector<ContextCounts>& counts = local[t];
      const absl::Hash<std::string_view> hash;
      std::vector<std::string_view> words;
      for (size_t i = begin; i < end; ++i) {
        const std::string_view text = sentences->text(i);
        const int64_t freq = sentences->freq(i);
        if (split) {
          SplitIntoWordsForTraining(text, suffix, runs, &words);
        } else {
          words.assign(1, text);
        }
        for (size_t j = 0; j < words.size(); ++j) {
          const std::string_view w = words[j];
          const uint64_t word_hash = hash(w);
          ContextKey key{w.data(), static_cast<uint32_t>(w.size()),
                         static_cast<uint32_t>(w.size()), 0};
          uint64_t next = 0;
          if (j + 1 < words.size()) {
            const size_t len = std::min(utf8::OneCharLen(words[j + 1][0]), words[j + 1].size());
            key.ext_len += static_cast<uint32_t>(len);
            for (size_t k = 0; k < len; ++k) {
              next = (next << 8) | static_cast<unsigned char>(words[j + 1][k]);
            }
            next |= uint64_t{len} << 32;
          }
          key.hash = Mix(word_hash ^ Mix(next + 0x9e3779b97f4a7c15ULL));
          counts[(word_hash >> 40) % shards][key] += freq;
        }
      }
    });
    ParallelFor(shards, shards, [&](size_t shard, size_t, int) {
      // The biggest table takes in the others.
      size_t biggest = 0;
      for (int t = 1; t < shards; ++t) {
        if (local[t][shard].size() > local[biggest][shard].size()) biggest = t;
      }
      ContextCounts& mine = parts[shard].contexts;
      mine = std::move(local[biggest][shard]);
      for (int t = 0; t < shards; ++t) {
        if (static_cast<size_t>(t) == biggest) continue;
        for (const auto& [key, count] : local[t][shard]) mine[key] += count;
        ContextCounts().swap(local[t][shard]);
      }
    });
    progress.Done();
  }

  // Distinct words per shard, in parallel.
  ParallelFor(shards, shards, [&](size_t shard, size_t, int) {
    Shard& part = parts[shard];
    const absl::Hash<std::string_view> hash;
    absl::flat_hash_map<WordKey, uint32_t, StoredHash> index;
    index.reserve(part.contexts.size());
    part.word_contexts.reserve(part.contexts.size());
    for (const auto& [key, count] : part.contexts) {
      const std::string_view w(key.data, key.word_len);
      auto [it, inserted] =
          index.try_emplace(WordKey{w, hash(w)}, static_cast<uint32_t>(part.words.size()));
      if (inserted) {
        part.words.push_back(w);
        part.counts.push_back(0);
      }
      part.counts[it->second] += count;
      char32_t next = 0;
      if (key.ext_len > key.word_len) {
        size_t len = 0;
        next = utf8::Decode(std::string_view(key.data + key.word_len, key.ext_len - key.word_len),
                            &len);
      }
      part.word_contexts.push_back({it->second, next, count});
    }
    ContextCounts().swap(part.contexts);
  });

  // The words in byte order, so that the word order (and so the chunks
  // the E-step sums over) does not depend on hashing or threads.
  struct Ref {
    uint64_t key;  // The first 8 bytes, big-endian, zero-padded.
    uint32_t shard, index;
  };
  std::vector<Ref> refs;
  size_t bytes = 0, num_contexts = 0;
  for (size_t s = 0; s < parts.size(); ++s) {
    num_contexts += parts[s].word_contexts.size();
    for (size_t i = 0; i < parts[s].words.size(); ++i) {
      const std::string_view w = parts[s].words[i];
      bytes += w.size();
      uint64_t key = 0;
      for (size_t k = 0; k < 8; ++k) {
        key = (key << 8) | (k < w.size() ? static_cast<unsigned char>(w[k]) : 0);
      }
      refs.push_back({key, static_cast<uint32_t>(s), static_cast<uint32_t>(i)});
    }
  }
  auto less = [&parts](const Ref& a, const Ref& b) {
    if (a.key != b.key) return a.key < b.key;
    return parts[a.shard].words[a.index] < parts[b.shard].words[b.index];
  };
  if (shards > 1) {
    // Two halves sorted in parallel, then merged in parallel too: the
    // first half's middle word splits both halves into two merges (the
    // words are distinct, so the split is exact).
    const size_t mid = refs.size() / 2;
    ParallelFor(2, 2, [&](size_t b, size_t, int) {
      if (b == 0) std::sort(refs.begin(), refs.begin() + mid, less);
      else std::sort(refs.begin() + mid, refs.end(), less);
    });
    const size_t a_split = mid / 2;
    const size_t b_split =
        mid == 0 ? mid
                 : static_cast<size_t>(std::lower_bound(refs.begin() + mid, refs.end(),
                                                        refs[a_split], less) -
                                       refs.begin());
    std::vector<Ref> merged(refs.size());
    ParallelFor(2, 2, [&](size_t half, size_t, int) {
      if (half == 0) {
        std::merge(refs.begin(), refs.begin() + a_split, refs.begin() + mid,
                   refs.begin() + b_split, merged.begin(), less);
      } else {
        std::merge(refs.begin() + a_split, refs.begin() + mid, refs.begin() + b_split, refs.end(),
                   merged.begin() + a_split + (b_split - mid), less);
      }
    });
    refs.swap(merged);
  } else {
    std::sort(refs.begin(), refs.end(), less);
  }
  std::vector<std::vector<uint32_t>> ids(parts.size());
  for (size_t s = 0; s < parts.size(); ++s) ids[s].resize(parts[s].words.size());
  UnigramWords out;
  out.contexts.reserve(num_contexts);
  // The offsets first, then the words copied on the threads.
  out.offsets.resize(refs.size() + 1);
  for (size_t i = 0; i < refs.size(); ++i) {
    out.offsets[i + 1] = out.offsets[i] + parts[refs[i].shard].words[refs[i].index].size();
  }
  out.text.resize(bytes);
  out.counts.resize(refs.size());
  ParallelFor(shards, refs.size(), [&](size_t b, size_t e, int) {
    for (size_t i = b; i < e; ++i) {
      const Ref& r = refs[i];
      const std::string_view w = parts[r.shard].words[r.index];
      ids[r.shard][r.index] = static_cast<uint32_t>(i);
      std::copy(w.begin(), w.end(), out.text.begin() + out.offsets[i]);
      out.counts[i] = parts[r.shard].counts[r.index];
    }
  });
  std::vector<Ref>().swap(refs);
  for (size_t s = 0; s < parts.size(); ++s) {
    for (UnigramWords::Context c : parts[s].word_contexts) {
      c.word = ids[s][c.word];
      out.contexts.push_back(c);
    }
    parts[s] = Shard();
  }
  sentences->Clear();
  training_log::Info(absl::StrCat("Unigram: ", out.size(), " distinct words, ", out.text.size(),
                                  " bytes"));
  return out;
}

}  // namespace sentencepiece
