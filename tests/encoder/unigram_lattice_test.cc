#include "encoder/unigram_lattice.h"

#include <string>
#include <utility>
#include <vector>

#include "common/random.h"
#include "gtest/gtest.h"

namespace sentencepiece {
namespace {

// A lattice over `n` equal characters with a node of every length 1 to 3
// at every position, scores differing a little from node to node (near
// ties everywhere): the n-best search's agenda explodes and is cut back
// again and again.
void Fill(const std::string& sentence, Lattice* lattice) {
  lattice->SetSentence(sentence);
  for (int pos = 0; pos < lattice->size(); ++pos) {
    for (int len = 1; len <= 3 && pos + len <= lattice->size(); ++len) {
      Lattice::Node& node = lattice->node(lattice->Insert(pos, len));
      node.id = len;
      const int wobble = (pos * 7 + len * 13) % 17;
      node.score = -1.0f * static_cast<float>(len) - 0.01f * static_cast<float>(wobble);
    }
  }
}

std::vector<Lattice::Path> Search(const std::string& sentence, size_t n, bool sample,
                                  size_t compact_from, int* compactions) {
  Lattice lattice;
  Fill(sentence, &lattice);
  lattice.set_min_hypotheses_to_compact(compact_from);
  random::GetGenerator()->seed(20261206);
  std::vector<Lattice::Path> paths = lattice.NBest(n, sample, 0.5f);
  *compactions = lattice.nbest_compactions();
  return paths;
}

// Dropping the hypotheses no agenda entry leads to renumbers the rest:
// the paths, their order and their scores must not change, for the
// n-best search and for sampling without replacement.
TEST(LatticeTest, NBestIsTheSameWithHypothesesDropped) {
  const std::string sentence(3000, 'a');
  // (Sampling finds two paths before the agenda is ever cut back.)
  const std::pair<bool, size_t> cases[] = {
      {false, 2}, {false, 10}, {false, 64}, {true, 10}, {true, 64}};
  for (const auto& [sample, n] : cases) {
    SCOPED_TRACE(testing::Message() << "sample " << sample << " n " << n);
    int kept_all = 0, dropped = 0;
    const std::vector<Lattice::Path> want = Search(sentence, n, sample, size_t{1} << 40, &kept_all);
    const std::vector<Lattice::Path> got = Search(sentence, n, sample, 1000, &dropped);
    EXPECT_EQ(kept_all, 0);
    EXPECT_GT(dropped, 2);  // Several times, each on renumbered hypotheses.
    ASSERT_EQ(got.size(), n);
    ASSERT_EQ(want.size(), n);
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(got[i].first, want[i].first) << "path " << i;
      EXPECT_EQ(got[i].second, want[i].second) << "path " << i;
    }
  }
}

}  // namespace
}  // namespace sentencepiece
