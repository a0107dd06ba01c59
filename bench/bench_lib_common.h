// The library benchmarks, shared by bench_lib_ours.cc (our library) and
// bench_lib_ref.cc (the reference libsentencepiece). Both include this file
// and differ only in which "sentencepiece_processor.h" their include path
// finds, so the two binaries run the same benchmarks, with the same names,
// on the same inputs. They are separate executables because the two
// libraries define the same symbols.
//
// Environment:
//   SPM_BENCH_MODELS     "name=path,..." (default: llama2 and albert_spiece
//                        from testdata/models, relative to the working dir)
//   SPM_BENCH_TEXTS      "name=path,..." text files, one input per line
//                        (bench/bench_lib.sh writes 20 MB slices of the
//                        corpus: en, zh, ja, mix)
//   SPM_BENCH_CHECKSUMS  file to append "benchmark_name checksum" lines to:
//                        a hash of every id/piece/decoded text produced, so
//                        the script can check both libraries agree.
//
// Benchmarks (bytes_per_second counts input text bytes):
//   Load/<model>                 model file to the first encode done
//   EncodeAsIds/<model>/<text>   every line of the text, one call per line,
//                                by a processor loaded for the iteration
//                                (load not timed): our word caches start
//                                empty, as in one pass over a corpus
//   EncodeAsPieces/<model>/<text>
//   EncodeAsIdsWarm/<model>/<text>  the same by one processor that has
//   EncodeAsPiecesWarm/<model>/<text>  encoded the text once before (a
//                                long-running service: most words known)
//   DecodeIds/<model>/<text>     the ids of every line back to text
// (Before session twenty-six one processor served every iteration, so
// Google Benchmark's repeated iterations found their words cached and the
// cold and warm cases were mixed in one figure.)

#ifndef SPM_BENCH_BENCH_LIB_COMMON_H_
#define SPM_BENCH_BENCH_LIB_COMMON_H_

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "sentencepiece_processor.h"

namespace spm_bench {

using NamedPaths = std::vector<std::pair<std::string, std::string>>;

inline NamedPaths ParseNamedPaths(const char* env, const char* fallback) {
  const char* v = std::getenv(env);
  std::string s = v != nullptr && *v != '\0' ? v : fallback;
  NamedPaths out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos) continue;
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return out;
}

inline std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(1);
  }
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// A cheap running hash (FNV-style, 8 bytes per step) of everything a
// benchmark produced; cheap enough to leave inside the timed loop.
struct Checksum {
  static constexpr uint64_t kPrime = 1099511628211ull;
  uint64_t h = 1469598103934665603ull;
  void Add(const void* data, size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      h = (h ^ w) * kPrime;
    }
    uint64_t w = n;
    for (; i < n; ++i) w = (w << 8) | p[i];
    h = (h ^ w) * kPrime;
  }
  void Add(const std::string& s) { Add(s.data(), s.size()); }
  void Add(int v) { h = (h ^ static_cast<uint32_t>(v)) * kPrime; }
};

inline void Record(const std::string& name, const Checksum& c) {
  const char* path = std::getenv("SPM_BENCH_CHECKSUMS");
  if (path == nullptr || *path == '\0') return;
  if (FILE* f = std::fopen(path, "a")) {
    std::fprintf(f, "%s %016llx\n", name.c_str(), static_cast<unsigned long long>(c.h));
    std::fclose(f);
  }
}

inline void LoadOrExit(sentencepiece::SentencePieceProcessor* sp, const std::string& path) {
  const auto status = sp->Load(path);
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), status.ToString().c_str());
    std::exit(1);
  }
}

struct Text {
  std::vector<std::string> lines;
  int64_t bytes = 0;
};

