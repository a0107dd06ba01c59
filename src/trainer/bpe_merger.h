// The merge loop of BPE training, on word types (bpe_trainer.h explains the
// rules it follows).
//
//   BpeMerger m(validator, /*threads=*/2);
//   m.AddWord("▁low", 5); m.AddWord("▁lower", 2); m.AddWord("▁newest", 6);
//   std::vector<std::string> merges = m.Run(10, nullptr);  // {"we", "st", ...}
//
// Data structures (Performance notes):
//   * words: one int32 array of symbol ids for all word types, rewritten in
//     place as merges shorten them (4 bytes a character);
//   * pairs: key (left id << 32 | right id) -> slot; each pair has its
//     64-bit count and the list of words it occurs in (first word inline,
//     the rest in 7-entry blocks from a shared pool in 4 MiB chunks); a list
//     may hold words that no longer contain the pair, which are skipped when
//     visited. Only pairs that can become pieces are stored, and a pair is
//     released (slot and blocks reused) once merged or without occurrences;
//   * a max-heap of (count, key) with lazy deletion;
//   * a merge visits the words of its pair in chunks of 64k words; each
//     chunk is split among the threads, which rewrite their words and list
//     the count changes (only pairs touching the two merged symbols or the
//     new one change); the calling thread then applies them.

#ifndef SPM_SRC_TRAINER_BPE_MERGER_H_
#define SPM_SRC_TRAINER_BPE_MERGER_H_

#include <cstdint>
#include <memory>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "trainer/piece_validator.h"
#include "trainer/training_log.h"

namespace sentencepiece {

class BpeMerger {
 public:
  // `validator` must outlive the merger.
  BpeMerger(const PieceValidator& validator, int threads);

  // Optional: room for `words` words of `bytes` bytes in total (avoids
  // growing, and briefly doubling, the arrays).
  void Reserve(size_t words, size_t bytes) {
    words_.reserve(words);
    seq_.reserve(bytes);
  }

  // Adds a word (valid UTF-8) occurring `freq` times. U+2585 (unknown
  // character) never takes part in a pair.
  void AddWord(std::string_view word, int64_t freq);

  // Performs up to `max_merges` merges and returns the merged strings in
  // order (fewer if no pair is left). `progress`, if any, gets the count.
  std::vector<std::string> Run(int max_merges, training_log::Progress* progress);

  // The frequency of the last merge returned by Run (for logs and tests).
  int64_t last_frequency() const { return last_frequency_; }

 private:
  using Key = uint64_t;
  static Key MakeKey(int32_t a, int32_t b) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
  }
  static int32_t Left(Key k) { return static_cast<int32_t>(k >> 32); }
  static int32_t Right(Key k) { return static_cast<int32_t>(k & 0xFFFFFFFFu); }

  struct Symbol {
    std::string text;       // UTF-8.
    std::u32string chars;   // Code points.
    bool unknown = false;
  };
  struct Word {
    uint64_t offset;     // Into seq_.
    uint32_t length;     // Current number of symbols.
    uint32_t stamp;      // Last merge that visited it.
    int64_t freq;
  };
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  static constexpr int kBlockEntries = 7;  // A block: next index + 7 words.
  struct Pair {
    int64_t count = 0;
    uint32_t first_word = kNone;
    uint32_t head = kNone;  // First block.
    uint32_t tail = kNone;  // Last block.
    uint8_t tail_fill = 0;
    bool closed = false;    // Its string is already a piece.
  };
  // A change of the number of occurrences of `key` in word `word`.
  struct Delta {
    Key key;
    uint32_t word;
    int32_t occurrences;
  };
  struct HeapEntry {
    int64_t count;
    Key key;
  };
  struct HeapLess {
    const BpeMerger* m;
    bool operator()(const HeapEntry& a, const HeapEntry& b) const { return m->Worse(a, b); }
  };

  int32_t CharSymbol(char32_t c);
  // Whether the pair's string may be a piece (piece_validator.h) and
  // contains no unknown character; cached in validity_.
  bool CanForm(Key key);
  // The pair for `key`, created if new; nullptr if it cannot be formed.
  // Only formable pairs are stored.
  Pair* FindOrCreatePair(Key key);
  void AddWordToPair(Pair* p, uint32_t word);
  template <typename Fn>
  void ForEachWord(const Pair& p, Fn fn) const;
  void FreeList(Pair* p);
  // True if `a` ranks below `b` (the heap's order: count, then fewer
  // characters, then smaller string, then smaller key).
  bool Worse(const HeapEntry& a, const HeapEntry& b) const;
  // Merges (left, right) into `merged` in word `w`, appending the count
  // changes to *out.
  void MergeInWord(uint32_t w, int32_t left, int32_t right, int32_t merged,
                   std::vector<Delta>* out);
  void CountInitialPairs();

  const PieceValidator& validator_;
  int threads_;
  std::vector<Symbol> symbols_;
  absl::flat_hash_map<char32_t, int32_t> char_ids_;
  std::vector<int32_t> seq_;
  std::vector<Word> words_;
  // Drops a pair that can never be chosen again (merged, or no occurrence
  // left), reusing its slot and list blocks.
  void ReleasePair(Key key);

  absl::flat_hash_map<Key, bool> validity_;  // CanForm's answers, per merge.
  absl::flat_hash_map<Key, uint32_t> pair_index_;
  std::vector<Pair> pairs_;
  std::vector<uint32_t> free_pairs_;  // Released slots of pairs_.
  // The list block pool, in fixed chunks (never moved or copied as it grows).
  static constexpr int kChunkShift = 20;  // 4 MiB chunks.
  uint32_t& block(uint32_t i) { return chunks_[i >> kChunkShift][i & ((1u << kChunkShift) - 1)]; }
  uint32_t block(uint32_t i) const {
    return chunks_[i >> kChunkShift][i & ((1u << kChunkShift) - 1)];
  }
  std::vector<std::unique_ptr<uint32_t[]>> chunks_;
  uint32_t blocks_used_ = 0;  // Entries in use in the pool.
  uint32_t free_block_ = kNone;
  std::priority_queue<HeapEntry, std::vector<HeapEntry>, HeapLess> heap_;
  absl::flat_hash_set<std::string> emitted_;
  int64_t last_frequency_ = 0;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_BPE_MERGER_H_
