#include "encoder/unigram_lattice.h"

#include <algorithm>
#include <cmath>
#include <queue>
#include <random>

#include "common/random.h"
#include "common/utf8.h"

namespace sentencepiece {
namespace {

// log(exp(x) + exp(y)), or y when `init`. Float in and out, the correction
// term in double, as in the reference.
float LogSumExp(float x, float y, bool init) {
  if (init) return y;
  const float vmin = std::min(x, y);
  const float vmax = std::max(x, y);
  constexpr float kMinusLogEpsilon = 50;
  if (vmax > vmin + kMinusLogEpsilon) return vmax;
  return vmax + std::log(std::exp(static_cast<double>(vmin - vmax)) + 1.0);
}

// A draw from the standard Gumbel distribution: -log(-log(U + eps)).
float Gumbel() {
  constexpr float kEpsilon = 1e-7f;
  std::uniform_real_distribution<float> uniform(0.0, 1.0);
  return -std::log(-(std::log(uniform(*random::GetGenerator()) + kEpsilon)));
}

}  // namespace

void Lattice::SetSentence(std::string_view sentence) {
  sentence_ = sentence;
  char_starts_.clear();
  for (size_t pos = 0; pos < sentence.size();) {
    char_starts_.push_back(pos);
    pos += std::min(sentence.size() - pos, utf8::OneCharLen(sentence[pos]));
  }
  char_starts_.push_back(sentence.size());
  const int len = size();
  nodes_.clear();
  nodes_.reserve(len * 4 + 2);
  begin_nodes_.assign(len + 1, {});
  end_nodes_.assign(len + 1, {});
  nodes_.emplace_back();  // BOS.
  end_nodes_[0].push_back(kBos);
  nodes_.emplace_back();  // EOS.
  nodes_[kEos].pos = len;
  begin_nodes_[len].push_back(kEos);
}

int Lattice::Insert(int pos, int length) {
  const int index = num_nodes();
  Node n;
  n.pos = pos;
  n.length = length;
  n.piece = sentence_.substr(char_starts_[pos], char_starts_[pos + length] - char_starts_[pos]);
  nodes_.push_back(n);
  begin_nodes_[pos].push_back(index);
  end_nodes_[pos + length].push_back(index);
  return index;
}

Lattice::Path Lattice::Viterbi() {
  const int len = size();
  for (int pos = 0; pos <= len; ++pos) {
    for (int r : begin_nodes_[pos]) {
      Node& rnode = nodes_[r];
      rnode.prev = -1;
      float best_score = 0;
      int best = -1;
      for (int l : end_nodes_[pos]) {
        const float score = nodes_[l].backtrace_score + rnode.score;
        if (best < 0 || score > best_score) {
          best = l;
          best_score = score;
        }
      }
      if (best < 0) return {};  // Unreachable position.
      rnode.prev = best;
      rnode.backtrace_score = best_score;
    }
  }
  std::vector<int> path;
  for (int n = nodes_[kEos].prev; nodes_[n].prev >= 0; n = nodes_[n].prev) path.push_back(n);
  std::reverse(path.begin(), path.end());
  return {path, nodes_[kEos].backtrace_score};
}

std::vector<float> Lattice::Forward(float inv_theta) const {
  std::vector<float> alpha(nodes_.size(), 0.0f);
  for (int pos = 0; pos <= size(); ++pos) {
    const std::vector<int>& ends = end_nodes_[pos];
    for (int r : begin_nodes_[pos]) {
      for (int l : ends) {
        alpha[r] = LogSumExp(alpha[r], inv_theta * nodes_[l].score + alpha[l], l == ends[0]);
      }
    }
  }
  return alpha;
}

std::vector<float> Lattice::Backward() const {
  std::vector<float> beta(nodes_.size(), 0.0f);
  for (int pos = size(); pos >= 0; --pos) {
    const std::vector<int>& begins = begin_nodes_[pos];
    for (int l : end_nodes_[pos]) {
      for (int r : begins) {
        beta[l] = LogSumExp(beta[l], nodes_[r].score + beta[r], r == begins[0]);
      }
    }
  }
  return beta;
}

float Lattice::PopulateMarginal(float freq, std::vector<float>* expected) const {
  const std::vector<float> alpha = Forward(1.0f);
  const std::vector<float> beta = Backward();
  const float z = alpha[kEos];
  for (int pos = 0; pos < size(); ++pos) {
    for (int i : begin_nodes_[pos]) {
      const Node& n = nodes_[i];
      if (n.id < 0) continue;
      (*expected)[n.id] += freq * std::exp(static_cast<double>(alpha[i] + n.score + beta[i] - z));
    }
  }
  return freq * z;
}

float Lattice::Entropy(float inv_theta) const {
  std::vector<float> h(nodes_.size(), 0.0f);
  const std::vector<float> alpha = Forward(inv_theta);
  for (int pos = 0; pos <= size(); ++pos) {
    for (int r : begin_nodes_[pos]) {
      for (int l : end_nodes_[pos]) {
        // log p(l | r), normalized by the forward marginals.
        const float log_p = (inv_theta * nodes_[l].score) + alpha[l] - alpha[r];
        h[r] += std::exp(log_p) * (h[l] + log_p);
      }
    }
  }
  return -h[kEos];
}

std::vector<Lattice::Path> Lattice::NBest(size_t n, bool sample, float inv_theta) {
  nbest_compactions_ = 0;
  if (n < 1) return {};
  if (n == 1 && !sample) return {Viterbi()};

  // A* from EOS back to BOS. f(x) = g(x) + h(x): g is the score of the
  // partial path from EOS, h the exact best score from BOS (Viterbi), so
  // paths complete in score order. When sampling, scores are perturbed by
  // Gumbel noise constrained to their parent's (truncated Gumbel).
  struct Hypothesis {
    int node;
    int next;  // Hypothesis toward EOS, or -1.
    float fx;
    float gx;
  };
  std::vector<Hypothesis> hyps;
  // Orders hypothesis indices by fx. std::priority_queue's heap order on
  // ties is part of the reference's output, so it is used as is.
  struct Lower {
    const std::vector<Hypothesis>* hyps;
    bool operator()(int a, int b) const { return (*hyps)[a].fx < (*hyps)[b].fx; }
  };
  // (Its heap array is renumbered by compact() below.)
  struct Agenda : std::priority_queue<int, std::vector<int>, Lower> {
    using priority_queue::priority_queue;
    std::vector<int>& heap() { return c; }
  };
  const Lower lower{&hyps};
  Agenda agenda(lower);
  // Hypotheses are never needed again once no agenda entry leads to them
  // (the paths found so far are copied out). When the agenda has been cut
  // back and the hypotheses have doubled since the last time, those the
  // agenda still reaches are moved down in order and renumbered, the
  // agenda's array renumbered in place: the heap keeps its shape and every
  // comparison its outcome, so the search goes on exactly as before, in
  // memory proportional to the live paths instead of to all hypotheses
  // ever made (an n-best of a 1 MB line kept ~1 GB of them).
  size_t compact_at = min_hypotheses_to_compact_;
  std::vector<int> renumbered;
  auto compact = [&hyps, &agenda, &renumbered] {
    renumbered.assign(hyps.size(), -1);
    // A hypothesis's `next` is older than itself (lower index): marking
    // walks each chain until it meets a marked one, and the renumbering
    // pass below has already renumbered a hypothesis's `next`.
    for (int h : agenda.heap()) {
      for (int x = h; x >= 0 && renumbered[x] < 0; x = hyps[x].next) renumbered[x] = 0;
    }
    int kept = 0;
    for (size_t i = 0; i < hyps.size(); ++i) {
      if (renumbered[i] < 0) continue;
      Hypothesis h = hyps[i];
      if (h.next >= 0) h.next = renumbered[h.next];
      renumbered[i] = kept;
      hyps[kept++] = h;
    }
    hyps.resize(kept);
    for (int& h : agenda.heap()) h = renumbered[h];
  };

  std::vector<float> alpha(nodes_.size(), 0.0f);
  float eos_fx;
  if (sample) {
    alpha = Forward(inv_theta);
    eos_fx = Gumbel();
  } else {
    Viterbi();
    eos_fx = nodes_[kEos].backtrace_score;
  }
  hyps.push_back({kEos, -1, eos_fx, 0.0f});
  agenda.push(0);

  std::vector<Path> results;
  std::vector<float> probs, perturbed;
  std::vector<double> adjusted;
  while (!agenda.empty()) {
    const int top = agenda.top();
    agenda.pop();
    const Hypothesis t = hyps[top];
    if (t.node == kBos) {
      Path path;
      for (int h = t.next; hyps[h].next >= 0; h = hyps[h].next) path.first.push_back(hyps[h].node);
      path.second = t.fx;
      results.push_back(std::move(path));
      if (results.size() == n) break;
      continue;
    }

    const std::vector<int>& ends = end_nodes_[nodes_[t.node].pos];
    if (sample) {
      probs.assign(ends.size(), 0.0f);
      perturbed.assign(ends.size(), 0.0f);
      adjusted.assign(ends.size(), 0.0);
      const float z = alpha[t.node];
      float max_score = -1e8f;
      for (size_t i = 0; i < ends.size(); ++i) {
        const Node& l = nodes_[ends[i]];
        probs[i] = t.gx + alpha[ends[i]] + (inv_theta * l.score) - z;
        perturbed[i] = probs[i] + Gumbel();
        if (perturbed[i] > max_score) max_score = perturbed[i];
      }
      for (size_t i = 0; i < ends.size(); ++i) {
        // Numerically stable truncated Gumbel (Kool et al. 2019, B.3).
        const float v = t.fx - perturbed[i] + std::log1p(-std::exp(perturbed[i] - max_score));
        adjusted[i] = t.fx - std::max(0.0f, v) - std::log1p(std::exp(-std::abs(v)));
      }
    }
    for (size_t i = 0; i < ends.size(); ++i) {
      const Node& l = nodes_[ends[i]];
      Hypothesis h;
      h.node = ends[i];
      h.next = top;
      if (sample) {
        h.gx = probs[i];
        h.fx = static_cast<float>(adjusted[i]);
      } else {
        h.gx = l.score + t.gx;
        h.fx = l.backtrace_score + t.gx;
      }
      hyps.push_back(h);
      agenda.push(static_cast<int>(hyps.size()) - 1);
    }

    // Long or repetitive inputs make the agenda explode: keep the best few.
    constexpr size_t kMaxAgendaSize = 10000;
    constexpr size_t kMinAgendaSize = 512;
    if (agenda.size() >= kMaxAgendaSize) {
      const size_t keep = std::min(kMinAgendaSize, n * 10);
      Agenda kept(lower);
      for (size_t i = 0; i < keep; ++i) {
        kept.push(agenda.top());
        agenda.pop();
      }
      agenda = std::move(kept);
      if (hyps.size() >= compact_at) {
        compact();
        ++nbest_compactions_;
        compact_at = std::max(min_hypotheses_to_compact_, 2 * hyps.size());
      }
    }
  }
  return results;
}

std::vector<int> Lattice::Sample(float inv_theta) {
  if (size() == 0) return {};
  const std::vector<float> alpha = Forward(inv_theta);
  std::mt19937* rng = random::GetGenerator();
  std::vector<int> path;
  std::vector<float> probs;
  float z = alpha[kEos];
  int node = kEos;
  while (true) {
    probs.clear();
    const std::vector<int>& ends = end_nodes_[nodes_[node].pos];
    for (int l : ends) {
      probs.push_back(std::exp(static_cast<double>(alpha[l] + inv_theta * nodes_[l].score - z)));
    }
    std::discrete_distribution<int> dist(probs.begin(), probs.end());
    node = ends[dist(*rng)];
    if (node == kBos) break;
    z = alpha[node];
    path.push_back(node);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace sentencepiece
