#include "trainer/corpus_preprocessor.h"

#include <algorithm>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/utf8.h"
#include "normalizer/prefix_matcher.h"
#include "trainer/parallel.h"
#include "trainer/training_log.h"

namespace sentencepiece {
namespace {

// Appends `text` to *out with every meta piece replaced by TAB.
void ReplaceMetaPieces(const PrefixMatcher& matcher, std::string_view text, std::string* out) {
  if (matcher.empty()) {
    out->append(text.data(), text.size());
    return;
  }
  while (!text.empty()) {
    bool found = false;
    const size_t len = matcher.PrefixMatch(text, &found);
    if (found) {
      out->push_back('\t');
    } else {
      out->append(text.data(), len);
    }
    text.remove_prefix(len);
  }
}

}  // namespace

absl::StatusOr<SentenceNormalizer> SentenceNormalizer::Create(const Normalizer& normalizer,
                                                              const MetaPieces& meta_pieces,
                                                              int threads) {
  std::set<std::string_view> meta_strings;
  for (const auto& [id, piece] : meta_pieces) meta_strings.insert(piece.first);
  auto matcher = PrefixMatcher::Create(meta_strings);
  if (!matcher.ok()) return matcher.status();
  return SentenceNormalizer(normalizer, *std::move(matcher), EffectiveThreads(threads));
}

void SentenceNormalizer::Normalize(const SentenceStore& in, SentenceStore* out) const {
  const size_t n = in.size();
  // Runs of sentences handed out in turn: sentences and languages differ
  // in cost, and equal shares left one thread idle for much of a batch.
  const size_t run = std::max<size_t>(256, n / (static_cast<size_t>(threads_) * 16));
  std::vector<SentenceStore> parts((n + run - 1) / run);
  ForEachChunk(threads_, n, run, [&](size_t begin, size_t end, int) {
    std::string buf;
    for (size_t i = begin; i < end; ++i) {
      buf.clear();
      ReplaceMetaPieces(matcher_, normalizer_->Normalize(in.text(i)), &buf);
      parts[begin / run].Add(buf, in.freq(i));
    }
  });
  for (SentenceStore& part : parts) out->Append(&part);
}

absl::Status RemoveEmptySentences(SentenceStore* sentences) {
  for (size_t i = 0; i < sentences->size(); ++i) {
    const std::string_view s = sentences->text(i);
    if (s.find(' ') != std::string_view::npos) {
      return absl::InvalidArgumentError("Normalized string must not include spaces");
    }
    if (s.empty()) {  // The reference's removal: the swapped-in one is not re-checked.
      sentences->Swap(i, sentences->size() - 1);
      sentences->PopBack();
    }
  }
  return absl::OkStatus();
}

absl::Status NormalizeSentences(const Normalizer& normalizer, const MetaPieces& meta_pieces,
                                int threads, SentenceStore* sentences) {
  auto sn = SentenceNormalizer::Create(normalizer, meta_pieces, threads);
  if (!sn.ok()) return sn.status();
  training_log::Progress progress("Normalizing sentences", 0);
  SentenceStore out;
  sn->Normalize(*sentences, &out);
  *sentences = std::move(out);
  progress.Done();
  return RemoveEmptySentences(sentences);
}

absl::StatusOr<CharacterSet> SelectCharacters(const TrainerSpec& spec,
                                              const SentenceStore& sentences, int threads) {
  // Counts per thread: a dense array for the BMP, a map above it.
  struct Counts {
    std::vector<int64_t> bmp = std::vector<int64_t>(0x10000, 0);
    absl::flat_hash_map<char32_t, int64_t> others;
    int64_t all = 0;
  };
  std::vector<Counts> parts(EffectiveThreads(threads));
  ParallelFor(static_cast<int>(parts.size()), sentences.size(),
              [&](size_t begin, size_t end, int t) {
                Counts& c = parts[t];
                for (size_t i = begin; i < end; ++i) {
                  const std::string_view s = sentences.text(i);
                  const int64_t freq = sentences.freq(i);
                  for (size_t pos = 0; pos < s.size();) {
                    size_t len;
                    const char32_t ch = utf8::Decode(s.substr(pos), &len);
                    pos += len;
                    if (ch == 0) continue;  // Invalid bytes count as U+FFFD.
                    (ch < 0x10000 ? c.bmp[ch] : c.others[ch]) += freq;
                    c.all += freq;
                  }
                }
              });

  // (required, count) per character.
  absl::flat_hash_map<char32_t, std::pair<bool, int64_t>> counts;
  const std::string& required = spec.required_chars();
  for (size_t pos = 0; pos < required.size();) {
    size_t len;
    const char32_t ch = utf8::Decode(std::string_view(required).substr(pos), &len);
    if (ch == utf8::kReplacementChar && len != 3) {
      return absl::InvalidArgumentError(
          absl::StrCat("required_chars is not valid UTF-8 at byte ", pos, "."));
    }
    pos += len;
    if (ch == 0) continue;
    counts[ch].first = true;
  }
  CharacterSet result;
  for (Counts& c : parts) {
    for (char32_t ch = 0; ch < 0x10000; ++ch) {
      if (c.bmp[ch] != 0) counts[ch].second += c.bmp[ch];
    }
    for (const auto& [ch, n] : c.others) counts[ch].second += n;
    result.all_chars_count += c.all;
  }
  std::vector<std::pair<char32_t, std::pair<bool, int64_t>>> sorted(counts.begin(), counts.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });

