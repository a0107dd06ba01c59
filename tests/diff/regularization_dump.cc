// Prints n-best lists, scored samples and entropies for every line of stdin,
// through our library, in the form regularization_test.py compares with the
// reference's Python module:
//   N <TAB> score <TAB> ids      n-best hypotheses (NBestEncode)
//   S <TAB> score <TAB> ids      SampleEncodeAndScore
//   E <TAB> entropy              CalculateEntropy
//
//   regularization_dump MODEL SEED NBEST NUM_SAMPLES ALPHA WOR INCLUDE_BEST < lines

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "sentencepiece_processor.h"

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(stderr, "usage: %s MODEL SEED NBEST NUM_SAMPLES ALPHA WOR INCLUDE_BEST\n", argv[0]);
    return 2;
  }
  sentencepiece::SetRandomGeneratorSeed(static_cast<unsigned int>(std::atoll(argv[2])));
  sentencepiece::SentencePieceProcessor sp;
  const auto status = sp.Load(argv[1]);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  const int nbest = std::atoi(argv[3]);
  const int num_samples = std::atoi(argv[4]);
  const float alpha = std::strtof(argv[5], nullptr);
  const bool wor = std::atoi(argv[6]) != 0;
  const bool include_best = std::atoi(argv[7]) != 0;
  auto join = [](const std::vector<int>& ids) {
    std::string s;
    for (size_t i = 0; i < ids.size(); ++i) s += (i ? " " : "") + std::to_string(ids[i]);
    return s;
  };
  std::string line;
  while (std::getline(std::cin, line)) {
    sentencepiece::NBestSentencePieceText nbest_spt;
    if (sp.NBestEncode(line, nbest, &nbest_spt).ok()) {
      for (const auto& t : nbest_spt.nbests()) {
        std::vector<int> ids;
        for (const auto& p : t.pieces()) ids.push_back(static_cast<int>(p.id()));
        std::printf("N\t%.9g\t%s\n", t.score(), join(ids).c_str());
      }
    }
    std::vector<std::pair<std::vector<int>, float>> samples;
    if (sp.SampleEncodeAndScore(line, num_samples, alpha, wor, include_best, &samples).ok()) {
      for (const auto& [ids, score] : samples) {
        std::printf("S\t%.9g\t%s\n", score, join(ids).c_str());
      }
    }
    float entropy = 0;
    if (sp.CalculateEntropy(line, alpha, &entropy).ok()) std::printf("E\t%.9g\n", entropy);
    std::printf("-\n");
  }
  return 0;
}
