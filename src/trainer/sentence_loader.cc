#include "trainer/sentence_loader.h"

#include <sys/stat.h>

#include <future>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/file_io.h"
#include "common/random.h"
#include "trainer/reservoir_sampler.h"
#include "trainer/training_log.h"

namespace sentencepiece {
namespace {

constexpr uint32_t kSentenceSamplerSeed = 12345678;  // The reference's.
constexpr std::string_view kUnknownMark = "\xE2\x96\x85";  // U+2585

class FileLineSource : public LineSource {
 public:
  explicit FileLineSource(std::vector<std::string> files) : files_(std::move(files)) {
    for (const std::string& f : files_) {
      struct stat st;
      if (stat(f.c_str(), &st) == 0) total_ += st.st_size;
    }
  }

  bool ReadLine(std::string* line) override {
    while (status_.ok()) {
      if (reader_ != nullptr && reader_->ReadLine(line)) {
        read_ += line->size() + 1;
        return true;
      }
      if (reader_ != nullptr && !reader_->status().ok()) {
        status_ = reader_->status();
        return false;
      }
      if (next_ == files_.size()) return false;
      training_log::Info(absl::StrCat("Loading corpus: ", files_[next_]));
      auto reader = LineReader::Open(files_[next_++]);
      if (!reader.ok()) {
        status_ = reader.status();
        return false;
      }
      reader_ = *std::move(reader);
    }
    return false;
  }
  absl::Status status() const override { return status_; }
  uint64_t bytes_read() const override { return read_; }
  uint64_t total_bytes() const override { return total_; }

 private:
  std::vector<std::string> files_;
  size_t next_ = 0;
  std::unique_ptr<LineReader> reader_;
  absl::Status status_;
  uint64_t read_ = 0;
  uint64_t total_ = 0;
};

// Splits a TSV line into the sentence and its frequency.
absl::Status ParseTsvLine(std::string* line, int64_t* freq) {
  const size_t tab = line->find('\t');
  if (tab == std::string::npos || line->find('\t', tab + 1) != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("Input format must be: word <tab> freq. ", *line));
  }
  if (!absl::SimpleAtoi(absl::string_view(*line).substr(tab + 1), freq)) {
    return absl::InvalidArgumentError(absl::StrCat("Could not parse the frequency: ", *line));
  }
  if (*freq < 1) {
    return absl::InvalidArgumentError(absl::StrCat("The frequency must be >= 1: ", *line));
  }
  line->resize(tab);
  return absl::OkStatus();
}

}  // namespace

std::unique_ptr<LineSource> NewFileLineSource(std::vector<std::string> files) {
  return std::make_unique<FileLineSource>(std::move(files));
}

absl::StatusOr<LoadedCorpus> LoadSentences(const TrainerSpec& spec, LineSource* source,
                                           const SentenceNormalizer* normalizer) {
  LoadedCorpus corpus;
  const bool is_tsv = spec.input_format() == "tsv";
  const uint64_t limit = spec.input_sentence_size();
  const bool sample = limit > 0 && spec.shuffle_input_sentence();
  ReservoirSampler self_test(spec.self_test_sample_size(), random::GetSeed());
  ReservoirSampler sentence_sampler(sample ? limit : 0, kSentenceSamplerSeed);
  if (limit > 0 && !sample) {
    training_log::Info(absl::StrCat("First ", limit,
                                    " sentences are selected. Remaining sentences are discarded."));
  }
  // Reserved address space costs nothing until written.
  if (!sample && source->total_bytes() > 0) {
    corpus.sentences.Reserve(0, source->total_bytes() + source->total_bytes() / 2);
  }
  const bool streaming = normalizer != nullptr && !sample;
  // Streaming: raw sentences are gathered in batches, and each full batch
  // is normalized (on the normalizer's threads) while the next is read,
  // unless only one thread is allowed. Batches are appended in order.
  SentenceStore batch;     // Being filled.
  SentenceStore in_work;   // Being normalized by `pending`.
  std::future<void> pending;  // Its destructor waits: no early return leaves it running.
  const bool overlap = streaming && normalizer->threads() > 1;
  auto flush = [&] {
    if (pending.valid()) pending.get();
    in_work.Clear();
    std::swap(batch, in_work);
    if (!overlap) {
      normalizer->Normalize(in_work, &corpus.sentences);
      return;
    }
    pending = std::async(std::launch::async,
                         [&] { normalizer->Normalize(in_work, &corpus.sentences); });
  };
  constexpr size_t kBatchBytes = 4 << 20;
  auto add = [&](std::string_view text, int64_t freq) {
    if (!streaming) {
      corpus.sentences.Add(text, freq);
      return;
    }
    batch.Add(text, freq);
    if (batch.buffer_bytes() >= kBatchBytes) flush();
  };

  training_log::Progress progress(
      normalizer != nullptr ? "Loading and normalizing sentences" : "Loading sentences",
      source->total_bytes());
  std::string line;
  uint64_t lines = 0;
  while (source->ReadLine(&line)) {
    if ((++lines & 0xFFFF) == 0) progress.Update(source->bytes_read());
    int64_t freq = 1;
    if (is_tsv) {
      if (absl::Status s = ParseTsvLine(&line, &freq); !s.ok()) return s;
    }
    if (line.empty()) continue;
    if (line.size() > static_cast<size_t>(spec.max_sentence_length())) {
      if (corpus.too_long++ == 0) {
        training_log::Warning(absl::StrCat(
            "Found too long line (", line.size(), " > ", spec.max_sentence_length(),
            "). Too long lines are skipped in the training. The maximum length can be changed "
            "with --max_sentence_length=<size> flag."));
      }
      continue;
    }
    if (line.find(kUnknownMark) != std::string::npos) {
      training_log::Info(absl::StrCat("Reserved chars are found. Skipped: ", line));
      continue;
    }
    if (const int64_t slot = self_test.Add(); slot >= 0) {
      if (static_cast<size_t>(slot) == corpus.self_test_samples.size()) {
        corpus.self_test_samples.push_back(line);
      } else {
        corpus.self_test_samples[slot] = line;
      }
    }
    ++corpus.accepted;
    if (sample) {
      const int64_t slot = sentence_sampler.Add();
      if (slot < 0) continue;
      if (static_cast<size_t>(slot) == corpus.sentences.size()) {
        corpus.sentences.Add(line, freq);
      } else {
        corpus.sentences.Replace(slot, line, freq);
      }
    } else {
      add(line, freq);
      if (limit > 0 && corpus.accepted >= limit) break;
    }
  }
  if (!source->status().ok()) return source->status();
  if (streaming) {
    flush();
    if (pending.valid()) pending.get();
  } else if (normalizer != nullptr) {
    SentenceStore normalized;
    normalizer->Normalize(corpus.sentences, &normalized);
    corpus.sentences = std::move(normalized);
  }
  progress.Done();

  if (corpus.sentences.size() == corpus.accepted) {
    training_log::Info(absl::StrCat("Loaded all ", corpus.sentences.size(), " sentences"));
  } else {
    training_log::Info(absl::StrCat("Sampled ", corpus.sentences.size(), " sentences from ",
                                    corpus.accepted, " sentences."));
  }
  if (corpus.too_long > 0) {
    training_log::Info(absl::StrCat("Skipped ", corpus.too_long, " too long sentences."));
  }
  return corpus;
}

}  // namespace sentencepiece
