#include "trainer/unigram_words.h"

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

struct Shard {
  absl::flat_hash_map<ContextKey, int64_t> contexts;
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
    // Each thread reads every sentence and counts the words whose hash
    // falls in its shard (all contexts of a word land in one shard).
    ParallelFor(shards, shards, [&](size_t shard, size_t, int) {
      Shard& part = parts[shard];
      const std::hash<std::string_view> hash;
      std::vector<std::string_view> words;
      for (size_t i = 0; i < sentences->size(); ++i) {
        const std::string_view text = sentences->text(i);
        const int64_t freq = sentences->freq(i);
        if (split) {
          words = SplitIntoWordsForTraining(text, suffix, runs);
        } else {
          words.assign(1, text);
        }
        for (size_t j = 0; j < words.size(); ++j) {
          const std::string_view w = words[j];
          if (shards > 1 && (hash(w) >> 20) % shards != shard) continue;
          uint32_t ext = static_cast<uint32_t>(w.size());
          if (j + 1 < words.size()) {
            ext += static_cast<uint32_t>(
                std::min(utf8::OneCharLen(words[j + 1][0]), words[j + 1].size()));
          }
          part.contexts[ContextKey{w.data(), static_cast<uint32_t>(w.size()), ext}] += freq;
        }
        if (shard == 0 && (i & 0xFFFF) == 0) progress.Update(i);
      }
    });
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

  UnigramWords out;
  size_t num_words = 0, bytes = 0, num_contexts = 0;
  for (const Shard& part : parts) {
    num_words += part.words.size();
    num_contexts += part.word_contexts.size();
    for (std::string_view w : part.words) bytes += w.size();
  }
  out.text.reserve(bytes);
  out.offsets.reserve(num_words + 1);
  out.counts.reserve(num_words);
  out.contexts.reserve(num_contexts);
  for (Shard& part : parts) {
    const uint32_t base = static_cast<uint32_t>(out.counts.size());
    for (size_t i = 0; i < part.words.size(); ++i) {
      out.text.append(part.words[i]);
      out.offsets.push_back(out.text.size());
      out.counts.push_back(part.counts[i]);
    }
    for (UnigramWords::Context c : part.word_contexts) {
      c.word += base;
      out.contexts.push_back(c);
    }
    part = Shard();
  }
  sentences->Clear();
  training_log::Info(absl::StrCat("Unigram: ", out.size(), " distinct words, ", out.text.size(),
                                  " bytes"));
  return out;
}

}  // namespace sentencepiece
