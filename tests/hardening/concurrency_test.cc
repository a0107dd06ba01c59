// One loaded processor shared by many threads, as a server uses it: 8
// threads encode (pieces, ids, the fast id path, SentencePieceText), n-best
// and decode every line, and compare with results computed on one thread
// beforehand; 4 more threads sample at the same time (unigram sampling,
// n-best sampling, scored samples, BPE-dropout) and check that every sample
// is a segmentation of its line's normalized text. Built with TSan by
// scripts/sanitize.sh (the word caches, the random generators and the
// lazily built tables are per thread or immutable; TSan checks that).
//
// SPM_CONCURRENCY_ROUNDS (environment) sets how many times each thread goes
// through the lines (default 2).

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "encoder/processor.h"
#include "encoder/vocabulary.h"
#include "gtest/gtest.h"
#include "sentencepiece_processor.h"

namespace sentencepiece {
namespace {

constexpr int kWorkers = 8;
constexpr int kSamplers = 4;

std::string Testdata(const std::string& rel) { return std::string(SPM_TESTDATA_DIR) + "/" + rel; }

int Rounds() {
  const char* env = std::getenv("SPM_CONCURRENCY_ROUNDS");
  return env != nullptr && std::atoi(env) > 0 ? std::atoi(env) : 2;
}

std::vector<std::string> Lines() {
  std::vector<std::string> lines;
  for (const char* file : {"text/golden_mix.txt", "text/edge_short.txt"}) {
    std::ifstream in(Testdata(file), std::ios::binary);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  if (lines.empty()) {  // testdata/text missing: still something to do.
    lines = {"Hello world.", "  spaces  ", "\xE6\x97\xA5\xE6\x9C\xAC", "bad \xFF bytes", ""};
  }
  return lines;
}

// What one thread computes for a line.
struct Result {
  std::vector<int> ids;
  std::vector<int> fast_ids;
  std::vector<std::string> pieces;
  std::string spt;  // Serialized SentencePieceText.
  std::vector<std::vector<int>> nbest;
  std::string decoded;

  bool operator==(const Result& o) const {
    return ids == o.ids && fast_ids == o.fast_ids && pieces == o.pieces && spt == o.spt &&
           nbest == o.nbest && decoded == o.decoded;
  }
};

Result Compute(const SentencePieceProcessor& sp, const std::string& line, bool nbest) {
  Result r;
  r.ids = sp.EncodeAsIds(line);
  sp.processor()->EncodeIds(line, &r.fast_ids).IgnoreError();
  r.pieces = sp.EncodeAsPieces(line);
  r.spt = sp.EncodeAsSerializedProto(line);
  if (nbest) r.nbest = sp.NBestEncodeAsIds(line, 4);
  r.decoded = sp.DecodeIds(r.ids);
  return r;
}

// True if `tokens` concatenate to `normalized` (byte pieces as their byte).
bool IsSegmentation(const Processor& p, const std::string& normalized,
                    const std::vector<Token>& tokens) {
  std::string joined;
  for (const Token& t : tokens) {
    if (p.vocab().IsByte(t.id)) {
      joined.push_back(static_cast<char>(PieceToByte(t.piece)));
    } else if (!p.vocab().IsControl(t.id)) {
      joined.append(t.piece.data(), t.piece.size());
    }
  }
  return joined == normalized;
}

class ConcurrencyTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ConcurrencyTest, SharedProcessor) {
  const std::string path = Testdata(std::string("models/") + GetParam() + ".model");
  if (!std::ifstream(path).good()) GTEST_SKIP() << path << " is missing";
  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(path).ok());
  const Processor& p = *sp.processor();
  const bool unigram = sp.model_proto().trainer_spec().model_type() == TrainerSpec::UNIGRAM;
  const std::vector<std::string> lines = Lines();

  std::vector<Result> expected;
  std::vector<std::string> normalized;
  for (const std::string& line : lines) {
    expected.push_back(Compute(sp, line, unigram));
    normalized.push_back(p.normalizer().Normalize(line));
  }

