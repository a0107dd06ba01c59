#include "trainer/bpe_trainer.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "common/utf8.h"
#include "trainer/bpe_merger.h"
#include "trainer/piece_validator.h"
#include "trainer/training_log.h"
#include "trainer/word_counter.h"

namespace sentencepiece {

absl::Status BpeTrainer::Learn() {
  RETURN_IF_ERROR(LoadCorpus());
  const PieceValidator validator(spec());
  BpeMerger merger(validator, num_threads());
  {
    // Word types (or whole sentences), each once with its total frequency.
    // The distinct words are then packed to the front of the corpus buffer
    // (in buffer order, so each moves backwards only) and the rest of the
    // corpus is dropped before the merger is built: memory never holds the
    // corpus, the counts and the merger at once.
    struct WordRef {
      const char* data;
      uint64_t length;
      int64_t freq;
    };
    std::vector<WordRef> words;
    {
      WordCounts counts;
      if (spec().split_by_whitespace()) {
        counts = CountWords(sentences_, spec().treat_whitespace_as_suffix(),
                            spec().allow_whitespace_only_pieces(), num_threads());
      } else {
        for (size_t i = 0; i < sentences_.size(); ++i) {
          counts.Add(sentences_.text(i), sentences_.freq(i));
        }
      }
      training_log::Info(absl::StrCat("BPE: ", counts.size(), " distinct words"));
      words.reserve(counts.size());
      counts.ForEach([&](std::string_view w, int64_t freq) {
        words.push_back({w.data(), w.size(), freq});
      });
    }
    std::sort(words.begin(), words.end(),
              [](const WordRef& a, const WordRef& b) { return a.data < b.data; });
    std::string buffer = sentences_.ReleaseBuffer();
    size_t packed = 0;
    for (WordRef& w : words) {  // Distinct words never overlap.
      std::memmove(buffer.data() + packed, w.data, w.length);
      packed += w.length;
    }
    buffer.resize(packed);
    buffer.shrink_to_fit();  // Gives the dropped corpus back (and moves the text).
    merger.Reserve(words.size(), buffer.size());
    packed = 0;
    for (const WordRef& w : words) {
      merger.AddWord(std::string_view(buffer.data() + packed, w.length), w.freq);
      packed += w.length;
    }
  }

  const int merges_wanted = PieceBudget() - static_cast<int>(chars_.chars.size());
  if (merges_wanted < 0) {
    return absl::InvalidArgumentError("vocab_size is smaller than the meta pieces and characters.");
  }
  std::vector<std::string> merges;
  {
    training_log::Progress progress("BPE merges", merges_wanted);
    merges = merger.Run(merges_wanted, &progress);
  }
  if (static_cast<int>(merges.size()) < merges_wanted) {
    training_log::Warning(absl::StrCat("No valid symbol found after ", merges.size(), " merges"));
  }
  for (std::string& m : merges) {
    result_.pieces.emplace_back(std::move(m), -static_cast<float>(result_.pieces.size()));
  }
  for (const auto& [c, count] : chars_.chars) {
    std::string piece;
    utf8::Append(c, &piece);
    result_.pieces.emplace_back(std::move(piece), -static_cast<float>(result_.pieces.size()));
  }
  return absl::OkStatus();
}

}  // namespace sentencepiece
