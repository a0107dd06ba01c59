// Progress and messages of a training run, on stderr.
//
// Training a vocabulary takes minutes to hours, so the trainer reports each
// phase as it goes: what it is doing, how far it is (percent, when the total
// is known), the time elapsed and an estimate of the time left. Severity
// levels follow SentencePiece's --minloglevel: 0 INFO (progress included),
// 1 WARNING, 2 ERROR; messages below the level are dropped, so
// --minloglevel=1 gives a quiet run. Tests can capture the output with
// SetLogSink.

#ifndef SPM_SRC_TRAINER_TRAINING_LOG_H_
#define SPM_SRC_TRAINER_TRAINING_LOG_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace sentencepiece {
namespace training_log {

enum Severity { kInfo = 0, kWarning = 1, kError = 2 };

// Messages below `level` are dropped (default 0: everything).
void SetMinLogLevel(int level);
int MinLogLevel();

// Where lines go (each without its final newline); nullptr restores stderr.
void SetLogSink(std::function<void(std::string_view line)> sink);

// Writes one line: "trainer: <msg>" (INFO) or "trainer: WARNING: <msg>".
void Log(Severity severity, std::string_view msg);
inline void Info(std::string_view msg) { Log(kInfo, msg); }
inline void Warning(std::string_view msg) { Log(kWarning, msg); }

// ", peak memory N MB" (the process's peak resident memory so far), or ""
// where unknown.
std::string PeakMemory();

// Reports one phase of training:
//   trainer: <phase>: 42.0% (4200/10000) 12.3s elapsed, ETA 17.0s
// at most about once a second, then "<phase>: done in 30.1s" from Done().
// A total of 0 means unknown: only the count and the time are shown.
class Progress {
 public:
  Progress(std::string phase, uint64_t total);
  ~Progress();  // Calls Done() if not called.

  // `done` units of `total` are finished. Cheap when nothing is printed.
  void Update(uint64_t done);
  void set_total(uint64_t total) { total_ = total; }
  void Done();

 private:
  using Clock = std::chrono::steady_clock;
  std::string phase_;
  uint64_t total_;
  Clock::time_point start_;
  Clock::time_point next_report_;
  bool done_ = false;
};

}  // namespace training_log
}  // namespace sentencepiece

#endif  // SPM_SRC_TRAINER_TRAINING_LOG_H_