  std::atomic<int> mismatches{0}, bad_samples{0}, samples{0};
  std::mutex mu;
  std::string first_problem;
  auto report = [&](const std::string& what) {
    std::lock_guard<std::mutex> lock(mu);
    if (first_problem.empty()) first_problem = what;
  };
  const int rounds = Rounds();
  std::vector<std::thread> threads;
  for (int t = 0; t < kWorkers; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < rounds; ++r) {
        for (size_t k = 0; k < lines.size(); ++k) {
          const size_t i = (k + t * lines.size() / kWorkers) % lines.size();
          if (!(Compute(sp, lines[i], unigram) == expected[i])) {
            ++mismatches;
            report("worker " + std::to_string(t) + ": line " + std::to_string(i));
          }
        }
      }
    });
  }
  for (int t = 0; t < kSamplers; ++t) {
    threads.emplace_back([&, t] {
      EncodeOutput out;
      NBestOutput scored;
      for (int r = 0; r < rounds; ++r) {
        for (size_t k = 0; k < lines.size(); ++k) {
          const size_t i = (k * 7 + t) % lines.size();
          auto check = [&](const std::vector<Token>& tokens, const std::string& norm,
                           const char* kind) {
            ++samples;
            if (norm != normalized[i] || !IsSegmentation(p, norm, tokens)) {
              ++bad_samples;
              report(std::string(kind) + ": line " + std::to_string(i));
            }
          };
          if (unigram) {
            const int nbest = t % 2 ? -1 : 8;
            if (p.SampleEncode(lines[i], nbest, 0.5f, &out).ok()) {
              check(out.tokens, out.normalized, "SampleEncode");
            }
            if (p.SampleEncodeAndScore(lines[i], 3, 0.5f, t % 2, false, &scored).ok()) {
              for (const auto& tokens : scored.results) {
                check(tokens, scored.normalized, "SampleEncodeAndScore");
              }
            }
          } else if (p.SampleEncode(lines[i], -1, 0.1f, &out).ok()) {
            check(out.tokens, out.normalized, "BPE-dropout");
          }
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0) << first_problem;
  EXPECT_EQ(bad_samples.load(), 0) << first_problem;
  EXPECT_GT(samples.load(), 0);
  // Nothing was disturbed.
  for (size_t i = 0; i < lines.size(); ++i) {
    ASSERT_TRUE(Compute(sp, lines[i], unigram) == expected[i]) << "line " << i;
  }
}

// Threads that start on a freshly loaded processor all at once: what a
// model builds on first need (BPE's tables and filters, unigram's trie, the
// word caches) is built while others encode, some of them still without it.
TEST_P(ConcurrencyTest, FreshProcessor) {
  const std::string path = Testdata(std::string("models/") + GetParam() + ".model");
  if (!std::ifstream(path).good()) GTEST_SKIP() << path << " is missing";
  SentencePieceProcessor reference;
  ASSERT_TRUE(reference.Load(path).ok());
  const std::vector<std::string> lines = Lines();
  std::vector<std::vector<int>> expected;
  for (const std::string& line : lines) expected.push_back(reference.EncodeAsIds(line));

  SentencePieceProcessor sp;
  ASSERT_TRUE(sp.Load(path).ok());
  std::atomic<int> ready{0}, mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kWorkers; ++t) {
    threads.emplace_back([&, t] {
      ++ready;
      while (ready.load() < kWorkers) {
      }
      for (size_t k = 0; k < lines.size(); ++k) {
        const size_t i = (k + t) % lines.size();  // Each starts elsewhere.
        if (sp.EncodeAsIds(lines[i]) != expected[i]) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(Models, ConcurrencyTest,
                         ::testing::Values("spm_test_model", "llama2", "unigram_uds",
                                           "bpe_bytefb"));

}  // namespace
}  // namespace sentencepiece
