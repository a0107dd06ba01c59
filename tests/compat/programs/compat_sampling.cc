// A program written against SentencePiece 0.1.97's sentencepiece_processor.h:
// n-best lists, sampling with a fixed seed, scored samples and entropy,
// through the vector and the immutable-result forms. It must compile
// unchanged against the reference's libsentencepiece-dev and against spm,
// and print the same.
//
//   compat_sampling MODEL TEXT_FILE [MAX_LINES]
//
// Scores and entropies are printed to 4 significant digits (they are sums
// of floats, which may differ in the last bits).

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "sentencepiece_processor.h"

namespace {

std::string Num(float f) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.4g", f);
  return buf;
}

std::string Join(const std::vector<int>& v) {
  std::string out;
  for (int id : v) out += std::to_string(id) + " ";
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += s + " ";
  return out;
}

void Print(const std::string& what, const sentencepiece::ImmutableSentencePieceText& r) {
  std::cout << what << " score=" << Num(r.score()) << ":";
  for (const auto& p : r.pieces()) {
    std::cout << " " << p.piece() << "/" << p.id() << "/" << p.begin() << "-" << p.end();
  }
  std::cout << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: compat_sampling MODEL TEXT_FILE [MAX_LINES]\n";
    return 2;
  }
  const size_t max_lines = argc > 3 ? std::stoul(argv[3]) : 40;
  sentencepiece::SetRandomGeneratorSeed(12345);
  sentencepiece::SentencePieceProcessor sp;
  const auto status = sp.Load(argv[1]);
  std::cout << "load: " << status.ToString() << "\n";
  if (!status.ok()) return 1;

  std::ifstream in(argv[2], std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line) && lines.size() < max_lines;) lines.push_back(line);

  for (const std::string& line : lines) {
    std::cout << "== [" << line << "]\n";
    // n-best (unigram only; an error, hence empty results, otherwise)
    std::vector<std::vector<std::string>> nbest_pieces;
    std::cout << "NBestEncode: " << sp.NBestEncode(line, 3, &nbest_pieces).ok() << "\n";
    for (const auto& p : nbest_pieces) std::cout << "  " << Join(p) << "\n";
    for (const auto& ids : sp.NBestEncodeAsIds(line, 3)) std::cout << "  " << Join(ids) << "\n";
    for (const auto& p : sp.NBestEncodeAsPieces(line, 2)) std::cout << "  " << Join(p) << "\n";
    const auto nbest = sp.NBestEncodeAsImmutableProto(line, 4);
    std::cout << "NBestEncodeAsImmutableProto: " << nbest.nbests_size() << "\n";
    for (const auto& r : nbest.nbests()) Print("  ", r);

    // sampling: unigram (lattice and n-best) or BPE-dropout
    std::vector<int> ids;
    std::cout << "SampleEncode: " << sp.SampleEncode(line, -1, 0.5, &ids).ok() << " " << Join(ids)
              << "\n";
    std::cout << "SampleEncodeAsIds(2): " << Join(sp.SampleEncodeAsIds(line, 2, 0.3)) << "\n";
    std::cout << "SampleEncodeAsPieces(-1): " << Join(sp.SampleEncodeAsPieces(line, -1, 0.1))
              << "\n";
    Print("SampleEncodeAsImmutableProto", sp.SampleEncodeAsImmutableProto(line, -1, 0.2));

    // scored samples and entropy (unigram only)
    std::vector<std::pair<std::vector<int>, float>> scored;
    std::cout << "SampleEncodeAndScore: "
              << sp.SampleEncodeAndScore(line, 3, 0.5, true, false, &scored).ok() << "\n";
    for (const auto& s : scored) std::cout << "  " << Num(s.second) << " " << Join(s.first) << "\n";
    for (const auto& s : sp.SampleEncodeAndScoreAsPieces(line, 2, 0.5, false, false)) {
      std::cout << "  " << Num(s.second) << " " << Join(s.first) << "\n";
    }
    // (Not wor with include_best: the reference crashes on short lines.)
    const auto samples = sp.SampleEncodeAndScoreAsImmutableProto(line, 3, 1.0, false, false);
    std::cout << "SampleEncodeAndScoreAsImmutableProto: " << samples.nbests_size() << "\n";
    for (size_t i = 0; i < samples.nbests_size(); ++i) {
      Print("  ", samples.nbests(static_cast<int>(i)));
    }
    float entropy = 0;
    const bool ok = sp.CalculateEntropy(line, 0.5, &entropy).ok();
    std::cout << "CalculateEntropy: " << ok << " " << (ok ? Num(entropy) : "-") << "\n";
  }
  return 0;
}
