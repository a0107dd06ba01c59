// BpeMerger against a textbook BPE loop (recount everything, pick the best,
// merge) on random and hand-made corpora.

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "common/utf8.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "trainer/bpe_merger.h"

namespace sentencepiece {
namespace {

using ::testing::ElementsAre;

// The naive loop. Symbols are ids in creation order (characters in order of
// first appearance, then merges); counts follow the run rule ("aaa" holds
// one "a"+"a").
std::vector<std::string> NaiveBpe(const std::vector<std::pair<std::string, int64_t>>& words,
                                  const PieceValidator& validator, int max_merges) {
  std::vector<std::u32string> sym_chars;
  std::map<char32_t, int> char_id;
  std::vector<std::pair<std::vector<int>, int64_t>> seqs;
  for (const auto& [w, f] : words) {
    std::vector<int> seq;
    for (size_t pos = 0; pos < w.size();) {
      size_t len;
      const char32_t c = utf8::Decode(std::string_view(w).substr(pos), &len);
      pos += len;
      auto [it, ins] = char_id.emplace(c, static_cast<int>(sym_chars.size()));
      if (ins) sym_chars.push_back(std::u32string(1, c));
      seq.push_back(it->second);
    }
    seqs.emplace_back(seq, f);
  }
  auto text = [&](const std::u32string& u) {
    std::string s;
    for (char32_t c : u) utf8::Append(c, &s);
    return s;
  };
  std::set<std::string> emitted, rejected_keys;
  std::set<std::pair<int, int>> closed;
  std::vector<std::string> merges;
  while (static_cast<int>(merges.size()) < max_merges) {
    std::map<std::pair<int, int>, int64_t> counts;
    for (const auto& [seq, f] : seqs) {
      for (size_t i = 0; i < seq.size();) {
        size_t j = i;
        while (j + 1 < seq.size() && seq[j + 1] == seq[i]) ++j;
        if (j > i) counts[{seq[i], seq[i]}] += static_cast<int64_t>((j - i + 1) / 2) * f;
        if (j + 1 < seq.size()) counts[{seq[j], seq[j + 1]}] += f;
        i = j + 1;
      }
    }
    bool found = false;
    std::pair<int, int> best;
    int64_t best_count = 0;
    std::u32string best_chars;
    for (const auto& [key, count] : counts) {
      if (count <= 0 || closed.count(key)) continue;
      const std::u32string chars = sym_chars[key.first] + sym_chars[key.second];
      if (chars.find(0x2585) != std::u32string::npos || !validator.IsValid(chars)) continue;
      bool better = !found || count > best_count ||
                    (count == best_count &&
                     (chars.size() < best_chars.size() ||
                      (chars.size() == best_chars.size() &&
                       (text(chars) < text(best_chars) ||
                        (text(chars) == text(best_chars) && key < best)))));
      if (better) {
        found = true;
        best = key;
        best_count = count;
        best_chars = chars;
      }
    }
    if (!found) break;
    closed.insert(best);
    if (!emitted.insert(text(best_chars)).second) continue;
    merges.push_back(text(best_chars));
    const int merged = static_cast<int>(sym_chars.size());
    sym_chars.push_back(best_chars);
    for (auto& [seq, f] : seqs) {
      std::vector<int> out;
      for (size_t i = 0; i < seq.size();) {
        if (i + 1 < seq.size() && seq[i] == best.first && seq[i + 1] == best.second) {
          out.push_back(merged);
          i += 2;
        } else {
          out.push_back(seq[i++]);
        }
      }
      seq = out;
    }
  }
  return merges;
}

std::vector<std::string> FastBpe(const std::vector<std::pair<std::string, int64_t>>& words,
                                 const PieceValidator& validator, int max_merges, int threads) {
  BpeMerger m(validator, threads);
  for (const auto& [w, f] : words) m.AddWord(w, f);
  return m.Run(max_merges, nullptr);
}

TEST(BpeMergerTest, ClassicExample) {
  TrainerSpec spec;
  PieceValidator v(spec);
  const std::vector<std::pair<std::string, int64_t>> words = {
      {"▁low", 5}, {"▁lower", 2}, {"▁newest", 6}, {"▁widest", 3}};
  const auto merges = FastBpe(words, v, 6, 1);
  // Ties at 7 ("▁l", "lo", "ow"): byte-wise smallest first.
  EXPECT_THAT(merges, ElementsAre("es", "est", "lo", "low", "▁low", "ew"));
  EXPECT_EQ(merges, NaiveBpe(words, v, 6));
}

TEST(BpeMergerTest, OverlappingPairsCountOnce) {
  TrainerSpec spec;
  PieceValidator v(spec);
  // "aaa" holds one "aa"; "aaaa" two: 3*1 + 1*2 = 5 < "bc" 6.
  const std::vector<std::pair<std::string, int64_t>> words = {{"aaa", 3}, {"aaaa", 1}, {"bc", 6}};
  BpeMerger m(v, 1);
  for (const auto& [w, f] : words) m.AddWord(w, f);
  EXPECT_THAT(m.Run(1, nullptr), ElementsAre("bc"));
  EXPECT_EQ(m.last_frequency(), 6);
  // Then "aa" (5); "aaa" -> "aa a", "aaaa" -> "aa aa": "aa"+"a" 3 beats "aa"+"aa" 1.
  EXPECT_THAT(FastBpe(words, v, 3, 1), ElementsAre("bc", "aa", "aaa"));
  EXPECT_EQ(FastBpe(words, v, 3, 1), NaiveBpe(words, v, 3));
}

TEST(BpeMergerTest, TieBreaks) {
  TrainerSpec spec;
  spec.set_split_by_unicode_script(false);
  PieceValidator v(spec);
  // All pairs occur twice: shorter first, then the byte-wise smaller string.
  const std::vector<std::pair<std::string, int64_t>> words = {{"zy", 2}, {"ba", 2}, {"xw", 2}};
  EXPECT_THAT(FastBpe(words, v, 3, 1), ElementsAre("ba", "xw", "zy"));
  // "aaa" both as "aa"+"a" and "a"+"aa": one piece, from the first path.
  const std::vector<std::pair<std::string, int64_t>> paths = {{"aaab", 4}, {"baaa", 4}};
  EXPECT_EQ(FastBpe(paths, v, 10, 1), NaiveBpe(paths, v, 10));
}

TEST(BpeMergerTest, UnknownAndInvalidPairsNeverMerge) {
  TrainerSpec spec;
  PieceValidator v(spec);
  const std::vector<std::pair<std::string, int64_t>> words = {
      {"a\xE2\x96\x85" "a", 10}, {"a,", 10}, {"▁b", 1}};
  EXPECT_THAT(FastBpe(words, v, 5, 1), ElementsAre("▁b"));
}

std::string RandomWord(std::mt19937* gen) {
  static const char* const kChars[] = {"a", "b", "c", "a", "a", "▁", "日", "本", "1", ","};
  std::uniform_int_distribution<int> len(1, 9), pick(0, 9);
  std::string w = (*gen)() % 3 == 0 ? "▁" : "";
  for (int n = len(*gen); n > 0; --n) w += kChars[pick(*gen)];
  return w;
}

TEST(BpeMergerTest, MatchesNaiveOnRandomCorpora) {
  for (int seed = 0; seed < 30; ++seed) {
    std::mt19937 gen(seed);
    std::vector<std::pair<std::string, int64_t>> words;
    std::set<std::string> seen;
    for (int i = 0; i < 60; ++i) {
      std::string w = RandomWord(&gen);
      if (seen.insert(w).second) words.emplace_back(w, 1 + gen() % 5);
    }
    TrainerSpec spec;
    spec.set_split_by_whitespace(seed % 2 == 0);
    spec.set_treat_whitespace_as_suffix(seed % 3 == 0);
    spec.set_max_sentencepiece_length(4 + seed % 5);
    PieceValidator v(spec);
    const auto naive = NaiveBpe(words, v, 40);
    EXPECT_EQ(FastBpe(words, v, 40, 1), naive) << "seed " << seed;
    EXPECT_EQ(FastBpe(words, v, 40, 2), naive) << "seed " << seed;
  }
}

TEST(BpeMergerTest, ParallelPathMatchesSerial) {
  // Enough words for the parallel path (thousands per merge).
  std::mt19937 gen(99);
  std::vector<std::pair<std::string, int64_t>> words;
  std::set<std::string> seen;
  while (words.size() < 20000) {
    std::string w = RandomWord(&gen) + RandomWord(&gen);
    if (seen.insert(w).second) words.emplace_back(w, 1 + gen() % 3);
  }
  TrainerSpec spec;
  spec.set_split_by_whitespace(false);
  spec.set_split_by_unicode_script(false);
  PieceValidator v(spec);
  EXPECT_EQ(FastBpe(words, v, 200, 2), FastBpe(words, v, 200, 1));
}

}  // namespace
}  // namespace sentencepiece
