#include "encoder/unigram_model.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/model_io.h"
#include "encoder/model.h"
#include "gtest/gtest.h"
#include "sample_words.h"

namespace sentencepiece {
namespace {

// The unigram models both tests below run over: ALBERT (user-defined
// punctuation, unknown capitals), user-defined symbols, unused pieces, byte
// fallback, Japanese, split digits.
constexpr const char* kModels[] = {"albert_spiece",  "unigram_uds",       "spm_test_model_unused",
                                   "unigram_bytefb", "spm_test_ja_model", "unigram_digits"};

// Until a model has probed enough prefixes it finds pieces by hash lookups,
// not its trie: segmentations, path scores and the decision margins the
// word caches rely on must be the same either way.
TEST(UnigramModelTest, HashLookupsSegmentAsTheTrie) {
  const std::vector<std::string> words = SampleWords(120);
  ASSERT_GT(words.size(), 500u);
  for (const char* name : kModels) {
    auto proto = ReadModelProto(TestdataPath(std::string("models/") + name + ".model"));
    ASSERT_TRUE(proto.ok()) << proto.status();
    auto with_trie = CreateModel(**proto);
    ASSERT_TRUE(with_trie.ok()) << with_trie.status();
    const auto& trie_model = dynamic_cast<const UnigramModel&>(**with_trie);
    ASSERT_NE(trie_model.Trie(), nullptr);
    std::unique_ptr<Model> hashing;
    size_t probes = 0;
    int compared = 0;
    int too_long = 0;
    for (const std::string& w : words) {
      // A fresh model whenever this one might build its trie (two Viterbi
      // calls below). A word that alone makes more probes than that (a
      // paragraph without spaces) has every model build its trie.
      const size_t need = 2 * trie_model.ProbesFor(w.size());
      if (need > trie_model.probes_before_trie()) {
        ++too_long;
        continue;
      }
      if (hashing == nullptr || probes + need > trie_model.probes_before_trie()) {
        auto created = CreateModel(**proto);
        ASSERT_TRUE(created.ok()) << created.status();
        hashing = *std::move(created);
        probes = 0;
      }
      probes += need;
      const auto& hash_model = dynamic_cast<const UnigramModel&>(*hashing);
      for (const float base : {0.0f, -1234.5f}) {
        EncodeResult a, b;
        UnigramModel::WordStats sa, sb;
        const float fa = hash_model.Viterbi(w, 0, w.size(), base, &a, &sa);
        const float fb = trie_model.Viterbi(w, 0, w.size(), base, &b, &sb);
        ASSERT_EQ(a.size(), b.size()) << name << " " << w;
        for (size_t i = 0; i < a.size(); ++i) {
          ASSERT_EQ(a[i].piece, b[i].piece) << name << " " << w;
          ASSERT_EQ(a[i].id, b[i].id) << name << " " << w;
        }
        ASSERT_EQ(fa, fb) << name << " " << w;
        ASSERT_EQ(sa.margin, sb.margin) << name << " " << w;
        ASSERT_EQ(sa.magnitude, sb.magnitude) << name << " " << w;
        ASSERT_EQ(sa.scores, sb.scores) << name << " " << w;
      }
      ASSERT_FALSE(hash_model.trie_built()) << name << " " << w;
      ++compared;
    }
    EXPECT_EQ(compared + too_long, static_cast<int>(words.size()));
    EXPECT_LT(too_long, static_cast<int>(words.size()) / 10) << name;
  }
}

// A cached word's path score is carried by replaying its segments' scores
// (the float additions the whole-line pass makes): the recorded scores
// must give Viterbi()'s path score exactly, unknown and user-defined
// pieces included. A cached word may keep its segments' ids instead, and
// take the scores from SegmentScores(): those must be the recorded ones,
// to the bit, and the id past the last must score +0.0 (the padding of
// the lanes).
TEST(UnigramModelTest, SegmentScoresReplayThePathScore) {
  const std::vector<std::string> words = SampleWords(120);
  for (const char* name : kModels) {
    const LoadedModel loaded = LoadModel(name);
    ASSERT_NE(loaded.model, nullptr);
    const auto& model = dynamic_cast<const UnigramModel&>(*loaded.model);
    const Vocabulary& v = model.vocab();
    const double* table = model.SegmentScores();
    const double zero = table[v.size()];
    EXPECT_EQ(0.0, zero) << name;
    EXPECT_FALSE(std::signbit(zero)) << name;
    auto bits = [](double d) {
      uint64_t b;
      std::memcpy(&b, &d, sizeof(b));
      return b;
    };
    int unknown = 0;
    int user_defined = 0;
    for (const std::string& w : words) {
      for (const float base : {0.0f, -1234.5f}) {
        EncodeResult segments;
        UnigramModel::WordStats stats;
        const float end = model.Viterbi(w, 0, w.size(), base, &segments, &stats);
        ASSERT_EQ(stats.scores.size(), segments.size()) << name << " " << w;
        float replayed = base;
        for (const double score : stats.scores) {
          replayed = static_cast<float>(score + static_cast<double>(replayed));
        }
        ASSERT_EQ(replayed, end) << name << " " << w;
        for (size_t i = 0; i < segments.size(); ++i) {
          ASSERT_GE(segments[i].id, 0) << name << " " << w;
          ASSERT_LT(segments[i].id, v.size()) << name << " " << w;
          ASSERT_EQ(bits(table[segments[i].id]), bits(stats.scores[i]))
              << name << " " << w << " segment " << i;
        }
        for (const EncodedPiece& s : segments) {
          unknown += v.IsUnknown(s.id);
          user_defined += v.IsUserDefined(s.id);
        }
      }
    }
    // (The sample has both kinds under ALBERT, whose punctuation is
    // user-defined and whose capitals are unknown.)
    if (std::string(name) == "albert_spiece") {
      EXPECT_GT(unknown, 100);
      EXPECT_GT(user_defined, 100);
    }
  }
}

// Words of a model whose scores are all integers (chinese_llama: -10 and
// -100) have integral candidates, and are reusable from an integral base
// far beyond what the rounding bound allows, ties (margin 0) included;
// a word that meets a user-defined piece (score -0.1 off an integer) is
// not.
TEST(UnigramModelTest, IntegralScoresAreReusableFromAnIntegralBase) {
  EXPECT_TRUE(UnigramModel::IsIntegral(-130.0));
  EXPECT_TRUE(UnigramModel::IsIntegral(0.0));
  EXPECT_FALSE(UnigramModel::IsIntegral(-10.1));
  EXPECT_FALSE(UnigramModel::IsIntegral(0.5));
  const LoadedModel loaded = LoadModel("chinese_llama_human_unigram");
  ASSERT_NE(loaded.model, nullptr);
  const auto& model = dynamic_cast<const UnigramModel&>(*loaded.model);
  auto stats_of = [&model](const std::string& text) {
    EncodeResult segments;
    UnigramModel::WordStats stats;
    model.Viterbi(text, 0, text.size(), 0.0f, &segments, &stats);
    return stats;
  };
  bool needs_integral = false;
  // "emulate" ties: u|lat|e against u|l|ate.
  const UnigramModel::WordStats tie = stats_of("\xE2\x96\x81" "emulate");
  EXPECT_TRUE(tie.integral);
  EXPECT_EQ(tie.margin, 0.0);
  const double bound = UnigramModel::MaxReusableBaseIfIntegral(tie, &needs_integral);
  EXPECT_TRUE(needs_integral);
  EXPECT_EQ(bound, 0x1p24 - tie.magnitude);
  EXPECT_LT(UnigramModel::MaxReusableBase(tie.margin, tie.magnitude, tie.chars), 0.0);
  // A tab: a user-defined piece.
  const UnigramModel::WordStats user = stats_of("\xE2\x96\x81\temulate");
  EXPECT_FALSE(user.integral);
  EXPECT_EQ(UnigramModel::MaxReusableBaseIfIntegral(user, &needs_integral),
            UnigramModel::MaxReusableBase(user.margin, user.magnitude, user.chars));
  EXPECT_FALSE(needs_integral);
  EXPECT_TRUE(model.integral_steps());
}

// An integral word stays reusable after a fractional path score (a tab,
// a user-defined piece, makes it one) while every candidate is exact
// (UnigramModel::ExactAfter()): it then segments as from base 0, ties
// included, and its scores replay the path score to the bit.
TEST(UnigramModelTest, IntegralWordsAreReusableAfterAnExactFractionalBase) {
  EXPECT_TRUE(UnigramModel::ExactAfter(-600.1f, 400.0));   // Below 1024.
  EXPECT_FALSE(UnigramModel::ExactAfter(-600.1f, 424.0));  // Reaches it.
  EXPECT_FALSE(UnigramModel::ExactAfter(-30.1f, 10.0));    // Crosses 32.
  const LoadedModel loaded = LoadModel("chinese_llama_human_unigram");
  ASSERT_NE(loaded.model, nullptr);
  const auto& model = dynamic_cast<const UnigramModel&>(*loaded.model);
  int reused = 0;
  int reused_ties = 0;
  int refused = 0;
  for (const std::string& w : SampleWords(120)) {
    EncodeResult from_zero;
    UnigramModel::WordStats stats;
    model.Viterbi(w, 0, w.size(), 0.0f, &from_zero, &stats);
    bool needs_integral = false;
    const double bound = UnigramModel::MaxReusableBaseIfIntegral(stats, &needs_integral);
    if (!needs_integral) continue;
    for (const float base : {-0.1f, -10.1f, -30.1f, -110.1f, -230.1f, -600.1f, -1000.1f, -5000.3f,
                             -70000.7f, -1048000.5f}) {
      if (!UnigramModel::Reusable(bound, true, base)) {
        ++refused;
        continue;
      }
      ++reused;
      reused_ties += stats.margin == 0.0;
      EncodeResult from_base;
      const float end = model.Viterbi(w, 0, w.size(), base, &from_base, nullptr);
      ASSERT_EQ(from_base.size(), from_zero.size()) << w << " " << base;
      for (size_t i = 0; i < from_zero.size(); ++i) {
        ASSERT_EQ(from_base[i].id, from_zero[i].id) << w << " " << base;
        ASSERT_EQ(from_base[i].piece, from_zero[i].piece) << w << " " << base;
      }
      float replayed = base;
      for (const double score : stats.scores) replayed = static_cast<float>(score + replayed);
      ASSERT_EQ(replayed, end) << w << " " << base;
    }
  }
  EXPECT_GT(reused, 100);
  EXPECT_GT(reused_ties, 10);
  EXPECT_GT(refused, 100);
}

// Models trained by the reference have no integral first step, so their
// words skip the per-candidate integer check (and are never `integral`).
TEST(UnigramModelTest, FractionalScoresHaveNoIntegralSteps) {
  for (const char* name : kModels) {
    SCOPED_TRACE(name);
    const LoadedModel loaded = LoadModel(name);
    ASSERT_NE(loaded.model, nullptr);
    const auto& model = dynamic_cast<const UnigramModel&>(*loaded.model);
    EXPECT_FALSE(model.integral_steps());
    EncodeResult segments;
    UnigramModel::WordStats stats;
    const std::string word = "\xE2\x96\x81" "hello";
    model.Viterbi(word, 0, word.size(), 0.0f, &segments, &stats);
    EXPECT_FALSE(stats.integral);
  }
}

// The trie is built once hash lookups have made probes_before_trie()
// probes (not before, not long after), or at once for a large input.
TEST(UnigramModelTest, TrieIsBuiltAfterEnoughProbesOrForLargeInput) {
  const std::vector<std::string> words = SampleWords(120);
  auto proto = ReadModelProto(TestdataPath("models/albert_spiece.model"));
  ASSERT_TRUE(proto.ok()) << proto.status();
  auto created = CreateModel(**proto);
  ASSERT_TRUE(created.ok()) << created.status();
  const auto& model = dynamic_cast<const UnigramModel&>(**created);
  ASSERT_GT(model.probes_before_trie(), 0u);
  size_t probes = 0;
  bool built = false;
  for (int round = 0; round < 1000 && !built; ++round) {
    for (const std::string& w : words) {
      EncodeResult out;
      UnigramModel::WordStats stats;
      model.Viterbi(w, 0, w.size(), 0.0f, &out, &stats);
      probes += model.ProbesFor(w.size());
      if (model.trie_built()) {
        EXPECT_GT(probes, model.probes_before_trie());
        EXPECT_LE(probes - model.ProbesFor(w.size()), model.probes_before_trie());
        built = true;
        break;
      }
    }
  }
  EXPECT_TRUE(built);

  auto fresh = CreateModel(**proto);
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  const Model& large = **fresh;
  large.ExpectInput(UnigramModel::kTrieAtOnceBytes - 1);
  EXPECT_FALSE(dynamic_cast<const UnigramModel&>(large).trie_built());
  large.ExpectInput(UnigramModel::kTrieAtOnceBytes);
  EXPECT_TRUE(dynamic_cast<const UnigramModel&>(large).trie_built());
}

// With the input's size announced, the probes of its first
// kRateSampleBytes predict the rest: the trie is built then if, scaled up
// to the whole input, they pass what the build costs.
TEST(UnigramModelTest, TrieIsBuiltAfterTheSampleWhenTheInputPredictsEnoughProbes) {
  const std::vector<std::string> words = SampleWords(120);
  auto proto = ReadModelProto(TestdataPath("models/albert_spiece.model"));
  ASSERT_TRUE(proto.ok()) << proto.status();
  for (const bool enough : {true, false}) {
    auto created = CreateModel(**proto);
    ASSERT_TRUE(created.ok()) << created.status();
    const auto& model = dynamic_cast<const UnigramModel&>(**created);
    // The first words, segmented by hash lookups (the trie is not built
    // before the sample is noted), until they have made a quarter of the
    // rental's probes.
    std::vector<std::string> sample;
    size_t pass = 0;
    for (const std::string& w : words) {
      if (pass + model.ProbesFor(w.size()) > model.probes_before_trie() / 4) break;
      pass += model.ProbesFor(w.size());
      sample.push_back(w);
    }
    ASSERT_GT(pass, 0u);
    // An input announced such that the pass predicts just over, or just
    // under, the build's cost.
    const double growth = static_cast<double>(model.probes_before_trie()) / pass;
    const double ratio = std::pow(growth * (enough ? 1.05 : 0.95), 1.0 / UnigramModel::kProbeGrowth);
    const auto expected = static_cast<size_t>(ratio * UnigramModel::kRateSampleBytes);
    ASSERT_LT(expected, UnigramModel::kTrieAtOnceBytes);
    model.ExpectInput(expected);
    for (const std::string& w : sample) {
      EncodeResult out;
      UnigramModel::WordStats stats;
      model.Viterbi(w, 0, w.size(), 0.0f, &out, &stats);
    }
    ASSERT_FALSE(model.trie_built());
    model.NoteInput(UnigramModel::kRateSampleBytes - 1);
    EXPECT_FALSE(model.trie_built());
    model.NoteInput(1);
    EXPECT_EQ(model.trie_built(), enough);
  }
  // A line of kLargeInputBytes or more is built for at once.
  for (const size_t line : {Model::kLargeInputBytes - 1, Model::kLargeInputBytes}) {
    auto created = CreateModel(**proto);
    ASSERT_TRUE(created.ok()) << created.status();
    const auto& model = dynamic_cast<const UnigramModel&>(**created);
    model.NoteInput(line);
    EXPECT_EQ(model.trie_built(), line >= Model::kLargeInputBytes) << line;
  }
}

// An input announced at kTrieAtOnceBytes or more builds the trie at once,
// and ExpectInputBuilds() says so beforehand (spm_encode then builds it on
// a second thread); a smaller one is only noted.
TEST(UnigramModelTest, LargeAnnouncedInputBuildsTheTrieAtOnce) {
  auto proto = ReadModelProto(TestdataPath("models/albert_spiece.model"));
  ASSERT_TRUE(proto.ok()) << proto.status();
  for (const size_t bytes : {UnigramModel::kTrieAtOnceBytes - 1, UnigramModel::kTrieAtOnceBytes}) {
    auto created = CreateModel(**proto);
    ASSERT_TRUE(created.ok()) << created.status();
    const auto& model = dynamic_cast<const UnigramModel&>(**created);
    const bool large = bytes >= UnigramModel::kTrieAtOnceBytes;
    EXPECT_EQ(model.ExpectInputBuilds(bytes), large) << bytes;
    model.ExpectInput(bytes);
    EXPECT_EQ(model.trie_built(), large) << bytes;
    EXPECT_FALSE(model.ExpectInputBuilds(large ? bytes : 0)) << bytes;
  }
}

}  // namespace
}  // namespace sentencepiece
