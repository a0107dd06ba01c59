#include "trainer/unigram_em.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>

#include "trainer/parallel.h"

namespace sentencepiece {
namespace {

using Fixed = __int128;
constexpr double kFixedScale = 1099511627776.0;  // 2^40

// Forward and backward values are kept above 2^-kRescaleBits by scaling
// the pending window by 2^kRescaleBits (exact); piece probabilities are
// above 2^-64 (scores above -40), so nothing underflows and nothing that
// is not rescaled exceeds 1.
constexpr int kRescaleBits = 256;
const double kTiny = std::ldexp(1.0, -kRescaleBits);
const double kRescale = std::ldexp(1.0, kRescaleBits);

constexpr uint32_t kNoLocal = ~uint32_t{0};

// Per-thread scratch.
struct Scratch {
  LatticeCache::Chunk chunk;     // An uncached chunk, built on the fly.
  std::vector<uint32_t> local_of;  // Lattice id -> local id (kNoLocal).
  std::vector<uint32_t> word;      // One word's lattice (lattice ids).
  // A chunk's tables by local id.
  std::vector<double> prob, sum;
  std::vector<uint16_t> length;
  std::vector<int64_t> count;
  // One word's forward-backward.
  std::vector<double> alpha, beta;
  std::vector<int32_t> shift;    // alpha[pos]'s scale exponent.
  std::vector<uint32_t> start;   // First edge of each position.
  // Per edge, in lattice order: its probability and end (looked up once
  // by the forward pass, read in order by the backward pass).
  std::vector<double> value;
  std::vector<uint32_t> end;
  std::vector<double> best;
  std::vector<uint32_t> back, path;
};

Scratch& ThreadScratch() {
  static thread_local Scratch scratch;
  return scratch;
}

// Fills s->prob with `values` (a per-piece table of the PieceSet) and
// s->length with the pieces' lengths, both by the chunk's local ids.
void GatherLocal(const LatticeCache::Chunk& chunk, const std::vector<double>& values,
                 const PieceSet& pieces, Scratch* s) {
  const size_t n = chunk.globals.size();
  s->prob.resize(n);
  s->length.resize(n);
  for (size_t l = 0; l < n; ++l) {
    s->prob[l] = values[chunk.globals[l]];
    s->length[l] = pieces.lengths()[chunk.globals[l]];
  }
}

// Adds count * (expected uses of each local id in the word: num_edges
// edges over n positions) to sums; returns log Z of the word.
template <typename Edge>
double AccumulateWord(const Edge* edges, uint32_t num_edges, uint32_t n, uint32_t span,
                      const double* probs,
                      const uint16_t* lengths, double count, double* sums, Scratch* s) {
  constexpr Edge kLastBit = static_cast<Edge>(Edge{1} << (8 * sizeof(Edge) - 1));
  constexpr Edge kIdMask = static_cast<Edge>(kLastBit - 1);
  s->alpha.assign(n + 1, 0.0);
  s->beta.resize(n + 1);
  s->shift.resize(n + 1);
  s->start.resize(n + 1);
  double* alpha = s->alpha.data();
  double* beta = s->beta.data();
  int32_t* shift = s->shift.data();
  uint32_t* start = s->start.data();
  if (s->value.size() < num_edges) {
    s->value.resize(num_edges);
    s->end.resize(num_edges);
  }
  double* value = s->value.data();
  uint32_t* ends = s->end.data();

  // Forward: alpha[pos] * 2^-shift[pos] is the probability of the prefix.
  alpha[0] = 1.0;
  int32_t scale = 0;
  uint32_t k = 0;
  for (uint32_t pos = 0; pos < n; ++pos) {
    double a = alpha[pos];
    if (a < kTiny) {
      const uint32_t last = std::min(n, pos + span);
      for (uint32_t j = pos; j <= last; ++j) alpha[j] *= kRescale;
      scale += kRescaleBits;
      a = alpha[pos];
    }
    shift[pos] = scale;
    start[pos] = k;
    Edge x;
    do {
      x = edges[k];
      const uint32_t id = x & kIdMask;
      const double p = probs[id];
      const uint32_t to = pos + lengths[id];
      value[k] = p;
      ends[k] = to;
      ++k;
      alpha[to] += a * p;
    } while (!(x & kLastBit));
  }
  start[n] = k;
  const double z = alpha[n];
  const double log_z = std::log(z) - static_cast<double>(scale) * std::log(2.0);
  const double inv_z = count / z;

  // Backward (beta * 2^-bscale), adding each edge's marginal
  // alpha[pos] * p * beta[end] / Z on the way.
  beta[n] = 1.0;
  int32_t bscale = 0;
  for (uint32_t pos = n; pos-- > 0;) {
    double coef = alpha[pos] * inv_z;
    const int32_t exp2 = scale - shift[pos] - bscale;
    if (exp2 != 0) coef = std::ldexp(coef, exp2);
    double y = 0;
    for (uint32_t j = start[pos]; j < start[pos + 1]; ++j) {
      const double t = value[j] * beta[ends[j]];
      y += t;
      sums[edges[j] & kIdMask] += coef * t;
    }
    if (y < kTiny) {
      const uint32_t last = std::min(n, pos + span);
      for (uint32_t j = pos + 1; j <= last; ++j) beta[j] *= kRescale;
      y *= kRescale;
      bscale += kRescaleBits;
    }
    beta[pos] = y;
  }
  return log_z;
}

// Appends the lattices of words [first, first + num) to *chunk, numbering
// ids locally; stops before a word that would bring the chunk over
// `max_local` ids (never before its first word). Returns the words added.
uint32_t FillChunk(const PieceSet& pieces, const UnigramWords& words, size_t first, size_t num,
                   uint32_t max_local, LatticeCache::Chunk* chunk, Scratch* s) {
  s->local_of.resize(pieces.size() + 1, kNoLocal);
  uint32_t* local_of = s->local_of.data();
  chunk->first_word = first;
  chunk->num_words = 0;
  chunk->wide = false;
  chunk->globals.clear();
  chunk->sizes.clear();
  chunk->begin.clear();
  chunk->edges16.clear();
  chunk->edges32.clear();
  for (size_t i = first; i < first + num; ++i) {
    s->word.clear();
    const uint32_t size = WordLattice::Append(pieces, words.word(i), -1, &s->word);
    uint32_t fresh = 0;
    for (uint32_t x : s->word) {
      const uint32_t id = x & WordLattice::kIdMask;
      if (local_of[id] == kNoLocal) {
        local_of[id] = kNoLocal - 1;  // Counted.
        ++fresh;
      }
    }
    const bool over = chunk->globals.size() + fresh > max_local;
    if (over && chunk->num_words > 0) {
      for (uint32_t x : s->word) {
        const uint32_t id = x & WordLattice::kIdMask;
        if (local_of[id] == kNoLocal - 1) local_of[id] = kNoLocal;
      }
      break;
    }
    if (over) chunk->wide = true;  // One huge word: 32-bit edges.
    chunk->begin.push_back(
        static_cast<uint32_t>(chunk->wide ? chunk->edges32.size() : chunk->edges16.size()));
    chunk->sizes.push_back(size);
    for (uint32_t x : s->word) {
      const uint32_t id = x & WordLattice::kIdMask;
      if (local_of[id] >= kNoLocal - 1) {
        local_of[id] = static_cast<uint32_t>(chunk->globals.size());
        chunk->globals.push_back(id);
      }
      const bool last = (x & WordLattice::kLast) != 0;
      if (chunk->wide) {
        chunk->edges32.push_back(local_of[id] | (last ? WordLattice::kLast : 0));
      } else {
        chunk->edges16.push_back(static_cast<uint16_t>(local_of[id] | (last ? 0x8000 : 0)));
      }
    }
    ++chunk->num_words;
    if (chunk->wide) break;
  }
  chunk->begin.push_back(
      static_cast<uint32_t>(chunk->wide ? chunk->edges32.size() : chunk->edges16.size()));
  for (uint32_t g : chunk->globals) local_of[g] = kNoLocal;
  return chunk->num_words;
}

size_t ChunkEdges(const LatticeCache::Chunk& c) { return c.edges16.size() + c.edges32.size(); }

size_t ChunkBytes(const LatticeCache::Chunk& c) {
  return c.edges16.capacity() * 2 + c.edges32.capacity() * 4 +
         (c.globals.capacity() + c.sizes.capacity() + c.begin.capacity()) * 4;
}

// Filters and renumbers one chunk's edges (Edge: uint16_t or uint32_t).
template <typename Edge>
void RemapEdges(LatticeCache::Chunk* chunk, std::vector<Edge>* edge_vec,
                const std::vector<uint32_t>& local_map, const std::vector<uint16_t>& old_len,
                uint32_t* unknown_local, uint32_t unknown) {
  constexpr Edge kLastBit = static_cast<Edge>(Edge{1} << (8 * sizeof(Edge) - 1));
  constexpr Edge kIdMask = static_cast<Edge>(kLastBit - 1);
  Edge* edges = edge_vec->data();
  uint32_t out = 0, in = 0;
  for (size_t j = 0; j < chunk->sizes.size(); ++j) {
    chunk->begin[j] = out;
    for (uint32_t pos = 0; pos < chunk->sizes[j]; ++pos) {
      // Dropping the one-character edge frees the slot the unknown edge
      // may need, so writing never overtakes reading.
      bool single = false;
      Edge x;
      do {
        x = edges[in++];
        const uint32_t id = x & kIdMask;
        const uint32_t to = local_map[id];
        if (to == kNoLocal) continue;
        single |= old_len[id] == 1;
        edges[out++] = static_cast<Edge>(to);
      } while (!(x & kLastBit));
      if (!single) {
        if (*unknown_local == kNoLocal) {
          *unknown_local = static_cast<uint32_t>(chunk->globals.size());
          chunk->globals.push_back(unknown);
        }
        edges[out++] = static_cast<Edge>(*unknown_local);
      }
      edges[out - 1] |= kLastBit;
    }
  }
  chunk->begin[chunk->sizes.size()] = out;
  edge_vec->resize(out);
  if (out < edge_vec->capacity() / 4 * 3) edge_vec->shrink_to_fit();
}

}  // namespace

void LatticeCache::Build(const PieceSet& pieces, const UnigramWords& words, int threads,
                         size_t budget_bytes) {
  const size_t blocks = (words.size() + kBlock - 1) / kBlock;
  std::vector<std::vector<Chunk>> parts(blocks);
  std::atomic<size_t> used{0};
  ForEachChunk(threads, blocks, 1, [&](size_t block, size_t, int) {
    Scratch& s = ThreadScratch();
    const size_t end = std::min(words.size(), (block + 1) * kBlock);
    for (size_t w = block * kBlock; w < end;) {
      // Filled in the thread's scratch (its vectors keep their capacity),
      // then copied at their exact sizes.
      w += FillChunk(pieces, words, w, end - w, kMaxLocal, &s.chunk, &s);
      Chunk chunk = s.chunk;
      const size_t bytes = ChunkBytes(chunk);
      if (used.load() + bytes > budget_bytes || used.fetch_add(bytes) + bytes > budget_bytes) {
        // Over budget: only the boundaries are kept.
        Chunk bare;
        bare.first_word = chunk.first_word;
        bare.num_words = chunk.num_words;
        chunk = std::move(bare);
      } else {
        chunk.cached = true;
      }
      parts[block].push_back(std::move(chunk));
    }
  });
  chunks_.clear();
  for (auto& part : parts) {
    for (Chunk& c : part) chunks_.push_back(std::move(c));
    std::vector<Chunk>().swap(part);
  }
  Count();
}

const LatticeCache::Chunk& LatticeCache::Get(size_t c, const PieceSet& pieces,
                                             const UnigramWords& words, Chunk* scratch) const {
  const Chunk& chunk = chunks_[c];
  if (chunk.cached) return chunk;
  // Pieces only go, so the words fit as before (one more id at most: the
  // unknown one); a chunk of one huge word comes out wide again.
  FillChunk(pieces, words, chunk.first_word, chunk.num_words, kMaxLocal + 1, scratch,
            &ThreadScratch());
  return *scratch;
}

bool LatticeCache::GetWord(size_t word, std::vector<uint32_t>* edges) const {
  auto it = std::upper_bound(chunks_.begin(), chunks_.end(), word,
                             [](size_t w, const Chunk& c) { return w < c.first_word; });
  if (it == chunks_.begin()) return false;
  const Chunk& c = *--it;
  if (!c.cached || word >= c.first_word + c.num_words) return false;
  const size_t j = word - c.first_word;
  edges->clear();
  for (uint32_t k = c.begin[j]; k < c.begin[j + 1]; ++k) {
    uint32_t id, last;
    if (c.wide) {
      id = c.edges32[k] & WordLattice::kIdMask;
      last = c.edges32[k] & WordLattice::kLast;
    } else {
      id = c.edges16[k] & 0x7FFF;
      last = (c.edges16[k] & 0x8000) ? WordLattice::kLast : 0;
    }
    edges->push_back(c.globals[id] | last);
  }
  return true;
}

void LatticeCache::DropDead(const PieceSet& pieces, int threads) {
  std::vector<uint32_t> remap(pieces.size() + 1);
  for (size_t i = 0; i <= pieces.size(); ++i) {
    remap[i] = i == pieces.size() || pieces.alive(i) ? static_cast<uint32_t>(i) : kDropped;
  }
  Remap(remap, pieces.lengths(), pieces.unknown_id(), threads);
}

void LatticeCache::Remap(const std::vector<uint32_t>& remap,
                         const std::vector<uint16_t>& old_lengths, uint32_t unknown,
                         int threads) {
  ForEachChunk(threads, chunks_.size(), 1, [&](size_t c, size_t, int) {
    Chunk& chunk = chunks_[c];
    if (!chunk.cached) return;
    const size_t n = chunk.globals.size();
    std::vector<uint32_t> local_map(n, kNoLocal);
    std::vector<uint16_t> old_len(n);
    std::vector<uint32_t> globals;
    globals.reserve(n + 1);
    uint32_t unknown_local = kNoLocal;
    for (size_t l = 0; l < n; ++l) {
      const uint32_t g = chunk.globals[l];
      old_len[l] = old_lengths[g];
      const uint32_t to = remap[g];
      if (to == kDropped) continue;
      local_map[l] = static_cast<uint32_t>(globals.size());
      if (to == unknown) unknown_local = local_map[l];
      globals.push_back(to);
    }
    chunk.globals = std::move(globals);
    if (chunk.wide) {
      RemapEdges(&chunk, &chunk.edges32, local_map, old_len, &unknown_local, unknown);
    } else {
      RemapEdges(&chunk, &chunk.edges16, local_map, old_len, &unknown_local, unknown);
    }
  });
  Count();
}

void LatticeCache::Count() {
  bytes_ = 0;
  edges_ = 0;
  for (const Chunk& c : chunks_) {
    bytes_ += ChunkBytes(c);
    edges_ += ChunkEdges(c);
  }
}

ExpectedCounts RunEStep(const PieceSet& pieces, const UnigramWords& words,
                        const LatticeCache& cache, int threads) {
  threads = std::max(1, threads);
  const size_t chunks = cache.num_chunks();
  // One exact sum per worker, added up at the end: integer adds, so how
  // the chunks fell to the workers does not matter. (One shared sum under
  // a lock kept the other worker waiting on these scattered adds.)
  std::vector<std::vector<Fixed>> totals(threads);
  std::vector<double> objective(chunks, 0.0);
  const uint32_t unknown = pieces.unknown_id();
  const uint32_t span = static_cast<uint32_t>(pieces.max_chars());
  ForEachChunk(threads, chunks, 1, [&](size_t c, size_t, int worker) {
    Scratch& s = ThreadScratch();
    const LatticeCache::Chunk& chunk = cache.Get(c, pieces, words, &s.chunk);
    const size_t n = chunk.globals.size();
    GatherLocal(chunk, pieces.probs(), pieces, &s);
    s.sum.assign(n, 0.0);
    double obj = 0;
    for (uint32_t j = 0; j < chunk.num_words; ++j) {
      const double count = static_cast<double>(words.counts[chunk.first_word + j]);
      const double log_z =
          chunk.wide ? AccumulateWord(chunk.edges32.data() + chunk.begin[j],
                                      chunk.begin[j + 1] - chunk.begin[j], chunk.sizes[j], span,
                                      s.prob.data(), s.length.data(), count, s.sum.data(), &s)
                     : AccumulateWord(chunk.edges16.data() + chunk.begin[j],
                                      chunk.begin[j + 1] - chunk.begin[j], chunk.sizes[j], span,
                                      s.prob.data(), s.length.data(), count, s.sum.data(), &s);
      obj -= log_z * count;
    }
    std::vector<Fixed>& total = totals[worker];
    if (total.empty()) total.assign(pieces.size(), 0);
    for (size_t l = 0; l < n; ++l) {
      const double x = s.sum[l] * kFixedScale + 0.5;
      // Through int64 where it fits (converting a double to 128 bits is a
      // library call).
      const Fixed fixed =
          x < 9.2e18 ? static_cast<Fixed>(static_cast<int64_t>(x)) : static_cast<Fixed>(x);
      // Dead pieces (and pieces too rare to register) add nothing: their
      // scattered adds are skipped.
      if (fixed != 0 && chunk.globals[l] != unknown) total[chunk.globals[l]] += fixed;
    }
    objective[c] = obj;
  });
  ExpectedCounts out;
  out.counts.resize(pieces.size());
  ParallelFor(threads, pieces.size(), [&](size_t b, size_t e, int) {
    for (size_t i = b; i < e; ++i) {
      Fixed sum = 0;
      for (const std::vector<Fixed>& total : totals) sum += total.empty() ? 0 : total[i];
      out.counts[i] = static_cast<double>(sum) / kFixedScale;
    }
  });
  std::vector<std::vector<Fixed>>().swap(totals);
  int64_t all = 0;
  for (int64_t c : words.counts) all += c;
  for (double o : objective) out.objective += o;
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

size_t RunMStep(const std::vector<double>& expected, PieceSet* pieces) {
  constexpr double kMinExpected = 0.5;
  double sum = 0;
  size_t dropped = 0;
  for (const uint32_t i : pieces->order()) {  // The sum's rounding follows the order.
    if (!pieces->alive(i)) continue;
    if (expected[i] < kMinExpected) {
      pieces->Kill(i);
      ++dropped;
    } else {
      sum += expected[i];
    }
  }
  const double log_sum = Digamma(sum);
  for (size_t i = 0; i < pieces->size(); ++i) {
    if (pieces->alive(i)) pieces->SetScore(i, Digamma(expected[i]) - log_sum);
  }
  pieces->Refresh();
  return dropped;
}

std::vector<int64_t> ViterbiCounts(const PieceSet& pieces, const UnigramWords& words,
                                   const LatticeCache& cache, int threads, int64_t* tokens) {
  threads = std::max(1, threads);
  std::vector<int64_t> out(pieces.size(), 0);
  std::mutex out_mu;
  std::atomic<int64_t> ntokens{0};
  const uint32_t unknown = pieces.unknown_id();
  ForEachChunk(threads, cache.num_chunks(), 1, [&](size_t c, size_t, int) {
    Scratch& s = ThreadScratch();
    const LatticeCache::Chunk& chunk = cache.Get(c, pieces, words, &s.chunk);
    const size_t n = chunk.globals.size();
    GatherLocal(chunk, pieces.scores(), pieces, &s);  // Scores in s.prob here.
    s.count.assign(n, 0);
    int64_t tokens_here = 0;
    for (uint32_t j = 0; j < chunk.num_words; ++j) {
      if (chunk.wide) {
        BestPathOver(chunk.edges32.data() + chunk.begin[j], chunk.sizes[j], s.prob.data(),
                     s.length.data(), &s.best, &s.back, &s.path);
      } else {
        BestPathOver(chunk.edges16.data() + chunk.begin[j], chunk.sizes[j], s.prob.data(),
                     s.length.data(), &s.best, &s.back, &s.path);
      }
      const int64_t count = words.counts[chunk.first_word + j];
      for (uint32_t l : s.path) s.count[l] += count;
      tokens_here += static_cast<int64_t>(s.path.size());
    }
    ntokens += tokens_here;
    std::lock_guard<std::mutex> lock(out_mu);
    for (size_t l = 0; l < n; ++l) {
      if (s.count[l] != 0 && chunk.globals[l] != unknown) out[chunk.globals[l]] += s.count[l];
    }
  });
  *tokens = ntokens.load();
  return out;
}

}  // namespace sentencepiece
