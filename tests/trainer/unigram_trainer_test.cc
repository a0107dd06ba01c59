// The Unigram trainer: seeds against a brute-force count over sentences,
// forward-backward against enumerating every segmentation, and models that
// do not depend on num_threads.

#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/utf8.h"
#include "gtest/gtest.h"
#include "sentencepiece_model.pb.h"
#include "sentencepiece_trainer.h"
#include "trainer/corpus_preprocessor.h"
#include "trainer/piece_validator.h"
#include "trainer/training_log.h"
#include "trainer/unigram_em.h"
#include "trainer/unigram_pieces.h"
#include "trainer/unigram_pruning.h"
#include "trainer/unigram_seeds.h"
#include "trainer/unigram_words.h"

namespace sentencepiece {
namespace {

// Sentences of words drawn (Zipf-like) from random syllable strings, with
// some lines without spaces (as in Chinese or Japanese text), already in
// normalized form (▁ for spaces, as the trainer sees them).
std::vector<std::string> RandomSentences(uint32_t seed, int lines, bool with_cjk) {
  std::mt19937 rng(seed);
  const std::vector<std::string> syllables = {"a", "ka", "to", "re", "n", "mi", "su", "el",
                                              "th", "e", "ing", "s"};
  const std::vector<std::string> han = {"日", "本", "語", "の", "文", "字", "は", "で", "す"};
  std::vector<std::string> vocab;
  for (int i = 0; i < 60; ++i) {
    std::string w;
    const int n = 1 + rng() % 4;
    for (int k = 0; k < n; ++k) w += syllables[rng() % syllables.size()];
    vocab.push_back(w);
  }
  std::vector<std::string> out;
  for (int l = 0; l < lines; ++l) {
    std::string s;
    if (with_cjk && l % 5 == 0) {
      const int n = 3 + rng() % 12;
      for (int k = 0; k < n; ++k) s += han[std::min<size_t>(rng() % 9, rng() % 9)];
    } else {
      const int n = 1 + rng() % 8;
      for (int k = 0; k < n; ++k) {
        s += "\xE2\x96\x81";
        s += vocab[std::min<size_t>(rng() % vocab.size(), rng() % vocab.size())];
      }
    }
    out.push_back(s);
  }
  return out;
}

std::u32string Decode(const std::string& s) {
  std::u32string out;
  for (size_t p = 0; p < s.size();) {
    size_t len = 0;
    out.push_back(utf8::Decode(std::string_view(s).substr(p), &len));
    p += len;
  }
  return out;
}

// The sentences' characters, most frequent first (as the trainer's
// alphabet lists them), and the sentences in a store.
CharacterSet CharactersOf(const std::vector<std::string>& sents) {
  std::map<char32_t, int64_t> counts;
  for (const std::string& s : sents) {
    for (char32_t c : Decode(s)) ++counts[c];
  }
  CharacterSet chars;
  for (const auto& [c, n] : counts) chars.chars.emplace_back(c, n);
  std::stable_sort(chars.chars.begin(), chars.chars.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return chars;
}

SentenceStore StoreOf(const std::vector<std::string>& sents) {
  SentenceStore store;
  for (const std::string& s : sents) store.Add(s, 1);
  return store;
}

// The reference's seed rule, by brute force over whole sentences: a
// substring is a candidate if it is followed by at least two different
// characters (the end of a sentence counting as one) over the corpus.
std::vector<std::pair<std::string, double>> BruteForceSeeds(const std::vector<std::string>& sents,
                                                            const TrainerSpec& spec) {
  const PieceValidator validator(spec);
  std::map<std::u32string, std::pair<int64_t, std::set<char32_t>>> subs;
  std::map<char32_t, int64_t> chars;
  for (const std::string& s : sents) {
    const std::u32string u = Decode(s);
    for (size_t i = 0; i < u.size(); ++i) {
      ++chars[u[i]];
      for (size_t j = i + 2; j <= u.size(); ++j) {
        auto& e = subs[u.substr(i, j - i)];
        ++e.first;
        e.second.insert(j < u.size() ? u[j] : 0);
      }
    }
  }
  std::vector<std::pair<std::string, double>> seeds;
  std::vector<std::pair<char32_t, int64_t>> sorted_chars(chars.begin(), chars.end());
  std::stable_sort(sorted_chars.begin(), sorted_chars.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [c, n] : sorted_chars) {
    std::string s;
    utf8::Append(c, &s);
    seeds.emplace_back(s, n);
  }
  std::vector<std::pair<int64_t, std::string>> scored;
  for (const auto& [u, e] : subs) {
    if (e.first < 2 || e.second.size() < 2 || !validator.IsValid(u)) continue;
    std::string s;
    for (char32_t c : u) utf8::Append(c, &s);
    scored.emplace_back(-e.first * static_cast<int64_t>(u.size()), s);
  }
  std::sort(scored.begin(), scored.end());
  for (const auto& [neg, s] : scored) {
    if (seeds.size() >= static_cast<size_t>(spec.seed_sentencepiece_size())) break;
    seeds.emplace_back(s, -neg);
  }
  double sum = 0;
  for (const auto& s : seeds) sum += s.second;
  for (auto& s : seeds) s.second = std::log(s.second) - std::log(sum);
  return seeds;
}

class UnigramTest : public ::testing::Test {
 protected:
  void SetUp() override { training_log::SetMinLogLevel(2); }
};

TEST_F(UnigramTest, SeedsMatchBruteForceOverSentences) {
  for (bool split : {true, false}) {
    for (bool suffix : {false, true}) {
      for (int seed_size : {1000000, 300}) {
        TrainerSpec spec;
        spec.set_split_by_whitespace(split);
        spec.set_treat_whitespace_as_suffix(suffix);
        spec.set_seed_sentencepiece_size(seed_size);
        std::vector<std::string> sents = RandomSentences(7 + split + 2 * suffix, 400, true);
        if (suffix) {
          // Suffix mode puts ▁ after words.
          for (std::string& s : sents) {
            if (s.rfind("\xE2\x96\x81", 0) == 0) s = s.substr(3) + "\xE2\x96\x81";
          }
        }
        const CharacterSet chars = CharactersOf(sents);
        const auto expected = BruteForceSeeds(sents, spec);
        for (int threads : {1, 2}) {
          SentenceStore copy = StoreOf(sents);
          const UnigramWords words = CollectUnigramWords(spec, threads, &copy);
          const auto seeds = MakeSeedPieces(words, chars, PieceValidator(spec), spec, threads);
          ASSERT_EQ(seeds.size(), expected.size()) << split << suffix << seed_size;
          for (size_t i = 0; i < seeds.size(); ++i) {
            EXPECT_EQ(seeds[i].first, expected[i].first) << i;
            EXPECT_NEAR(seeds[i].second, expected[i].second, 1e-9) << i;
          }
        }
      }
    }
  }
}

// Ties in count x length between long substrings that differ only after
// their first ids (beyond what the seed ranking packs into a 64-bit key):
// the order and the cut must still follow the strings.
TEST_F(UnigramTest, SeedTiesBeyondThePackedKey) {
  // "▁qwertyuiopasdf" + X, for 30 letters X, each followed by x and by y:
  // 30 nodes of the same count and length that differ at their 16th
  // character, and likewise without the ▁.
  std::vector<std::string> sents;
  for (int k = 0; k < 30; ++k) {
    for (const char* next : {"x", "y"}) {
      sents.push_back("\xE2\x96\x81qwertyuiopasdf" + std::string(1, static_cast<char>('A' + k)) +
                      next + "\xE2\x96\x81zz");
    }
  }
  const CharacterSet chars = CharactersOf(sents);
  SentenceStore store = StoreOf(sents);
  const UnigramWords words = CollectUnigramWords(TrainerSpec(), 1, &store);
  for (int seed_size : {50, 65, 80, 95, 1000}) {
    TrainerSpec spec;
    spec.set_seed_sentencepiece_size(seed_size);
    const auto expected = BruteForceSeeds(sents, spec);
    const auto seeds = MakeSeedPieces(words, chars, PieceValidator(spec), spec, 2);
    ASSERT_EQ(seeds.size(), expected.size()) << seed_size;
    for (size_t i = 0; i < seeds.size(); ++i) {
      EXPECT_EQ(seeds[i].first, expected[i].first) << seed_size << " " << i;
    }
  }
}

// Every segmentation of `word` under `pieces` (with unknown edges), by
// recursion: sums count-weighted expected uses of each piece.
void Enumerate(const std::vector<std::vector<uint32_t>>& at, const PieceSet& pieces, uint32_t pos,
               double logp, std::vector<uint32_t>* path,
               std::vector<std::pair<double, std::vector<uint32_t>>>* out) {
  if (pos == at.size()) {
    out->emplace_back(logp, *path);
    return;
  }
  for (uint32_t id : at[pos]) {
    path->push_back(id);
    Enumerate(at, pieces, pos + pieces.lengths()[id], logp + pieces.scores()[id], path, out);
    path->pop_back();
  }
}

// The edges of a lattice by start position.
std::vector<std::vector<uint32_t>> EdgesByPosition(const WordLattice::View& lat) {
  std::vector<std::vector<uint32_t>> at(lat.size);
  const uint32_t* e = lat.edges;
  for (uint32_t pos = 0; pos < lat.size; ++pos) {
    uint32_t x;
    do {
      x = *e++;
      at[pos].push_back(x & WordLattice::kIdMask);
    } while (!(x & WordLattice::kLast));
  }
  return at;
}

TEST_F(UnigramTest, ExpectedCountsMatchEnumeration) {
  std::vector<std::pair<std::string, double>> list = {
      {"a", -2.0}, {"b", -2.5}, {"ab", -3.0}, {"ba", -3.5}, {"abb", -4.0}, {"bab", -6.0},
      {"\xE2\x96\x81", -1.0}, {"\xE2\x96\x81" "a", -2.2}, {"\xE2\x96\x81" "ab", -70.0}};
  auto built = PieceSet::Build(list);
  ASSERT_TRUE(built.ok());
  PieceSet pieces = std::move(built).value();
  UnigramWords words;
  const std::vector<std::pair<std::string, int64_t>> input = {
      {"\xE2\x96\x81" "abab", 3}, {"babba", 1}, {"\xE2\x96\x81" "abcab", 2},  // c: unknown
      {std::string(600, 'a') + "b", 1}};  // Long: needs rescaling.
  for (const auto& [w, n] : input) {
    words.text += w;
    words.offsets.push_back(words.text.size());
    words.counts.push_back(n);
  }
  std::vector<double> expected(pieces.size(), 0.0);
  for (size_t i = 0; i + 1 < input.size(); ++i) {
    WordLattice lattice;
    lattice.Build(pieces, input[i].first);
    std::vector<std::pair<double, std::vector<uint32_t>>> paths;
    std::vector<uint32_t> path;
    Enumerate(EdgesByPosition(lattice.view()), pieces, 0, 0.0, &path, &paths);
    double z = 0;
    for (const auto& p : paths) z += std::exp(p.first);
    for (const auto& p : paths) {
      for (uint32_t id : p.second) {
        if (id < pieces.size()) expected[id] += input[i].second * std::exp(p.first) / z;
      }
    }
  }
  // The long word: a*600 b; only "a", "ab", "b" apply, and its lattice is a
  // chain where the last two characters are "a"+"b" or "ab".
  {
    const double pab = std::exp(-3.0), pa_b = std::exp(-2.0 - 2.5);
    const double share_ab = pab / (pab + pa_b);
    expected[2] += share_ab;
    expected[0] += 599 + (1 - share_ab);
    expected[1] += 1 - share_ab;
  }
  for (int threads : {1, 2}) {
    for (size_t budget : {size_t{0}, size_t{1} << 20}) {  // Latticed on the fly, cached.
      LatticeCache cache;
      cache.Build(pieces, words, threads, budget);
      const ExpectedCounts got = RunEStep(pieces, words, cache, threads);
      for (size_t i = 0; i < pieces.size(); ++i) {
        EXPECT_NEAR(got.counts[i], expected[i], 1e-9 * (1 + expected[i])) << pieces.piece(i);
      }
    }
  }
}

// The edges of word i's lattice: from the cache, and built afresh.
std::vector<uint32_t> CachedEdges(const LatticeCache& cache, size_t i) {
  std::vector<uint32_t> out;
  EXPECT_TRUE(cache.GetWord(i, &out));
  return out;
}

std::vector<uint32_t> FreshEdges(const PieceSet& pieces, std::string_view word) {
  std::vector<uint32_t> out;
  WordLattice::Append(pieces, word, -1, &out);
  return out;
}

TEST_F(UnigramTest, LatticeRemapEqualsRebuild) {
  std::vector<std::pair<std::string, double>> list = {
      {"a", -2.0}, {"b", -2.5}, {"c", -3.0}, {"ab", -3.0}, {"ba", -3.5}, {"abb", -4.0},
      {"bab", -6.0}, {"\xE2\x96\x81", -1.0}, {"\xE2\x96\x81" "a", -2.2},
      {"\xE2\x96\x81" "ab", -7.0}, {"abc", -5.0}, {"\xE4\xB8\x80\xE4\xBA\x8C", -4.0},
      {"\xE4\xB8\x80", -3.0}};
  PieceSet pieces = PieceSet::Build(list).value();
  UnigramWords words;
  for (const std::string w : {"\xE2\x96\x81" "abab", "babba", "\xE2\x96\x81" "abcab",
                              "\xE4\xB8\x80\xE4\xBA\x8C\xE4\xB8\x80x", "abcabcbab"}) {
    words.text += w;
    words.offsets.push_back(words.text.size());
    words.counts.push_back(1);
  }
  LatticeCache cache;
  cache.Build(pieces, words, 2, 1 << 20);
  for (size_t i = 0; i < words.size(); ++i) {
    EXPECT_EQ(CachedEdges(cache, i), FreshEdges(pieces, words.word(i))) << i;
  }
  // M-step style: same ids, "b" (one character) and "abb" die.
  pieces.Kill(1);
  pieces.Kill(5);
  pieces.Refresh();
  cache.DropDead(pieces, 1);
  for (size_t i = 0; i < words.size(); ++i) {
    EXPECT_EQ(CachedEdges(cache, i), FreshEdges(pieces, words.word(i))) << i;
  }
  // Pruning style: a subset in a new order, new ids.
  const std::vector<uint32_t> keep = {12, 0, 7, 3, 8, 2};
  std::vector<std::pair<std::string, double>> kept;
  std::vector<uint32_t> remap(pieces.size() + 1, LatticeCache::kDropped);
  for (uint32_t id : keep) {
    remap[id] = static_cast<uint32_t>(kept.size());
    kept.emplace_back(std::string(pieces.piece(id)), pieces.score(id));
  }
  remap[pieces.size()] = static_cast<uint32_t>(kept.size());
  const std::vector<uint16_t> old_lengths = pieces.lengths();
  PieceSet pruned = PieceSet::Build(kept).value();
  cache.Remap(remap, old_lengths, pruned.unknown_id(), 2);
  for (size_t i = 0; i < words.size(); ++i) {
    EXPECT_EQ(CachedEdges(cache, i), FreshEdges(pruned, words.word(i))) << i;
  }
  // The best path of "babba" under the pruned set: unknown b, ab, unknown b, a.
  WordLattice lattice;
  lattice.Build(pruned, "babba");
  std::vector<double> best;
  std::vector<uint32_t> back, path;
  BestPath(lattice.view(), pruned.scores(), pruned.lengths(), &best, &back, &path);
  const uint32_t unk = pruned.unknown_id();
  EXPECT_EQ(path, (std::vector<uint32_t>{unk, 3, unk, 1}));
}

// Enough distinct pieces to split chunks (LatticeCache::kMaxLocal local ids)
// and one word that alone needs more (a wide chunk).
TEST_F(UnigramTest, LatticeChunksSplitAndWiden) {
  std::vector<std::string> chars;
  for (char32_t c = 0x4E00; c < 0x4E00 + 300; ++c) {
    std::string s;
    utf8::Append(c, &s);
    chars.push_back(s);
  }
  std::vector<std::pair<std::string, double>> list;
  for (const std::string& c : chars) list.emplace_back(c, -8.0);
  for (size_t a = 0; a < chars.size(); ++a) {
    for (size_t b = 0; b < 120; ++b) list.emplace_back(chars[a] + chars[b], -12.0);
  }
  PieceSet pieces = PieceSet::Build(list).value();
  UnigramWords words;
  std::mt19937 rng(7);
  auto add = [&](size_t len) {
    for (size_t k = 0; k < len; ++k) words.text += chars[rng() % chars.size()];
    words.offsets.push_back(words.text.size());
    words.counts.push_back(1 + rng() % 5);
  };
  for (int i = 0; i < 600; ++i) add(400);
  add(200000);  // Wide.
  for (int i = 0; i < 50; ++i) add(30);
  LatticeCache cache;
  cache.Build(pieces, words, 2, size_t{1} << 30);
  EXPECT_GE(cache.num_chunks(), 3u);  // The wide word alone in its chunk.
  for (size_t i = 0; i < words.size(); ++i) {
    ASSERT_EQ(CachedEdges(cache, i), FreshEdges(pieces, words.word(i))) << i;
  }
  // Expected counts: as the sum over one-word corpora.
  const ExpectedCounts all = RunEStep(pieces, words, cache, 2);
  std::vector<double> sum(pieces.size(), 0.0);
  for (size_t i = 0; i < words.size(); ++i) {
    UnigramWords one;
    one.text = std::string(words.word(i));
    one.offsets.push_back(one.text.size());
    one.counts.push_back(words.counts[i]);
    LatticeCache c;
    c.Build(pieces, one, 1, 0);
    const ExpectedCounts got = RunEStep(pieces, one, c, 1);
    for (size_t k = 0; k < sum.size(); ++k) sum[k] += got.counts[k];
  }
  for (size_t k = 0; k < sum.size(); ++k) {
    ASSERT_NEAR(all.counts[k], sum[k], 1e-6 * (1 + sum[k])) << k;
  }
  // Killing every other one-character piece: unknown edges come in.
  for (size_t k = 0; k < chars.size(); k += 2) pieces.Kill(k);
  pieces.Refresh();
  cache.DropDead(pieces, 2);
  for (size_t i = 0; i < words.size(); ++i) {
    ASSERT_EQ(CachedEdges(cache, i), FreshEdges(pieces, words.word(i))) << i;
  }
}

// The trainer prunes in place (PieceSet::KeepOnly, the lattices keeping
// the dead edges) while most of the set is alive, and rebuilds the set
// otherwise. Both must give the same scores and the same next pruning,
// bit for bit, over several rounds.
TEST_F(UnigramTest, PruningInPlaceEqualsRebuild) {
  TrainerSpec spec;
  spec.set_seed_sentencepiece_size(3000);
  const std::vector<std::string> sents = RandomSentences(5, 1500, true);
  const CharacterSet chars = CharactersOf(sents);
  SentenceStore store = StoreOf(sents);
  const UnigramWords words = CollectUnigramWords(spec, 2, &store);
  PieceSet in_place =
      PieceSet::Build(MakeSeedPieces(words, chars, PieceValidator(spec), spec, 2)).value();
  LatticeCache in_place_cache;
  in_place_cache.Build(in_place, words, 2, size_t{1} << 24);
  // An EM round on `pieces`: two E/M steps, then the pieces pruning keeps
  // (by their strings, in the pruning's order).
  // Dead pieces' edges stay in the lattices, as in the trainer, unless a
  // one-character piece died.
  auto round = [&](PieceSet* pieces, LatticeCache* cache) {
    for (int iter = 0; iter < 2; ++iter) {
      const size_t singles = pieces->DeadSingles();
      RunMStep(RunEStep(*pieces, words, *cache, 2).counts, pieces);
      if (pieces->DeadSingles() > singles) cache->DropDead(*pieces, 2);
    }
    return PrunePieces(*pieces, words, *cache, 100, 0.75f, 2);
  };
  std::vector<uint32_t> kept = round(&in_place, &in_place_cache);
  ASSERT_GT(kept.size(), 300u);
  // The rebuilt side starts from the set the first pruning keeps.
  auto rebuild = [](const PieceSet& from, const std::vector<uint32_t>& ids) {
    std::vector<std::pair<std::string, double>> list;
    for (uint32_t id : ids) list.emplace_back(std::string(from.piece(id)), from.score(id));
    return PieceSet::Build(std::move(list)).value();
  };
  PieceSet rebuilt = rebuild(in_place, kept);
  LatticeCache rebuilt_cache;
  rebuilt_cache.Build(rebuilt, words, 2, size_t{1} << 24);
  std::vector<uint32_t> rebuilt_kept(rebuilt.size());
  for (uint32_t i = 0; i < rebuilt.size(); ++i) rebuilt_kept[i] = i;
  for (int r = 0; r < 3; ++r) {
    const size_t singles = in_place.DeadSingles();
    in_place.KeepOnly(kept);
    in_place.Refresh();
    if (in_place.DeadSingles() > singles) in_place_cache.DropDead(in_place, 2);
    kept = round(&in_place, &in_place_cache);
    if (r > 0) rebuilt = rebuild(rebuilt, rebuilt_kept);
    if (r > 0) rebuilt_cache.Build(rebuilt, words, 2, size_t{1} << 24);
    rebuilt_kept = round(&rebuilt, &rebuilt_cache);
    ASSERT_EQ(kept.size(), rebuilt_kept.size()) << r;
    for (size_t k = 0; k < kept.size(); ++k) {
      ASSERT_EQ(in_place.piece(kept[k]), rebuilt.piece(rebuilt_kept[k])) << r << " " << k;
      ASSERT_EQ(in_place.score(kept[k]), rebuilt.score(rebuilt_kept[k])) << r << " " << k;
    }
  }
}

// The M-step's sum of expected counts goes in the set's order(), as a
// rebuilt set's would: (0.6 + 1.3) + 0.5 and (0.5 + 0.6) + 1.3 differ in
// the last bit, and so do the digamma scores.
TEST_F(UnigramTest, MStepSumsInTheSetsOrder) {
  PieceSet in_place = PieceSet::Build({{"a", -1.0}, {"b", -1.0}, {"c", -1.0}}).value();
  in_place.KeepOnly({1, 2, 0});
  in_place.Refresh();
  PieceSet rebuilt = PieceSet::Build({{"b", -1.0}, {"c", -1.0}, {"a", -1.0}}).value();
  ASSERT_NE((0.6 + 1.3) + 0.5, (0.5 + 0.6) + 1.3);
  RunMStep({0.5, 0.6, 1.3}, &in_place);
  RunMStep({0.6, 1.3, 0.5}, &rebuilt);
  EXPECT_EQ(in_place.score(0), rebuilt.score(2));
  EXPECT_EQ(in_place.score(1), rebuilt.score(0));
  EXPECT_EQ(in_place.score(2), rebuilt.score(1));
}

ModelProto Train(const std::string& corpus, int threads, const std::string& extra) {
  std::string serialized;
  const auto status = SentencePieceTrainer::Train(
      absl::StrCat("--input=", corpus, " --model_type=unigram --vocab_size=300",
                   " --hard_vocab_limit=false --num_threads=", threads, extra),
      nullptr, &serialized);
  EXPECT_TRUE(status.ok()) << status.message();
  ModelProto model;
  EXPECT_TRUE(model.ParseFromString(serialized));
  return model;
}

TEST_F(UnigramTest, ModelDoesNotDependOnThreads) {
  const std::string path = absl::StrCat(::testing::TempDir(), "/unigram_corpus.txt");
  {
    FILE* f = fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    for (const std::string& s : RandomSentences(11, 3000, true)) {
      std::string line = s;
      for (size_t p; (p = line.find("\xE2\x96\x81")) != std::string::npos;) line.replace(p, 3, " ");
      fprintf(f, "%s\n", line.c_str());
    }
    fclose(f);
  }
  for (const std::string extra : {"", " --split_by_whitespace=false --seed_sentencepiece_size=2000"}) {
    const ModelProto one = Train(path, 1, extra);
    const ModelProto two = Train(path, 2, extra);
    const ModelProto four = Train(path, 4, extra);
    ASSERT_GT(one.pieces_size(), 100);
    ASSERT_EQ(one.pieces_size(), two.pieces_size());
    ASSERT_EQ(one.pieces_size(), four.pieces_size());
    for (int i = 0; i < one.pieces_size(); ++i) {
      EXPECT_EQ(one.pieces(i).piece(), two.pieces(i).piece()) << i;
      EXPECT_EQ(one.pieces(i).score(), two.pieces(i).score()) << i;
      EXPECT_EQ(one.pieces(i).piece(), four.pieces(i).piece()) << i;
      EXPECT_EQ(one.pieces(i).score(), four.pieces(i).score()) << i;
    }
  }
}

}  // namespace
}  // namespace sentencepiece
