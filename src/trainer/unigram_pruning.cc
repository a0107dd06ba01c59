#include "trainer/unigram_pruning.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "trainer/parallel.h"
#include "trainer/training_log.h"
#include "trainer/unigram_em.h"

namespace sentencepiece {

std::vector<uint32_t> PrunePieces(const PieceSet& pieces, const UnigramWords& words,
                                  const LatticeCache& cache, size_t desired_size,
                                  float shrinking_factor, int threads) {
  const size_t n = pieces.size();
  // Each piece's best segmentation without itself.
  enum Kind : char { kDead, kKeep, kRemovable, kCandidate };
  std::vector<char> kind(n, kDead);
  std::vector<std::vector<uint32_t>> alternatives(n);
  // Pieces go in byte order: neighbours share prefixes (and so suffixes
  // start alike), so their trie walks mostly hit the cache; in id order
  // (by seed score) nearly every step of a walk over the round's large
  // trie was a cache miss.
  const std::vector<uint32_t>& order = pieces.byte_order();
  ForEachChunk(threads, n, 4096, [&](size_t b, size_t e, int) {
    WordLattice lattice;
    std::vector<double> best;
    std::vector<uint32_t> back;
    std::vector<uint32_t> path;
    for (size_t k = b; k < e; ++k) {
      const size_t i = order[k];
      if (!pieces.alive(i)) continue;
      if (pieces.chars(i) <= 1) {
        kind[i] = kKeep;
        continue;
      }
      lattice.Build(pieces, pieces.piece(i), static_cast<int>(i));
      const double alt =
          BestPath(lattice.view(), pieces.scores(), pieces.lengths(), &best, &back, &path);
      if (alt > pieces.score(i)) {
        kind[i] = kRemovable;
      } else {
        kind[i] = kCandidate;
        alternatives[i] = path;
      }
    }
  });

  int64_t tokens = 0;
  const std::vector<int64_t> freq = ViterbiCounts(pieces, words, cache, threads, &tokens);
  int64_t word_total = 0;
  for (int64_t c : words.counts) word_total += c;
  int64_t freq_total = 0;
  for (int64_t f : freq) freq_total += f;
  const double sum = static_cast<double>(freq_total);
  const double log_sum = std::log(sum);

  // The losses (a few logs each) on the threads; then the lists in id order.
  std::vector<double> loss(n, 0.0);
  ParallelFor(threads, n, [&](size_t b, size_t e, int) {
    for (size_t i = b; i < e; ++i) {
      if (kind[i] != kCandidate || freq[i] == 0) continue;
      const double f = static_cast<double>(freq[i]);
      const double share = f / static_cast<double>(word_total);
      const double logprob = std::log(f) - log_sum;
      const double log_sum_alt =
          std::log(sum + f * (static_cast<double>(alternatives[i].size()) - 1));
      double logprob_alt = 0;
      for (uint32_t a : alternatives[i]) {
        const double fa = a < n ? static_cast<double>(freq[a]) : 0.0;
        logprob_alt += std::log(fa + f) - log_sum_alt;
      }
      loss[i] = share * (logprob - logprob_alt);
    }
  });
  // The lists go by the set's order (ids in a new set), ties too.
  const std::vector<uint32_t>& ranked = pieces.order();
  std::vector<uint32_t> kept;
  std::vector<std::pair<double, size_t>> candidates;  // (loss, rank)
  for (size_t r = 0; r < ranked.size(); ++r) {
    const uint32_t i = ranked[r];
    if (kind[i] == kDead || kind[i] == kRemovable || freq[i] == 0) continue;
    if (kind[i] == kKeep) {
      kept.push_back(i);
      continue;
    }
    candidates.emplace_back(loss[i], r);
  }
  std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  const size_t target = std::max<size_t>(
      desired_size,
      static_cast<size_t>(shrinking_factor * static_cast<float>(pieces.num_alive())));
  for (const auto& [loss, r] : candidates) {
    if (kept.size() >= target) break;
    kept.push_back(ranked[r]);
  }
  training_log::Info(absl::StrCat("Pruned ", pieces.num_alive(), " pieces to ", kept.size(),
                                  " (Viterbi tokens: ", tokens, ")"));
  return kept;
}

}  // namespace sentencepiece
