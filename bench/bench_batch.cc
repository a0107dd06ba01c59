// Batch encoding speed: SentencePieceProcessor::EncodeAsIdsBatch and
// EncodeBatch (ids into reused vectors; pieces, zero-copy) on 1 and 2
// threads, and whether the
// results are identical (to each other and to EncodeAsIds line by line).
// Not a test; built and run by bench/bench_batch.sh.
//
//   bench_batch --model=M --corpora=DIR [--lines=100000] [--min_bytes=20000000]
//               [--reps=5] [--threads=1,2]
//
// Input: every line of every file in DIR, shuffled with a fixed seed and
// joined (with spaces) into lines of at least min_bytes/lines bytes, until
// there are `lines` lines (the source lines are reused, reshuffled, as
// needed).
//
// Measures, per configuration, the median over `reps` runs (the
// configurations alternate, so load changes hit them alike) of:
//   wall       elapsed time;
//   cpu        CPU time of the whole process (all threads);
//   max_thread the largest CPU time of one thread (from /proc/self/task).
// On a machine shared with other work, wall time depends on what else
// runs; CPU times do not (much). So for T threads the report gives, beside
// the wall-clock speedup, two load-independent estimates:
//   cpu speedup       = cpu(1) / (cpu(T) / T): the speedup if the T threads
//                       each had a core; less than T only through the extra
//                       work that parallel encoding costs (cold per-thread
//                       caches, the pool, memory bandwidth);
//   critical path     = cpu(1) / max_thread(T).
// x_pair is x_cpu computed for each pair of back-to-back runs (1 thread,
// then T threads, which see about the same load), then the median.

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "sentencepiece_processor.h"

namespace {

struct Flags {
  std::string model;
  std::string corpora;
  size_t lines = 100000;
  size_t min_bytes = 20000000;
  int reps = 5;
  std::vector<int> threads = {1, 2};
};

bool ParseFlags(int argc, char** argv, Flags* f) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    if (arg.compare(0, 2, "--") != 0 || eq == std::string::npos) return false;
    const std::string name = arg.substr(2, eq - 2), value = arg.substr(eq + 1);
    if (name == "model") {
      f->model = value;
    } else if (name == "corpora") {
      f->corpora = value;
    } else if (name == "lines") {
      f->lines = std::stoul(value);
    } else if (name == "min_bytes") {
      f->min_bytes = std::stoul(value);
    } else if (name == "reps") {
      f->reps = std::stoi(value);
    } else if (name == "threads") {
      f->threads.clear();
      std::stringstream ss(value);
      for (std::string t; std::getline(ss, t, ',');) f->threads.push_back(std::stoi(t));
    } else {
      return false;
    }
  }
  return !f->model.empty() && !f->corpora.empty() && f->lines > 0;
}

std::vector<std::string> ReadCorpora(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (const dirent* e = readdir(d)) {
      if (e->d_name[0] != '.') names.push_back(dir + "/" + e->d_name);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  std::vector<std::string> lines;
  for (const std::string& name : names) {
    std::ifstream in(name, std::ios::binary);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) lines.push_back(line);
    }
  }
  return lines;
}

