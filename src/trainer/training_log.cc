#include "trainer/training_log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/absl_compat.h"

namespace sentencepiece {
namespace training_log {
namespace {

std::atomic<int> g_min_level{0};
std::mutex g_mu;
std::function<void(std::string_view)>* g_sink = nullptr;

std::string Seconds(double s) { return absl::StrFormat("%.1fs", s); }

}  // namespace

// The peak resident memory so far ("VmHWM" in /proc/self/status), or "".
std::string PeakMemory() {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return "";
  char line[256];
  std::string result;
  while (std::fgets(line, sizeof(line), f) != nullptr) {
    long kb;
    if (std::sscanf(line, "VmHWM: %ld kB", &kb) == 1) {
      result = absl::StrFormat(", peak memory %d MB", kb / 1024);
      break;
    }
  }
  std::fclose(f);
  return result;
}

namespace {

}  // namespace

void SetMinLogLevel(int level) { g_min_level.store(level); }
int MinLogLevel() { return g_min_level.load(); }

void SetLogSink(std::function<void(std::string_view)> sink) {
  std::lock_guard<std::mutex> lock(g_mu);
  delete g_sink;
  g_sink = sink ? new std::function<void(std::string_view)>(std::move(sink)) : nullptr;
}

void Log(Severity severity, std::string_view msg) {
  if (severity < g_min_level.load()) return;
  const std::string line =
      absl::StrCat("trainer: ", severity == kWarning ? "WARNING: "
                                : severity == kError ? "ERROR: "
                                                     : "",
                   ToAbsl(msg));
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_sink != nullptr) {
    (*g_sink)(line);
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
}

Progress::Progress(std::string phase, uint64_t total)
    : phase_(std::move(phase)), total_(total), start_(Clock::now()) {
  next_report_ = start_ + std::chrono::seconds(1);
}

Progress::~Progress() { Done(); }

void Progress::Update(uint64_t done) {
  const Clock::time_point now = Clock::now();
  if (now < next_report_ || g_min_level.load() > kInfo) return;
  next_report_ = now + std::chrono::seconds(1);
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (total_ == 0) {
    Info(absl::StrCat(phase_, ": ", done, " ", Seconds(elapsed), " elapsed"));
    return;
  }
  const double fraction = std::min(1.0, static_cast<double>(done) / total_);
  std::string msg = absl::StrFormat("%s: %.1f%% (%d/%d) %s elapsed", phase_, 100 * fraction, done,
                                    total_, Seconds(elapsed));
  if (fraction > 0) absl::StrAppend(&msg, ", ETA ", Seconds(elapsed * (1 - fraction) / fraction));
  Info(msg + PeakMemory());
}

void Progress::Done() {
  if (done_) return;
  done_ = true;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  Info(absl::StrCat(phase_, ": done in ", Seconds(elapsed), PeakMemory()));
}

}  // namespace training_log
}  // namespace sentencepiece
