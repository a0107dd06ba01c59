#include "trainer/unigram_words.h"

#include <algorithm>
#include <functional>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "common/utf8.h"
#include "trainer/parallel.h"
#include "trainer/training_log.h"
#include "trainer/word_split.h"

namespace sentencepiece {
namespace {

// A word as it occurred, extended by the bytes of the character after it
// (a view into the sentence buffer).
struct ContextKey {
  const char* data;
  uint32_t word_len;
  uint32_t ext_len;  // word_len plus the next character's bytes (or 0).
  bool operator==(const ContextKey& o) const {
    return word_len == o.word_len && ext_len == o.ext_len &&
           std::string_view(data, ext_len) == std::string_view(o.data, o.ext_len);
  }
  template <typename H>
  friend H AbslHashValue(H h, const ContextKey& k) {
    return H::combine(std::move(h), std::string_view(k.data, k.ext_len), k.word_len);
  }
};

using ContextCounts = absl::flat_hash_map<ContextKey, int64_t>;

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
    // Each thread counts the contexts of its range of sentences; then each
    // shard gathers the contexts whose word hashes to it (all contexts of a
    // word land in one shard).
    std::vector<ContextCounts> local(shards);
    ParallelFor(shards, sentences->size(), [&](size_t begin, size_t end, int t) {
      ContextCounts& counts = local[t];
      std::vector<std::string_view> words;
      for (size_t i = begin; i < end; ++i) {
        const std::string_view text = sentences->text(i);
        const int64_t freq = sentences->freq(i);
        if (split) {
          words = SplitIntoWordsForTraining(text, suffix, runs);
        } else {
          words.assign(1, text);
        }
        for (size_t j = 0; j < words.size(); ++j) {
          const std::string_view w = words[j];
          uint32_t ext = static_cast<uint32_t>(w.size());
          if (j + 1 < words.size()) {
            ext += static_cast<uint32_t>(
                std::min(utf8::OneCharLen(words[j + 1][0]), words[j + 1].size()));
          }
          counts[ContextKey{w.data(), static_cast<uint32_t>(w.size()), ext}] += freq;
        }
        if (t == 0 && ((i - begin) & 0xFFFF) == 0) progress.Update((i - begin) * shards);
      }
    });
    if (shards == 1) {
      parts[0].contexts = std::move(local[0]);
    } else {
      ParallelFor(shards, shards, [&](size_t shard, size_t, int) {
        const std::hash<std::string_view> hash;
        ContextCounts& mine = parts[shard].contexts;
        for (const ContextCounts& counts : local) {
          for (const auto& [key, count] : counts) {
            if ((hash(std::string_view(key.data, key.word_len)) >> 20) % shards != shard) continue;
            mine[key] += count;
          }
        }
      });
    }
    progress.Done();
  }

  // Distinct words per shard, in parallel.
  ParallelFor(shards, shards, [&](size_t shard, size_t, int) {
    Shard& part = parts[shard];
    absl::flat_hash_map<std::string_view, uint32_t> index;
    index.reserve(part.contexts.size());
    part.word_contexts.reserve(part.contexts.size());
    for (const auto& [key, count] : part.contexts) {
      const std::string_view w(key.data, key.word_len);
      auto [it, inserted] = index.try_emplace(w, static_cast<uint32_t>(part.words.size()));
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
    absl::flat_hash_map<ContextKey, int64_t>().swap(part.contexts);
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
  {
    // Two halves sorted in parallel, then merged.
    const size_t mid = shards > 1 ? refs.size() / 2 : refs.size();
    ParallelFor(shards > 1 ? 2 : 1, 2, [&](size_t b, size_t, int) {
      if (b == 0) std::sort(refs.begin(), refs.begin() + mid, less);
      else std::sort(refs.begin() + mid, refs.end(), less);
    });
    std::inplace_merge(refs.begin(), refs.begin() + mid, refs.end(), less);
  }
  std::vector<std::vector<uint32_t>> ids(parts.size());
  for (size_t s = 0; s < parts.size(); ++s) ids[s].resize(parts[s].words.size());
  UnigramWords out;
  out.text.reserve(bytes);
  out.offsets.reserve(refs.size() + 1);
  out.counts.reserve(refs.size());
  out.contexts.reserve(num_contexts);
  for (const Ref& r : refs) {
    ids[r.shard][r.index] = static_cast<uint32_t>(out.counts.size());
    out.text.append(parts[r.shard].words[r.index]);
    out.offsets.push_back(out.text.size());
    out.counts.push_back(parts[r.shard].counts[r.index]);
  }
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
