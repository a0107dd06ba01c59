// The lattice of a unigram model over one sentence: every vocabulary piece
// occurring in it, as a node spanning [pos, pos + length) in characters.
//
// The plain encoder never builds it (unigram_model.cc runs a streaming
// Viterbi); it serves what needs all paths at once: n-best lists (A*
// search), sampling (forward-filtering backward-sampling, Kudo 2018),
// Gumbel top-k sampling without replacement (Kool et al. 2019), entropy,
// and the expected counts of the trainer's E-step.
//
// Byte identity with the reference depends on details kept here on purpose:
// node order (by start, then by length as the trie yields them, the unknown
// node last), float arithmetic where the reference uses float, the standard
// library's priority queue for ties, and draws from the thread's mt19937 in
// the same order.

#ifndef SPM_SRC_ENCODER_UNIGRAM_LATTICE_H_
#define SPM_SRC_ENCODER_UNIGRAM_LATTICE_H_

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace sentencepiece {

class Lattice {
 public:
  struct Node {
    std::string_view piece;     // Its text.
    uint32_t pos = 0;           // Start, in characters.
    uint32_t length = 0;        // Length, in characters.
    int id = -1;                // Vocabulary id; -1 for BOS/EOS.
    float score = 0;            // Log-probability (or user-symbol score).
    float backtrace_score = 0;  // Best score of a path ending here.
    int prev = -1;              // Previous node on that path.
  };
  // Node indices, and a score.
  using Path = std::pair<std::vector<int>, float>;

  // Resets the lattice to `sentence` (characters are UTF-8 sequences judged
  // by their lead byte), with only the BOS and EOS nodes.
  void SetSentence(std::string_view sentence);

  // Number of characters.
  int size() const { return static_cast<int>(char_starts_.size()) - 1; }
  std::string_view sentence() const { return sentence_; }
  // Byte offset of character `pos` (pos == size() gives the end).
  size_t char_start(int pos) const { return char_starts_[pos]; }

  // Adds a node over characters [pos, pos + length); returns its index.
  int Insert(int pos, int length);
  Node& node(int i) { return nodes_[i]; }
  const Node& node(int i) const { return nodes_[i]; }
  int num_nodes() const { return static_cast<int>(nodes_.size()); }
  const std::vector<int>& begin_nodes(int pos) const { return begin_nodes_[pos]; }
  const std::vector<int>& end_nodes(int pos) const { return end_nodes_[pos]; }
  static constexpr int kBos = 0;
  static constexpr int kEos = 1;

  // The best path (without BOS/EOS) and its score.
  Path Viterbi();

  // Forward/backward log-sums over paths with scores scaled by `inv_theta`
  // (backward uses unscaled scores, as the reference does), by node index.
  std::vector<float> Forward(float inv_theta) const;
  std::vector<float> Backward() const;

  // Adds freq * marginal probability of each node to (*expected)[node.id];
  // returns freq * log Z.
  float PopulateMarginal(float freq, std::vector<float>* expected) const;

  // Entropy of the path distribution with scores scaled by `inv_theta`.
  float Entropy(float inv_theta) const;

  // The `n` best paths, best first; with `sample`, n paths drawn without
  // replacement by perturbing scores with Gumbel noise (scores are then the
  // perturbed ones).
  std::vector<Path> NBest(size_t n, bool sample, float inv_theta);
  // NBest() drops the hypotheses no search path leads to any more once
  // there are at least this many (and twice as many as after the last
  // time); the results do not depend on it. For tests.
  void set_min_hypotheses_to_compact(size_t n) { min_hypotheses_to_compact_ = n; }
  // How many times the last NBest() did so.
  int nbest_compactions() const { return nbest_compactions_; }

  // One path drawn from the distribution with scores scaled by `inv_theta`.
  std::vector<int> Sample(float inv_theta);

 private:
  std::string_view sentence_;
  std::vector<size_t> char_starts_;
  std::vector<Node> nodes_;
  std::vector<std::vector<int>> begin_nodes_;
  std::vector<std::vector<int>> end_nodes_;
  size_t min_hypotheses_to_compact_ = size_t{1} << 20;  // 16 MB of them.
  int nbest_compactions_ = 0;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_ENCODER_UNIGRAM_LATTICE_H_
