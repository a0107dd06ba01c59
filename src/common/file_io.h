// Reading and writing whole files, and reading text line by line.
//
// Writes are atomic: the data goes to a temporary file beside the target,
// which is renamed over it only once complete, so a failed or interrupted
// write never leaves a half-written file under the final name. Temporary
// files are removed if the program exits or is ended by SIGINT, SIGTERM or
// SIGHUP first (for signals left at their default action; see file_io.cc).

#ifndef SPM_SRC_COMMON_FILE_IO_H_
#define SPM_SRC_COMMON_FILE_IO_H_

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sentencepiece {

// Reads the whole file. Errors name the file: NotFound when it does not
// exist, PermissionDenied, or Internal for other I/O errors.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// Writes `contents` to `path` through a temporary file and a rename (at
// the end of any symbolic links, which stay links). A path that exists and
// is neither a regular file nor a directory (a device such as /dev/null, a
// FIFO) is written in place: renaming over it would replace it.
absl::Status WriteFileAtomically(const std::string& path, std::string_view contents);

// An error status for errno after an operation on `path` failed.
absl::Status ErrnoToStatus(int err, const std::string& path);

// Removes the temporary files of writes not yet complete, for a program
// about to end with _exit() (no exit handlers): lock-free and
// allocation-free, as a signal handler does it; safe while other threads
// run.
void RemovePendingFilesNow();

// Reads lines from a file or stdin, splitting on '\n' only (a '\r' before
// it stays in the line), as std::getline does.
class LineReader {
 public:
  // An empty path reads stdin.
  static absl::StatusOr<std::unique_ptr<LineReader>> Open(const std::string& path);
  ~LineReader();

  // Reads the next line into *line (without the '\n'). Returns false at the
  // end of input. A last line without '\n' is still returned.
  bool ReadLine(std::string* line);

  // Replaces *block with whole lines, each with its '\n' (the last line of
  // the input may lack it), at least `min_bytes` of them unless the input
  // ends first. Returns false when nothing was left to read.
  bool ReadBlock(size_t min_bytes, std::string* block);

  // Non-OK if reading failed (as opposed to reaching the end).
  absl::Status status() const { return status_; }

 private:
  LineReader(FILE* file, bool owned, std::string path)
      : file_(file), owned_(owned), path_(std::move(path)), buffer_(1 << 16) {}
  FILE* file_;
  bool owned_;
  std::string path_;
  // Reads the next buffer when the current one is used up; false at the
  // end of the input or on a read error (then status_ says which).
  bool Refill();

  absl::Status status_;
  std::vector<char> buffer_;  // Read ahead; lines are cut from it.
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
};

// Buffered output to a file (written atomically on Close, as
// WriteFileAtomically() writes; devices and FIFOs in place) or stdout.
class OutputFile {
 public:
  // An empty path writes stdout.
  static absl::StatusOr<std::unique_ptr<OutputFile>> Open(const std::string& path);
  ~OutputFile();  // Without Close(), a file output is discarded.

  void Write(std::string_view s) {
    // Large writes (a block's output) go straight to the file: copied
    // into the buffer they would cost a copy and, for a long line's
    // output, the buffer's growth into fresh pages.
    if (s.size() >= kBufferBytes) {
      Flush();
      WriteOut(s);
      return;
    }
    buffer_.append(s.data(), s.size());
    MaybeFlush();
  }
  // Flushes and, for a file, renames the temporary file into place.
  absl::Status Close();
  // Writes out what is buffered and waits until it is on the disk (fsync),
  // without closing: the first write error so far, if any. Before a
  // Close(), so that a crash after it leaves the old file or the whole new
  // one; or to learn of a write error before committing other files.
  absl::Status Sync();

 private:
  OutputFile(std::string path, std::string tmp_path, FILE* file, bool owned)
      : path_(std::move(path)), tmp_path_(std::move(tmp_path)), file_(file), owned_(owned) {}
  static constexpr size_t kBufferBytes = 1 << 16;
  void MaybeFlush() {
    if (buffer_.size() >= kBufferBytes) Flush();
  }
  void Flush();
  // Writes `s` to the file, recording the first error.
  void WriteOut(std::string_view s);

  // The path as given, for messages; empty for stdout.
  const std::string& name() const;
  std::string path_;
  std::string tmp_path_;  // Empty when written in place (stdout, a device).
  FILE* file_;
  bool owned_;  // file_ is closed on Close() (not stdout).
  std::string buffer_;
  absl::Status status_;
  bool closed_ = false;
};

}  // namespace sentencepiece

#endif  // SPM_SRC_COMMON_FILE_IO_H_
