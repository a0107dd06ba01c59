#include "encoder/unigram_model.h"

#include <memory>
#include <string>
#include <vector>

#include "common/model_io.h"
#include "encoder/model.h"
#include "gtest/gtest.h"
#include "sample_words.h"

namespace sentencepiece {
namespace {

// Until a model has segmented a few KB it finds pieces by hash lookups, not
// its trie: segmentations, path scores and the decision margins the word
// caches rely on must be the same either way.
TEST(UnigramModelTest, HashLookupsSegmentAsTheTrie) {
  const std::vector<std::string> words = SampleWords(120);
  ASSERT_GT(words.size(), 500u);
  for (const char* name : {"albert_spiece", "unigram_uds", "spm_test_model_unused",
                           "unigram_bytefb", "spm_test_ja_model", "unigram_digits"}) {
    auto proto = ReadModelProto(TestdataPath(std::string("models/") + name + ".model"));
    ASSERT_TRUE(proto.ok()) << proto.status();
    auto with_trie = CreateModel(**proto);
    ASSERT_TRUE(with_trie.ok()) << with_trie.status();
    const auto& trie_model = dynamic_cast<const UnigramModel&>(**with_trie);
    ASSERT_NE(trie_model.Trie(), nullptr);
    std::unique_ptr<Model> hashing;
    size_t hashed = 0;
    int compared = 0;
    for (const std::string& w : words) {
      // A fresh model whenever this one may have built its trie.
      if (hashing == nullptr || hashed + w.size() > UnigramModel::kHashedBytesBeforeTrie) {
        auto created = CreateModel(**proto);
        ASSERT_TRUE(created.ok()) << created.status();
        hashing = *std::move(created);
        hashed = 0;
      }
      hashed += w.size();
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
      ++compared;
    }
    EXPECT_EQ(compared, static_cast<int>(words.size()));
  }
}

}  // namespace
}  // namespace sentencepiece
