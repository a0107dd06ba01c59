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
        SentenceStore store;
        CharacterSet chars;
        std::map<char32_t, int64_t> counts;
        for (const std::string& s : sents) {
          store.Add(s, 1);
          for (char32_t c : Decode(s)) ++counts[c];
        }
        for (const auto& [c, n] : counts) chars.chars.emplace_back(c, n);
        std::stable_sort(chars.chars.begin(), chars.chars.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        const auto expected = BruteForceSeeds(sents, spec);
        for (int threads : {1, 2}) {
          SentenceStore copy;
          for (const std::string& s : sents) copy.Add(s, 1);
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

// Every segmentation of `word` under `pieces` (with unknown edges), by
// recursion: sums count-weighted expected uses of each piece.
void Enumerate(const WordLattice::View& lat, const PieceSet& pieces, uint32_t pos, double logp,
               std::vector<int>* path, std::vector<std::pair<double, std::vector<int>>>* out) {
  if (pos == lat.size) {
    out->emplace_back(logp, *path);
    return;
  }
  for (uint32_t k = lat.first[pos]; k < lat.first[pos + 1]; ++k) {
    const auto& e = lat.edges[k];
    path->push_back(e.piece);
    Enumerate(lat, pieces, e.end,
              logp + (e.piece >= 0 ? pieces.score(e.piece) : pieces.unknown_score()), path, out);
    path->pop_back();
  }
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
    std::vector<std::pair<double, std::vector<int>>> paths;
    std::vector<int> path;
    Enumerate(lattice.view(), pieces, 0, 0.0, &path, &paths);
    double z = 0;
    for (const auto& p : paths) z += std::exp(p.first);
    for (const auto& p : paths) {
      for (int id : p.second) {
        if (id >= 0) expected[id] += input[i].second * std::exp(p.first) / z;
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
  LatticeCache cache;
  cache.Build(pieces, words, 2, 1 << 20);
  for (int threads : {1, 2}) {
    for (const LatticeCache* c : {static_cast<const LatticeCache*>(nullptr), static_cast<const LatticeCache*>(&cache)}) {
      const ExpectedCounts got = RunEStep(pieces, words, c, threads);
      for (size_t i = 0; i < pieces.size(); ++i) {
        EXPECT_NEAR(got.counts[i], expected[i], 1e-9 * (1 + expected[i])) << pieces.piece(i);
      }
    }
  }
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
