#include "trainer/unigram_trainer.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/utf8.h"
#include "trainer/parallel.h"
#include "trainer/piece_validator.h"
#include "trainer/training_log.h"
#include "trainer/unigram_em.h"
#include "trainer/unigram_pieces.h"
#include "trainer/unigram_pruning.h"
#include "trainer/unigram_seeds.h"
#include "trainer/unigram_words.h"

namespace sentencepiece {
namespace {

// Memory for the lattices kept through training (unigram_em.h): about
// 500 million edges at 2 bytes, enough for the 183 million of a 408 MB
// corpus with 30% Chinese and Japanese; beyond it, chunks are re-latticed
// from the trie at each step.
constexpr size_t kLatticeCacheBytes = size_t{1} << 30;

// Pruning kills pieces in place while more than 1/kRebuildBelow of the
// set's ids stay alive, and builds a new set (a new trie, renumbered
// lattices) only below that: a round prunes a quarter of the pieces but
// only a few percent of the edges (the pruned pieces are rare), so
// carrying their dead edges through the next rounds costs far less than
// renumbering every lattice each round.
constexpr size_t kRebuildBelow = 2;

}  // namespace

absl::Status UnigramTrainer::Learn() {
  RETURN_IF_ERROR(LoadCorpus());
  const int threads = num_threads();
  UnigramWords words = CollectUnigramWords(spec(), threads, &sentences_);
  std::vector<std::pair<std::string, double>> seeds =
      MakeSeedPieces(words, chars_, PieceValidator(spec()), spec(), threads);
  std::vector<UnigramWords::Context>().swap(words.contexts);
  if (seeds.empty()) {
    return absl::InvalidArgumentError("No seed pieces: the corpus has no valid character.");
  }
  ASSIGN_OR_RETURN(PieceSet pieces, PieceSet::Build(std::move(seeds)));

  const size_t desired = static_cast<size_t>(spec().vocab_size() * 1.1);
  LatticeCache cache;
  cache.Build(pieces, words, threads, kLatticeCacheBytes);
  training_log::Info(absl::StrCat("Unigram lattices: ", cache.edges(), " edges cached"));
  for (int round = 0;; ++round) {
    for (int iter = 0; iter < spec().num_sub_iterations(); ++iter) {
      const ExpectedCounts expected = RunEStep(pieces, words, cache, threads);
      const size_t before = pieces.num_alive(), singles_before = pieces.DeadSingles();
      const size_t dropped = RunMStep(expected.counts, &pieces);
      const bool single_died = pieces.DeadSingles() > singles_before;
      // Dead pieces' edges add exact zeros, so they may stay until the
      // next pruning, unless many died or a one-character piece did (its
      // position then needs an unknown edge).
      if (single_died || dropped > before / 16) {
        cache.DropDead(pieces, threads);
      }
      training_log::Info(absl::StrCat("EM round=", round, " sub_iter=", iter,
                                      " size=", pieces.num_alive(), " obj=", expected.objective,
                                      " edges=", cache.edges()));
    }
    if (pieces.num_alive() <= desired) break;
    const std::vector<uint32_t> kept_ids =
        PrunePieces(pieces, words, cache, desired, spec().shrinking_factor(), threads);
    if (kept_ids.size() > pieces.size() / kRebuildBelow) {
      // Most of the set lives on: the pruned pieces die in place, like the
      // M-step's, and their edges stay in the lattices (exact zeros) unless
      // a one-character piece went (its positions need an unknown edge).
      const size_t singles_before = pieces.DeadSingles();
      pieces.KeepOnly(kept_ids);
      pieces.Refresh();
      if (pieces.DeadSingles() > singles_before) cache.DropDead(pieces, threads);
      continue;
    }
    std::vector<std::pair<std::string, double>> kept;
    std::vector<uint32_t> remap(pieces.size() + 1, LatticeCache::kDropped);
    kept.reserve(kept_ids.size());
    for (uint32_t id : kept_ids) {
      remap[id] = static_cast<uint32_t>(kept.size());
      kept.emplace_back(std::string(pieces.piece(id)), pieces.score(id));
    }
    const uint32_t unknown = static_cast<uint32_t>(kept.size());  // The new set's.
    remap[pieces.size()] = unknown;
    const std::vector<uint16_t> old_lengths = pieces.lengths();
    pieces = PieceSet();  // Not needed any more: its memory goes first.
    // Building the new trie is serial; the remap of the lattices needs only
    // the id mapping, so with threads to spare it runs meanwhile.
    absl::StatusOr<PieceSet> next;
    if (threads > 1) {
      ParallelFor(2, 2, [&](size_t, size_t, int task) {
        if (task == 0) {
          next = PieceSet::Build(std::move(kept));
        } else {
          cache.Remap(remap, old_lengths, unknown, threads);
        }
      });
    } else {
      next = PieceSet::Build(std::move(kept));
      cache.Remap(remap, old_lengths, unknown, threads);
    }
    RETURN_IF_ERROR(next.status());
    pieces = *std::move(next);
  }

  // The final vocabulary: every kept character (its trained score, or
  // just below the lowest score if EM dropped it: more frequent characters
  // lower), then the pieces with the best scores.
  struct Final {
    std::string piece;
    float score;
  };
  std::vector<Final> final_pieces;
  absl::flat_hash_set<std::string> chosen;
  absl::flat_hash_map<std::string, float> trained;
  for (auto& [p, s] : pieces.Alive()) trained.emplace(p, static_cast<float>(s));
  const float min_score = static_cast<float>(pieces.min_score());
  float penalty = 0;
  for (const auto& [c, count] : chars_.chars) {
    std::string s;
    utf8::Append(c, &s);
    auto it = trained.find(s);
    float score;
    if (it != trained.end()) {
      score = it->second;
    } else {
      score = min_score + penalty;
      penalty += 0.0001f;
    }
    if (chosen.insert(s).second) final_pieces.push_back({std::move(s), score});
  }
  const size_t budget = static_cast<size_t>(std::max(0, PieceBudget()));
  std::vector<Final> by_score;
  for (auto& [p, s] : trained) by_score.push_back({p, s});
  auto better = [](const Final& a, const Final& b) {
    return a.score != b.score ? a.score > b.score : a.piece < b.piece;
  };
  std::sort(by_score.begin(), by_score.end(), better);
  for (Final& f : by_score) {
    if (chosen.contains(f.piece)) continue;
    if (final_pieces.size() >= budget) break;
    chosen.insert(f.piece);
    final_pieces.push_back(std::move(f));
  }
  std::sort(final_pieces.begin(), final_pieces.end(), better);
  for (Final& f : final_pieces) result_.pieces.emplace_back(std::move(f.piece), f.score);
  return absl::OkStatus();
}

}  // namespace sentencepiece
