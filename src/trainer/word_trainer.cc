#include "trainer/word_trainer.h"

#include <cmath>

#include "common/status_macros.h"
#include "trainer/word_counter.h"

namespace sentencepiece {

absl::Status WordTrainer::Learn() {
  RETURN_IF_ERROR(LoadCorpus());
  const WordCounts counts = CountWords(sentences_, /*treat_whitespace_as_suffix=*/false,
                                       /*allow_whitespace_only_pieces=*/false, num_threads());
  const int budget = PieceBudget();
  if (budget < 0) {
    return absl::InvalidArgumentError("vocab_size is smaller than the number of meta pieces.");
  }
  uint64_t sum = 0;
  counts.ForEach([&sum](std::string_view, int64_t count) { sum += count; });
  const float logsum = std::log(static_cast<float>(sum));
  constexpr std::string_view kUnknownMark = "\xE2\x96\x85";
  for (const auto& [word, count] : SortByFrequency(counts)) {
    if (word.find(kUnknownMark) != std::string_view::npos) continue;
    if (!spec().use_all_vocab() && result_.pieces.size() == static_cast<size_t>(budget)) break;
    result_.pieces.emplace_back(std::string(word), std::log(static_cast<float>(count)) - logsum);
  }
  if (spec().use_all_vocab()) {
    result_.trainer_spec.set_vocab_size(
        static_cast<int>(result_.pieces.size() + result_.meta_pieces.size()));
  }
  return absl::OkStatus();
}

}  // namespace sentencepiece