  int64_t accumulated = 0;
  const float coverage_wanted = spec.character_coverage();
  for (const auto& [ch, info] : sorted) {
    const float coverage = static_cast<float>(1.0 * accumulated / result.all_chars_count);
    if (!spec.use_all_vocab() && coverage >= coverage_wanted) break;
    accumulated += info.second;
    if (ch == kBoundaryChar) continue;
    result.chars.emplace_back(ch, info.second);
    result.members.insert(ch);
  }
  // Selection puts required characters first; the kept set is then ordered
  // by count alone (the reference's Sorted(required_chars_)).
  std::sort(result.chars.begin(), result.chars.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (result.contains(kUnknownChar)) {
    return absl::InvalidArgumentError(
        "U+2585 is reserved for unknown characters and cannot be a required character.");
  }
  training_log::Info(absl::StrCat("Alphabet size=", result.chars.size(),
                                  ", final character coverage=",
                                  1.0 * accumulated / result.all_chars_count));
  return result;
}

void MarkUnknownCharacters(const CharacterSet& chars, SentenceStore* sentences, int threads) {
  // A bitmap answers for the BMP (nearly every character), the set above it.
  std::vector<uint64_t> bmp(0x10000 / 64, 0);
  for (const auto& [c, count] : chars.chars) {
    if (c < 0x10000) bmp[c / 64] |= uint64_t{1} << (c % 64);
  }
  auto kept = [&](char32_t c) {
    return c < 0x10000 ? (bmp[c / 64] >> (c % 64)) & 1 : chars.contains(c);
  };
  // The threads rewrite their ranges into side stores (most sentences need
  // no change); the changes are applied in order afterwards.
  struct Changes {
    std::vector<size_t> index;
    SentenceStore texts;
  };
  threads = EffectiveThreads(threads);
  std::vector<Changes> parts(threads);
  ParallelFor(threads, sentences->size(), [&](size_t begin, size_t end, int t) {
    std::string buf;
    for (size_t i = begin; i < end; ++i) {
      const std::string_view s = sentences->text(i);
      size_t pos = 0;
      // Up to the first character to replace, if any.
      while (pos < s.size()) {
        const auto b = static_cast<unsigned char>(s[pos]);
        if (b < 0x80) {
          if (!kept(b)) break;
          ++pos;
          continue;
        }
        size_t len;
        if (!kept(utf8::Decode(s.substr(pos), &len))) break;
        pos += len;
      }
      if (pos == s.size()) continue;
      buf.assign(s.data(), pos);
      while (pos < s.size()) {
        size_t len;
        const char32_t ch = utf8::Decode(s.substr(pos), &len);
        if (kept(ch)) {
          buf.append(s.data() + pos, len);
        } else {
          utf8::Append(kUnknownChar, &buf);
        }
        pos += len;
      }
      if (buf == s) continue;  // An invalid byte kept as U+FFFD reads back the same.
      parts[t].index.push_back(i);
      parts[t].texts.Add(buf, 0);
    }
  });
  for (const Changes& part : parts) {
    for (size_t k = 0; k < part.index.size(); ++k) {
      sentences->Rewrite(part.index[k], part.texts.text(k));
    }
  }
}

}  // namespace sentencepiece
