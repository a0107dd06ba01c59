#include "trainer/sentence_store.h"

#include <algorithm>

namespace sentencepiece {

void SentenceStore::Add(std::string_view text, int64_t freq) {
  entries_.push_back({buffer_.size(), static_cast<uint32_t>(text.size()), freq});
  buffer_.append(text.data(), text.size());
}

void SentenceStore::Replace(size_t i, std::string_view text, int64_t freq) {
  garbage_ += entries_[i].length;
  entries_[i] = {buffer_.size(), static_cast<uint32_t>(text.size()), freq};
  buffer_.append(text.data(), text.size());
  if (garbage_ > (1u << 20) && garbage_ * 2 > buffer_.size()) Compact();
}

void SentenceStore::Rewrite(size_t i, std::string_view text) {
  Entry& e = entries_[i];
  if (text.size() > e.length) {
    Replace(i, text, e.freq);
    return;
  }
  buffer_.replace(e.offset, text.size(), text.data(), text.size());
  garbage_ += e.length - text.size();
  e.length = static_cast<uint32_t>(text.size());
}

void SentenceStore::Append(SentenceStore* other) {
  const uint64_t base = buffer_.size();
  buffer_.append(other->buffer_);
  // Grow geometrically: an exact reserve here would copy all entries on
  // every append (a corpus is appended batch by batch).
  const size_t needed = entries_.size() + other->entries_.size();
  if (needed > entries_.capacity()) entries_.reserve(std::max(needed, 2 * entries_.capacity()));
  for (const Entry& e : other->entries_) entries_.push_back({e.offset + base, e.length, e.freq});
  garbage_ += other->garbage_;
  other->Clear();
}

void SentenceStore::RemoveNonPositive() {
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [](const Entry& e) { return e.freq <= 0; }),
                 entries_.end());
}

void SentenceStore::Compact() {
  std::string packed;
  packed.reserve(buffer_.size() - garbage_);
  for (Entry& e : entries_) {
    const uint64_t offset = packed.size();
    packed.append(buffer_, e.offset, e.length);
    e.offset = offset;
  }
  buffer_.swap(packed);
  garbage_ = 0;
}

}  // namespace sentencepiece
