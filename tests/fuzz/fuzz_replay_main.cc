// A main() for the fuzz targets when libFuzzer is not available (gcc
// builds): replays seed corpora, and optionally deterministic mutations of
// them, through LLVMFuzzerTestOneInput. ctest runs it on
// testdata/fuzz/<target>/, so every build checks the seeds, and the
// sanitizer build (scripts/sanitize.sh) checks them under ASan and UBSan.
//
//   <target>_replay [--mutations=N] [--seed=S] [--max_len=B] PATH...
//
// PATH is a file or a directory (read recursively, in name order). With
// --mutations, each file is also run N times with random edits (bit flips,
// byte and range insertions, deletions, truncation, splices with another
// file), reproducibly for a given --seed. A failing input is written to
// ./replay-failure-<target>-<n> before it runs, so a crash leaves it behind.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void Collect(const fs::path& path, std::vector<fs::path>* files) {
  if (fs::is_directory(path)) {
    std::vector<fs::path> entries;
    for (const auto& e : fs::recursive_directory_iterator(path)) {
      if (e.is_regular_file()) entries.push_back(e.path());
    }
    std::sort(entries.begin(), entries.end());
    files->insert(files->end(), entries.begin(), entries.end());
  } else if (fs::is_regular_file(path)) {
    files->push_back(path);
  } else {
    std::fprintf(stderr, "replay: no such file or directory: %s\n", path.c_str());
    std::exit(2);
  }
}

std::string Mutate(std::string s, const std::string& other, std::mt19937* rng, size_t max_len) {
  auto pick = [rng](size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(*rng);
  };
  const int edits = 1 + static_cast<int>(pick(4));
  for (int e = 0; e < edits; ++e) {
    switch (pick(7)) {
      case 0:  // Flip a bit.
        if (!s.empty()) s[pick(s.size())] ^= static_cast<char>(1 << pick(8));
        break;
      case 1:  // Set a byte to an interesting value.
        if (!s.empty()) {
          static const char kBytes[] = {0,      1,      ' ',    '\n',   '\t',   0x7F,   '\x80',
                                        '\xC3', '\xE2', '\xF0', '\xFF', '\xEF', '\xBF', '\xBD'};
          s[pick(s.size())] = kBytes[pick(sizeof(kBytes))];
        }
        break;
      case 2:  // Insert random bytes.
        s.insert(pick(s.size() + 1), std::string(1 + pick(8), static_cast<char>(pick(256))));
        break;
      case 3:  // Delete a range.
        if (!s.empty()) {
          const size_t at = pick(s.size());
          s.erase(at, 1 + pick(std::min<size_t>(16, s.size() - at)));
        }
        break;
      case 4:  // Truncate.
        s.resize(pick(s.size() + 1));
        break;
      case 5:  // Duplicate a range.
        if (!s.empty()) {
          const size_t at = pick(s.size());
          const std::string range = s.substr(at, 1 + pick(32));
          s.insert(pick(s.size() + 1), range);
        }
        break;
      case 6:  // Splice in part of another input.
        if (!other.empty()) {
          const size_t at = pick(other.size());
          s.insert(pick(s.size() + 1), other.substr(at, 1 + pick(64)));
        }
        break;
    }
  }
  if (s.size() > max_len) s.resize(max_len);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  const std::string target = fs::path(argv[0]).filename().string();
  long mutations = 0;
  unsigned seed = 1;
  size_t max_len = 1 << 20;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (std::strncmp(a, "--mutations=", 12) == 0) {
      mutations = std::strtol(a + 12, nullptr, 10);
    } else if (std::strncmp(a, "--seed=", 7) == 0) {
      seed = static_cast<unsigned>(std::strtoul(a + 7, nullptr, 10));
    } else if (std::strncmp(a, "--max_len=", 10) == 0) {
      max_len = std::strtoul(a + 10, nullptr, 10);
    } else {
      Collect(a, &files);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: %s [--mutations=N] [--seed=S] [--max_len=B] PATH...\n", argv[0]);
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  std::mt19937 rng(seed);
  const std::string failure_file = "replay-failure-" + target;
  long runs = 0;
  std::string previous;
  for (size_t f = 0; f < files.size(); ++f) {
    const std::string data = ReadAll(files[f]);
    auto run = [&](const std::string& input) {
      // Kept on disk only while it runs: a crash leaves it behind.
      std::ofstream(failure_file, std::ios::binary) << input;
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
      ++runs;
    };
    run(data.size() > max_len ? data.substr(0, max_len) : data);
    for (long m = 0; m < mutations; ++m) run(Mutate(data, previous, &rng, max_len));
    previous = data;
  }
  std::remove(failure_file.c_str());
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s: %ld inputs (%zu files, %ld mutations each) in %.1f s, no failure\n",
              target.c_str(), runs, files.size(), mutations, secs);
  return 0;
}
