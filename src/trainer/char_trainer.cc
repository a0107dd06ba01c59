#include "trainer/char_trainer.h"

#include <cmath>

#include "common/status_macros.h"
#include "common/utf8.h"

namespace sentencepiece {

absl::Status CharTrainer::Learn() {
  RETURN_IF_ERROR(LoadCorpus());
  const int budget = PieceBudget();
  if (budget < 0) {
    return absl::InvalidArgumentError("vocab_size is smaller than the number of meta pieces.");
  }
  uint64_t sum = 0;
  for (const auto& [c, count] : chars_.chars) sum += count;
  const float logsum = std::log(static_cast<float>(sum));
  for (const auto& [c, count] : chars_.chars) {
    if (!spec().use_all_vocab() && result_.pieces.size() == static_cast<size_t>(budget)) break;
    std::string piece;
    utf8::Append(c, &piece);
    result_.pieces.emplace_back(std::move(piece), std::log(static_cast<float>(count)) - logsum);
  }
  if (spec().use_all_vocab()) {
    result_.trainer_spec.set_vocab_size(
        static_cast<int>(result_.pieces.size() + result_.meta_pieces.size()));
  }
  return absl::OkStatus();
}

}  // namespace sentencepiece