inline void RegisterAll() {
  const NamedPaths models = ParseNamedPaths(
      "SPM_BENCH_MODELS",
      "llama2=testdata/models/llama2.model,albert_spiece=testdata/models/albert_spiece.model");
  const NamedPaths text_paths = ParseNamedPaths("SPM_BENCH_TEXTS", "");
  // Texts and processors live for the whole run.
  auto* texts = new std::vector<std::pair<std::string, Text>>();
  for (const auto& [name, path] : text_paths) {
    Text t;
    t.lines = ReadLines(path);
    for (const auto& l : t.lines) t.bytes += static_cast<int64_t>(l.size()) + 1;
    texts->emplace_back(name, std::move(t));
  }
  for (const auto& [model_name, model_path] : models) {
    const std::string path = model_path;
    const std::string first_line =
        texts->empty() || texts->front().second.lines.empty() ? "Hello world."
                                                              : texts->front().second.lines[0];
    benchmark::RegisterBenchmark(("Load/" + model_name).c_str(),
                                 [path, first_line](benchmark::State& state) {
                                   Checksum c;
                                   for (auto _ : state) {
                                     auto sp = std::make_unique<sentencepiece::SentencePieceProcessor>();
                                     LoadOrExit(sp.get(), path);
                                     const std::vector<int> ids = sp->EncodeAsIds(first_line);
                                     benchmark::DoNotOptimize(ids.data());
                                     state.PauseTiming();
                                     for (int id : ids) c.Add(id);
                                     sp.reset();
                                     state.ResumeTiming();
                                   }
                                 })
        ->Unit(benchmark::kMillisecond);

    auto* sp = new sentencepiece::SentencePieceProcessor();
    LoadOrExit(sp, path);
    for (const auto& entry : *texts) {
      const Text* text = &entry.second;
      const std::string suffix = model_name + "/" + entry.first;
      // Every line of the text through `encode` (one of the two below).
      auto encode_ids = [text](sentencepiece::SentencePieceProcessor* p, Checksum* c) {
        std::vector<int> ids;
        for (const auto& line : text->lines) {
          p->Encode(line, &ids);
          for (int id : ids) c->Add(id);
        }
      };
      auto encode_pieces = [text](sentencepiece::SentencePieceProcessor* p, Checksum* c) {
        std::vector<std::string> pieces;
        for (const auto& line : text->lines) {
          p->Encode(line, &pieces);
          for (const auto& piece : pieces) c->Add(piece);
        }
      };
      // Cold: a processor of its own for each iteration, its load not timed.
      auto cold = [path, text, suffix](const std::string& name, auto encode) {
        benchmark::RegisterBenchmark((name + "/" + suffix).c_str(),
                                     [path, text, suffix, name, encode](benchmark::State& state) {
                                       Checksum c;
                                       for (auto _ : state) {
                                         state.PauseTiming();
                                         auto fresh =
                                             std::make_unique<sentencepiece::SentencePieceProcessor>();
                                         LoadOrExit(fresh.get(), path);
                                         c = Checksum();
                                         state.ResumeTiming();
                                         encode(fresh.get(), &c);
                                         state.PauseTiming();
                                         fresh.reset();
                                         state.ResumeTiming();
                                       }
                                       state.SetBytesProcessed(state.iterations() * text->bytes);
                                       Record(name + "/" + suffix, c);
                                     })
            ->Unit(benchmark::kMillisecond);
      };
      // Warm: the shared processor, after one untimed pass over the text.
      auto warm = [sp, text, suffix](const std::string& name, auto encode) {
        benchmark::RegisterBenchmark((name + "/" + suffix).c_str(),
                                     [sp, text, suffix, name, encode](benchmark::State& state) {
                                       Checksum c;
                                       encode(sp, &c);
                                       for (auto _ : state) {
                                         c = Checksum();
                                         encode(sp, &c);
                                       }
                                       state.SetBytesProcessed(state.iterations() * text->bytes);
                                       Record(name + "/" + suffix, c);
                                     })
            ->Unit(benchmark::kMillisecond);
      };
      cold("EncodeAsIds", encode_ids);
      cold("EncodeAsPieces", encode_pieces);
      warm("EncodeAsIdsWarm", encode_ids);
      warm("EncodeAsPiecesWarm", encode_pieces);
      benchmark::RegisterBenchmark(("DecodeIds/" + suffix).c_str(),
                                   [sp, text, suffix](benchmark::State& state) {
                                     std::vector<std::vector<int>> all;
                                     all.reserve(text->lines.size());
                                     for (const auto& line : text->lines) {
                                       all.push_back(sp->EncodeAsIds(line));
                                     }
                                     Checksum c;
                                     for (auto _ : state) {
                                       c = Checksum();
                                       std::string out;
                                       for (const auto& ids : all) {
                                         sp->Decode(ids, &out);
                                         c.Add(out);
                                       }
                                     }
                                     state.SetBytesProcessed(state.iterations() * text->bytes);
                                     Record("DecodeIds/" + suffix, c);
                                   })
          ->Unit(benchmark::kMillisecond);
    }
  }
}

}  // namespace spm_bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  spm_bench::RegisterAll();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

#endif  // SPM_BENCH_BENCH_LIB_COMMON_H_