std::vector<std::string> MakeInput(const std::vector<std::string>& source, const Flags& f) {
  const size_t target = (f.min_bytes + f.lines - 1) / f.lines;
  std::vector<size_t> order(source.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937 rng(20240501);
  std::shuffle(order.begin(), order.end(), rng);
  size_t next = 0;
  std::vector<std::string> out;
  out.reserve(f.lines);
  while (out.size() < f.lines) {
    std::string line;
    while (line.size() < target) {
      if (next == order.size()) {
        std::shuffle(order.begin(), order.end(), rng);
        next = 0;
      }
      if (!line.empty()) line += ' ';
      line += source[order[next++]];
    }
    out.push_back(std::move(line));
  }
  return out;
}

double Seconds(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

// CPU seconds of each thread of this process, by thread id.
std::map<long, double> ThreadCpu() {
  std::map<long, double> out;
  static const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  DIR* d = opendir("/proc/self/task");
  if (d == nullptr) return out;
  while (const dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream in(std::string("/proc/self/task/") + e->d_name + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t paren = stat.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream fields(stat.substr(paren + 2));
    std::string field;
    double utime = 0, stime = 0;
    // Fields after the command: state(3) ... utime(14) stime(15).
    for (int i = 3; i <= 15 && fields >> field; ++i) {
      if (i == 14) utime = std::stod(field);
      if (i == 15) stime = std::stod(field);
    }
    out[std::atol(e->d_name)] = (utime + stime) / tick;
  }
  closedir(d);
  return out;
}

struct Sample {
  double wall = 0, cpu = 0, max_thread = 0;
};

template <typename Fn>
Sample Measure(Fn fn) {
  const std::map<long, double> before = ThreadCpu();
  const double c0 = Seconds(CLOCK_PROCESS_CPUTIME_ID);
  const double w0 = Seconds(CLOCK_MONOTONIC);
  fn();
  Sample s;
  s.wall = Seconds(CLOCK_MONOTONIC) - w0;
  s.cpu = Seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
  for (const auto& [tid, cpu] : ThreadCpu()) {
    auto it = before.find(tid);
    s.max_thread = std::max(s.max_thread, cpu - (it == before.end() ? 0.0 : it->second));
  }
  return s;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

double LoadAverage() {
  double load[1] = {0};
  return getloadavg(load, 1) == 1 ? load[0] : -1;
}

}  // namespace

int main(int argc, char** argv) {
  Flags f;
  if (!ParseFlags(argc, argv, &f)) {
    std::fprintf(stderr,
                 "usage: bench_batch --model=M --corpora=DIR [--lines=N] [--min_bytes=N] "
                 "[--reps=N] [--threads=1,2]\n");
    return 2;
  }
  sentencepiece::SentencePieceProcessor sp;
  if (const auto s = sp.Load(f.model); !s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  const std::vector<std::string> source = ReadCorpora(f.corpora);
  if (source.empty()) {
    std::fprintf(stderr, "no lines in %s\n", f.corpora.c_str());
    return 1;
  }
  const std::vector<std::string> lines = MakeInput(source, f);
  const std::vector<std::string_view> in(lines.begin(), lines.end());
  size_t bytes = 0;
  for (const std::string& l : lines) bytes += l.size();
  std::printf("model %s\ninput %zu lines, %.1f MB (from %zu corpus lines)\n", f.model.c_str(),
              lines.size(), bytes / 1e6, source.size());
  std::printf("load average at start %.2f\n", LoadAverage());

  // Correctness: every thread count gives EncodeAsIds line by line.
  std::vector<std::vector<int>> want(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) want[i] = sp.EncodeAsIds(lines[i]);
  bool identical = true;
  for (int t : f.threads) {
    identical &= sp.EncodeAsIdsBatch(in, t) == want;
    sentencepiece::EncodedBatch batch;
    identical &= sp.EncodeBatch(in, t, &batch).ok();
    for (size_t i = 0; i < lines.size() && identical; ++i) {
      identical &= batch.ids(i).ToVector() == want[i];
    }
  }
  std::printf("results identical for threads");
  for (int t : f.threads) std::printf(" %d", t);
  std::printf(" and line by line: %s\n", identical ? "yes" : "NO");

  // ids:        EncodeAsIdsBatch, a new result each time (and freed);
  // ids_reuse:  EncodeBatch into the same vectors each time (a service loop);
  // pieces:     EncodeBatch into the same EncodedBatch each time.
  struct Config {
    std::string api;
    int threads;
    std::vector<double> wall, cpu, max_thread;
  };
  std::vector<Config> configs;
  for (const char* api : {"ids", "ids_reuse", "pieces"}) {
    for (int t : f.threads) configs.push_back({api, t, {}, {}, {}});
  }
  sentencepiece::EncodedBatch batch;
  std::vector<std::vector<int>> reused;
  auto run = [&](const Config& c) {
    if (c.api == "ids") {
      const auto ids = sp.EncodeAsIdsBatch(in, c.threads);
      if (ids.size() != lines.size()) std::abort();
    } else if (c.api == "ids_reuse") {
      if (!sp.EncodeBatch(in, c.threads, &reused).ok()) std::abort();
    } else {
      if (!sp.EncodeBatch(in, c.threads, &batch).ok()) std::abort();
    }
  };
  for (Config& c : configs) run(c);  // Warm-up: every thread's word cache.
  rusage r0;
  getrusage(RUSAGE_SELF, &r0);
  for (int rep = 0; rep < f.reps; ++rep) {
    for (Config& c : configs) {
      const Sample s = Measure([&] { run(c); });
      c.wall.push_back(s.wall);
      c.cpu.push_back(s.cpu);
      c.max_thread.push_back(s.max_thread);
    }
  }
  rusage r1;
  getrusage(RUSAGE_SELF, &r1);
  std::printf("load average at end %.2f; involuntary context switches during timing: %ld\n",
              LoadAverage(), r1.ru_nivcsw - r0.ru_nivcsw);

  std::printf("\n%-9s %7s %8s %8s %10s %8s %8s %8s %8s %8s\n", "api", "threads", "wall_s", "cpu_s",
              "maxthr_s", "MB/s", "x_wall", "x_cpu", "x_crit", "x_pair");
  for (const Config& c : configs) {
    const Config* base = nullptr;
    for (const Config& b : configs) {
      if (b.api == c.api && b.threads == 1) base = &b;
    }
    const double wall = Median(c.wall), cpu = Median(c.cpu), mt = Median(c.max_thread);
    std::printf("%-9s %7d %8.3f %8.3f %10.3f %8.1f", c.api.c_str(), c.threads, wall, cpu, mt,
                bytes / 1e6 / wall);
    if (base != nullptr) {
      const double bcpu = Median(base->cpu);
      std::vector<double> pair;
      for (size_t r = 0; r < c.cpu.size(); ++r)
        pair.push_back(base->cpu[r] / (c.cpu[r] / c.threads));
      std::printf(" %8.2f %8.2f %8.2f %8.2f", Median(base->wall) / wall, bcpu / (cpu / c.threads),
                  bcpu / mt, Median(pair));
    }
    std::printf("\n");
  }
  std::printf(
      "\nMedians of %d runs. x_wall = wall(1)/wall(T); x_cpu = cpu(1)/(cpu(T)/T), the speedup\n"
      "with a free core per thread; x_crit = cpu(1)/max_thread(T); x_pair = the median of x_cpu\n"
      "over pairs of back-to-back runs (which see about the same machine load).\n",
      f.reps);
  return identical ? 0 : 1;
}
