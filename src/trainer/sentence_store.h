// The training corpus in memory: sentences with frequencies.
//
// All texts share one character buffer (an arena) and each sentence is a
// 24-byte entry, instead of a std::string per line: a 100 MB corpus costs
// about 100 MB plus 24 bytes a line, not several times that. Replacing a
// sentence (reservoir sampling) appends the new text and compacts the buffer
// once more than half of it is garbage.

#ifndef SPM_SRC_TRAINER_SENTENCE_STORE_H_
#define SPM_SRC_TRAINER_SENTENCE_STORE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sentencepiece {

class SentenceStore {
 public:
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  std::string_view text(size_t i) const {
    return std::string_view(buffer_.data() + entries_[i].offset, entries_[i].length);
  }
  int64_t freq(size_t i) const { return entries_[i].freq; }

  void Add(std::string_view text, int64_t freq);
  // Replaces sentence `i`.
  void Replace(size_t i, std::string_view text, int64_t freq);
  // Replaces sentence `i`'s text, in place when it is not longer.
  void Rewrite(size_t i, std::string_view text);
  // Appends all of `other`, leaving it empty.
  void Append(SentenceStore* other);
  // Removes the last sentence.
  void PopBack() { entries_.pop_back(); }
  // Swaps two sentences.
  void Swap(size_t i, size_t j) { std::swap(entries_[i], entries_[j]); }
  void SetFreq(size_t i, int64_t freq) { entries_[i].freq = freq; }
  // Removes sentences whose freq is <= 0, keeping the order.
  void RemoveNonPositive();

  // Takes the text buffer out, leaving the store empty; views returned by
  // text() point into it (it is moved, not copied).
  std::string ReleaseBuffer() {
    std::string b = std::move(buffer_);
    Clear();
    return b;
  }

  // Bytes of text held (garbage included), for progress and memory reports.
  size_t buffer_bytes() const { return buffer_.size(); }
  void Reserve(size_t sentences, size_t bytes) {
    entries_.reserve(sentences);
    buffer_.reserve(bytes);
  }
  void Clear() {
    std::vector<Entry>().swap(entries_);
    std::string().swap(buffer_);
    garbage_ = 0;
  }

 private:
  struct Entry {
    uint64_t offset;
    uint32_t length;
    int64_t freq;
  };
  void Compact();

  std::string buffer_;
  std::vector<Entry> entries_;
  size_t garbage_ = 0;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_SENTENCE_STORE_H_
