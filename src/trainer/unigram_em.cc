#include "trainer/unigram_em.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>

#include "trainer/parallel.h"

namespace sentencepiece {
namespace {

using Fixed = __int128;
constexpr double kFixedScale = 1099511627776.0;  // 2^40

// Scratch for one word's forward-backward.
struct Scratch {
  WordLattice lattice;
  std::vector<double> forward, ratio, backward;
};

// Adds count * (expected uses of each piece in `word`) to *acc; returns
// log Z of the word.
double AccumulateWord(const PieceSet& pieces, const WordLattice::View& lat, int64_t count,
                      Scratch* s, std::vector<Fixed>* acc) {
  const uint32_t n = lat.size;
  const uint32_t span = static_cast<uint32_t>(pieces.max_chars());
  const WordLattice::Edge* edges = lat.edges;
  const double* probs = pieces.probs().data();
  const double unknown = pieces.unknown_prob();
  auto value = [&](const WordLattice::Edge& e) { return e.piece >= 0 ? probs[e.piece] : unknown; };
  // Forward, pushing along edges. Pending sums are kept in units of
  // alpha[pos - 1]; ratio[pos] = alpha[pos] / alpha[pos - 1].
  std::vector<double>& fwd = s->forward;
  std::vector<double>& ratio = s->ratio;
  fwd.assign(n + 1, 0.0);
  ratio.assign(n + 1, 1.0);
  fwd[0] = 1.0;
  double mantissa = 1.0;
  int64_t exponent = 0;
  for (uint32_t pos = 0; pos < n; ++pos) {
    const double x = fwd[pos];
    if (pos > 0) {
      ratio[pos] = x;
      const double inv = 1.0 / x;
      const uint32_t last = std::min(n, pos + span);
      for (uint32_t j = pos + 1; j <= last; ++j) fwd[j] *= inv;
      int e;
      mantissa = std::frexp(mantissa * x, &e);
      exponent += e;
    }
    for (uint32_t k = lat.first[pos]; k < lat.first[pos + 1]; ++k) {
      fwd[edges[k].end] += value(edges[k]);
    }
  }
  ratio[n] = fwd[n];
  {
    int e;
    mantissa = std::frexp(mantissa * fwd[n], &e);
    exponent += e;
  }
  const double log_z = std::log(mantissa) + static_cast<double>(exponent) * std::log(2.0);

  // Backward, pulling along edges; pending values in units of
  // beta[pos + 1]. The marginal of an edge from pos is
  // post[pos + 1] / ratio[pos + 1] * value * bwd[end], where post is the
  // probability that a piece boundary falls at a position.
  std::vector<double>& bwd = s->backward;
  bwd.assign(n + 1, 0.0);
  bwd[n] = 1.0;
  double post_next = 1.0;  // post[pos + 1]
  for (uint32_t pos = n; pos-- > 0;) {
    double y = 0;
    for (uint32_t k = lat.first[pos]; k < lat.first[pos + 1]; ++k) {
      y += value(edges[k]) * bwd[edges[k].end];
    }
    const double coef = post_next / ratio[pos + 1];
    for (uint32_t k = lat.first[pos]; k < lat.first[pos + 1]; ++k) {
      if (edges[k].piece < 0) continue;
      const double m = coef * probs[edges[k].piece] * bwd[edges[k].end];
      const int64_t fixed = static_cast<int64_t>(m * kFixedScale + 0.5);
      (*acc)[edges[k].piece] += static_cast<Fixed>(fixed) * count;
    }
    post_next = coef * y;
    const double inv = 1.0 / y;
    const uint32_t last = std::min(n, pos + span - 1);
    for (uint32_t j = pos + 1; j <= last; ++j) bwd[j] *= inv;
    bwd[pos] = 1.0;
  }
  return log_z;
}

}  // namespace

void LatticeCache::Build(const PieceSet& pieces, const UnigramWords& words, int threads,
                         size_t budget_bytes) {
  single_char_deaths_ = pieces.single_char_deaths();
  chunks_.clear();
  chunks_.resize((words.size() + kChunk - 1) / kChunk);
  std::atomic<size_t> used{0};
  ForEachChunk(threads, words.size(), kChunk, [&](size_t b, size_t e, int) {
    Chunk& chunk = chunks_[b / kChunk];
    if (used.load() >= budget_bytes) return;
    WordLattice lattice;
    chunk.word_first.reserve(e - b + 1);
    for (size_t i = b; i < e; ++i) {
      lattice.Build(pieces, words.word(i));
      chunk.word_first.push_back(chunk.first.size());
      const uint32_t base = static_cast<uint32_t>(chunk.edges.size());
      for (uint32_t f : lattice.firsts()) chunk.first.push_back(base + f);
      chunk.edges.insert(chunk.edges.end(), lattice.edges().begin(), lattice.edges().end());
    }
    chunk.first.shrink_to_fit();
    chunk.edges.shrink_to_fit();
    const size_t bytes = chunk.first.size() * sizeof(uint32_t) +
                         chunk.edges.size() * sizeof(WordLattice::Edge) +
                         chunk.word_first.size() * sizeof(uint64_t);
    if (used.fetch_add(bytes) + bytes > budget_bytes) {
      chunk = Chunk();  // Over budget: this chunk is latticed on the fly.
      return;
    }
    chunk.cached = true;
  });
  bytes_ = 0;
  for (const Chunk& c : chunks_) {
    if (c.cached) {
      bytes_ += c.first.size() * sizeof(uint32_t) + c.edges.size() * sizeof(WordLattice::Edge);
    }
  }
}

bool LatticeCache::Get(size_t word, WordLattice::View* view) const {
  const Chunk& chunk = chunks_[word / kChunk];
  if (!chunk.cached) return false;
  const size_t j = word % kChunk;
  const uint64_t begin = chunk.word_first[j];
  const uint64_t end = j + 1 < chunk.word_first.size() ? chunk.word_first[j + 1] : chunk.first.size();
  view->size = static_cast<uint32_t>(end - begin - 1);
  view->first = chunk.first.data() + begin;
  view->edges = chunk.edges.data();
  return true;
}

void ForEachChunk(int threads, size_t n, size_t chunk,
                  const std::function<void(size_t begin, size_t end, int worker)>& fn) {
  std::atomic<size_t> next{0};
  ParallelFor(threads, static_cast<size_t>(threads), [&](size_t worker, size_t, int) {
    for (size_t b; (b = next.fetch_add(chunk)) < n;) {
      fn(b, std::min(n, b + chunk), static_cast<int>(worker));
    }
  });
}

ExpectedCounts RunEStep(const PieceSet& pieces, const UnigramWords& words,
                        const LatticeCache* cache, int threads) {
  threads = std::max(1, threads);
  std::vector<std::vector<Fixed>> acc(threads);
  std::vector<double> objective(threads, 0.0);
  std::vector<int64_t> total(threads, 0);
  ForEachChunk(threads, words.size(), LatticeCache::kChunk, [&](size_t b, size_t e, int w) {
    static thread_local Scratch scratch;
    if (acc[w].empty()) acc[w].assign(pieces.size(), 0);
    for (size_t i = b; i < e; ++i) {
      WordLattice::View view;
      if (cache == nullptr || !cache->Get(i, &view)) {
        scratch.lattice.Build(pieces, words.word(i));
        view = scratch.lattice.view();
      }
      const double log_z = AccumulateWord(pieces, view, words.counts[i], &scratch, &acc[w]);
      objective[w] -= log_z * static_cast<double>(words.counts[i]);
      total[w] += words.counts[i];
    }
  });
  ExpectedCounts out;
  out.counts.assign(pieces.size(), 0.0);
  std::vector<Fixed> sum(pieces.size(), 0);
  int64_t all = 0;
  for (int w = 0; w < threads; ++w) {
    all += total[w];
    out.objective += objective[w];
    if (acc[w].empty()) continue;
    for (size_t i = 0; i < sum.size(); ++i) sum[i] += acc[w][i];
  }
  for (size_t i = 0; i < sum.size(); ++i) out.counts[i] = static_cast<double>(sum[i]) / kFixedScale;
  if (all > 0) out.objective /= static_cast<double>(all);
  return out;
}

double Digamma(double x) {
  double result = 0;
  for (; x < 7; ++x) result -= 1 / x;
  x -= 0.5;
  const double xx = 1 / x;
  const double xx2 = xx * xx;
  const double xx4 = xx2 * xx2;
  result += std::log(x) + xx2 / 24 - 7 * xx4 / 960 + 31 * xx4 * xx2 / 8064 -
            127 * xx4 * xx4 / 30720;
  return result;
}

void RunMStep(const std::vector<double>& expected, PieceSet* pieces) {
  constexpr double kMinExpected = 0.5;
  double sum = 0;
  for (size_t i = 0; i < pieces->size(); ++i) {
    if (!pieces->alive(i)) continue;
    if (expected[i] < kMinExpected) {
      pieces->Kill(i);
    } else {
      sum += expected[i];
    }
  }
  const double log_sum = Digamma(sum);
  for (size_t i = 0; i < pieces->size(); ++i) {
    if (pieces->alive(i)) pieces->SetScore(i, Digamma(expected[i]) - log_sum);
  }
  pieces->Refresh();
}

std::vector<int64_t> ViterbiCounts(const PieceSet& pieces, const UnigramWords& words,
                                   const LatticeCache* cache, int threads, int64_t* tokens) {
  threads = std::max(1, threads);
  std::vector<std::vector<int64_t>> counts(threads);
  std::vector<int64_t> ntokens(threads, 0);
  ForEachChunk(threads, words.size(), LatticeCache::kChunk, [&](size_t b, size_t e, int w) {
    static thread_local WordLattice lattice;
    static thread_local std::vector<double> best;
    static thread_local std::vector<uint32_t> back;
    static thread_local std::vector<int32_t> path;
    if (counts[w].empty()) counts[w].assign(pieces.size(), 0);
    for (size_t i = b; i < e; ++i) {
      WordLattice::View view;
      if (cache == nullptr || !cache->Get(i, &view)) {
        lattice.Build(pieces, words.word(i));
        view = lattice.view();
      }
      BestPath(view, pieces.scores(), pieces.unknown_score(), &best, &back, &path);
      for (int32_t p : path) {
        if (p >= 0) counts[w][p] += words.counts[i];
      }
      ntokens[w] += static_cast<int64_t>(path.size());
    }
  });
  std::vector<int64_t> out(pieces.size(), 0);
  *tokens = 0;
  for (int w = 0; w < threads; ++w) {
    *tokens += ntokens[w];
    if (counts[w].empty()) continue;
    for (size_t i = 0; i < out.size(); ++i) out[i] += counts[w][i];
  }
  return out;
}

}  // namespace sentencepiece
