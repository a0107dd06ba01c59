#include "common/file_io.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <set>

#include "absl/strings/str_cat.h"

namespace sentencepiece {

absl::Status ErrnoToStatus(int err, const std::string& path) {
  const std::string message = absl::StrCat("\"", path, "\": ", strerror(err));
  switch (err) {
    case ENOENT:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    case ENOSPC:
    case EDQUOT:
      return absl::ResourceExhaustedError(message);
    default:
      return absl::InternalError(message);
  }
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoToStatus(errno, path);
  // A model is read at every tool start: a regular file goes straight into
  // a buffer of its size (one byte more, so the read that sees the end
  // needs no growth), not through stdio chunks appended to a growing
  // string. Pipes and special files (size 0) grow the buffer as they go.
  struct stat st;
  size_t capacity = size_t{1} << 16;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    capacity = static_cast<size_t>(st.st_size) + 1;
  }
  std::string data(capacity, '\0');
  size_t size = 0;
  for (;;) {
    if (size == data.size()) data.resize(2 * data.size());
    const ssize_t n = read(fd, &data[size], data.size() - size);
    if (n > 0) {
      size += static_cast<size_t>(n);
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      const int err = errno;
      close(fd);
      return ErrnoToStatus(err, path);
    }
  }
  close(fd);
  data.resize(size);
  return data;
}

namespace {

// Temporary files not yet renamed into place. They are removed if the
// program exits first (a tool dying on an error calls exit(), which skips
// destructors), so no stray partial file survives.
std::mutex pending_mu;
std::set<std::string>* pending = nullptr;

// The same files for a signal that ends the program (SIGINT, SIGTERM,
// SIGHUP), which runs no exit handlers: a fixed table the handler can read
// safely (atomics, no locks, no allocation); unlink() is async-signal-safe.
// The handler removes the files, restores the default action and re-raises
// the signal, so the program still dies of it. Only default dispositions
// are replaced: a handler the application installed, or an ignored signal,
// is left as it is. A path longer than kSignalPathMax, or more than
// kSignalSlots files at once, is only covered at exit.
constexpr int kSignalSlots = 64;
constexpr size_t kSignalPathMax = 1024;
// States and paths in separate zero-initialized arrays: an array of
// {atomic, path} structs got a dynamic initializer that wrote every slot's
// state at program start, 15 page faults in every tool (~50 us here).
std::atomic<int> slot_state[kSignalSlots];  // 0: free; 1: being written; 2: holds a path.
char slot_path[kSignalSlots][kSignalPathMax];
constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void RemovePendingOnSignal(int sig) {
  RemovePendingFilesNow();
  signal(sig, SIG_DFL);
  raise(sig);  // Delivered once the handler returns.
}

void InstallSignalCleanup() {
  for (int sig : kCleanupSignals) {
    struct sigaction old;
    if (sigaction(sig, nullptr, &old) != 0) continue;
    if ((old.sa_flags & SA_SIGINFO) || old.sa_handler != SIG_DFL) continue;
    struct sigaction sa;
    std::memset(&sa, 0, sizeof(sa));
    sa.sa_handler = RemovePendingOnSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, nullptr);
  }
}

void RemovePendingAtExit() {
  std::lock_guard<std::mutex> lock(pending_mu);
  if (pending == nullptr) return;
  for (const std::string& p : *pending) unlink(p.c_str());
  pending->clear();
}

void AddPending(const std::string& tmp) {
  std::lock_guard<std::mutex> lock(pending_mu);
  if (pending == nullptr) {
    pending = new std::set<std::string>;
    atexit(RemovePendingAtExit);
    InstallSignalCleanup();
  }
  pending->insert(tmp);
  if (tmp.size() >= kSignalPathMax) return;
  for (int i = 0; i < kSignalSlots; ++i) {
    int expected = 0;
    if (slot_state[i].compare_exchange_strong(expected, 1, std::memory_order_acquire)) {
      std::memcpy(slot_path[i], tmp.c_str(), tmp.size() + 1);
      slot_state[i].store(2, std::memory_order_release);
      break;
    }
  }
}

void RemovePending(const std::string& tmp) {
  std::lock_guard<std::mutex> lock(pending_mu);
  if (pending != nullptr) pending->erase(tmp);
  for (int i = 0; i < kSignalSlots; ++i) {
    if (slot_state[i].load(std::memory_order_acquire) == 2 && tmp == slot_path[i]) {
      slot_state[i].store(0, std::memory_order_release);
      break;
    }
  }
}

// Where output to `path` goes: *target, through a temporary file renamed
// over it (false), or `path` itself, written in place (true).
bool WritesInPlace(const std::string& path, std::string* target) {
  *target = path;
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    // Missing: created by the rename. A link to nothing: written through
    // the link, as fopen() would.
    return lstat(path.c_str(), &st) == 0;
  }
  if (!S_ISREG(st.st_mode)) return !S_ISDIR(st.st_mode);  // A directory fails later.
  struct stat link;
  if (lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
    // Replace the file the links lead to, not the first link.
    if (char* resolved = realpath(path.c_str(), nullptr)) {
      *target = resolved;
      free(resolved);
    }
  }
  return false;
}

// Creates a temporary file next to `path`; returns its name and stream.
absl::Status CreateTemp(const std::string& path, std::string* tmp, FILE** f) {
  *tmp = absl::StrCat(path, ".tmp.XXXXXX");
  const int fd = mkstemp(tmp->data());
  if (fd < 0) return ErrnoToStatus(errno, path);
  // mkstemp creates the file 0600; give it the permissions a plain fopen
  // would have.
  const mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  *f = fdopen(fd, "wb");
  if (*f == nullptr) {
    const int err = errno;
    close(fd);
    unlink(tmp->c_str());
    return ErrnoToStatus(err, path);
  }
  AddPending(*tmp);
  return absl::OkStatus();
}

// Closes `f` and renames `tmp` to `path`; removes `tmp` on any failure.
absl::Status CommitTemp(FILE* f, const std::string& tmp, const std::string& path) {
  bool ok = fflush(f) == 0 && !ferror(f);
  int err = errno;
  if (fclose(f) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (ok && rename(tmp.c_str(), path.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  RemovePending(tmp);
  if (!ok) {
    unlink(tmp.c_str());
    return ErrnoToStatus(err, path);
  }
  return absl::OkStatus();
}

// Abandons a temporary file.
void DiscardTemp(FILE* f, const std::string& tmp) {
  fclose(f);
  unlink(tmp.c_str());
  RemovePending(tmp);
}

}  // namespace

void RemovePendingFilesNow() {
  for (int i = 0; i < kSignalSlots; ++i) {
    if (slot_state[i].load(std::memory_order_acquire) == 2) unlink(slot_path[i]);
  }
}

absl::Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  auto out = OutputFile::Open(path);
  if (!out.ok()) return out.status();
  (*out)->Write(contents);
  return (*out)->Close();
}

absl::StatusOr<std::unique_ptr<LineReader>> LineReader::Open(const std::string& path) {
  if (path.empty()) return std::unique_ptr<LineReader>(new LineReader(stdin, false, "<stdin>"));
  FILE* f = fopen(path.c_str(), "rb");
  if (f == nullptr) return ErrnoToStatus(errno, path);
  return std::unique_ptr<LineReader>(new LineReader(f, true, path));
}

LineReader::~LineReader() {
  if (owned_) fclose(file_);
}

bool LineReader::Refill() {
  if (eof_) return false;
  const size_t n = fread(buffer_.data(), 1, buffer_.size(), file_);
  pos_ = 0;
  end_ = n;
  if (n == 0) {
    eof_ = true;
    if (ferror(file_)) status_ = ErrnoToStatus(errno, path_);
    return false;
  }
  return true;
}

bool LineReader::ReadLine(std::string* line) {
  line->clear();
  bool any = false;
  while (true) {
    if (pos_ == end_ && !Refill()) return status_.ok() && any;
    any = true;
    const char* start = buffer_.data() + pos_;
    const void* nl = std::memchr(start, '\n', end_ - pos_);
    if (nl != nullptr) {
      const size_t len = static_cast<const char*>(nl) - start;
      line->append(start, len);
      pos_ += len + 1;
      return true;
    }
    line->append(start, end_ - pos_);
    pos_ = end_;
  }
}

bool LineReader::ReadBlock(size_t min_bytes, std::string* block) {
  block->clear();
  while (true) {
    if (pos_ == end_ && !Refill()) return status_.ok() && !block->empty();
    const char* start = buffer_.data() + pos_;
    const size_t avail = end_ - pos_;
    if (block->size() + avail >= min_bytes) {
      // Stop after the line that reaches min_bytes (need <= avail).
      const size_t need = min_bytes > block->size() ? min_bytes - block->size() : 1;
      const void* nl = std::memchr(start + need - 1, '\n', avail - (need - 1));
      if (nl != nullptr) {
        const size_t len = static_cast<const char*>(nl) - start + 1;
        block->append(start, len);
        pos_ += len;
        return true;
      }
    }
    // More than this read is needed: room for the whole block at once.
    // (Appends doubled the string up from one read, each step a fresh
    // allocation above the last on the heap: fresh memory, which costs a
    // VM ~1 ms a MB.)
    if (block->capacity() < min_bytes + buffer_.size()) block->reserve(min_bytes + buffer_.size());
    block->append(start, avail);
    pos_ = end_;
  }
}

absl::StatusOr<std::unique_ptr<OutputFile>> OutputFile::Open(const std::string& path) {
  if (path.empty()) return std::unique_ptr<OutputFile>(new OutputFile("", "", stdout, false));
  std::string target;
  if (WritesInPlace(path, &target)) {
    FILE* f = fopen(path.c_str(), "wb");
    if (f == nullptr) return ErrnoToStatus(errno, path);
    return std::unique_ptr<OutputFile>(new OutputFile(path, "", f, true));
  }
  std::string tmp;
  FILE* f = nullptr;
  if (auto s = CreateTemp(target, &tmp, &f); !s.ok()) return s;
  return std::unique_ptr<OutputFile>(new OutputFile(target, tmp, f, true));
}

const std::string& OutputFile::name() const {
  static const std::string* const kStdout = new std::string("<stdout>");
  return path_.empty() ? *kStdout : path_;
}

void OutputFile::Flush() {
  if (buffer_.empty()) return;
  WriteOut(buffer_);
  buffer_.clear();
}

void OutputFile::WriteOut(std::string_view s) {
  if (status_.ok() && fwrite(s.data(), 1, s.size(), file_) != s.size()) {
    status_ = ErrnoToStatus(errno, name());
  }
}

absl::Status OutputFile::Sync() {
  Flush();
  // (Only a temporary file is synced: a FIFO or device cannot be.)
  if (status_.ok() && (fflush(file_) != 0 || (!tmp_path_.empty() && fsync(fileno(file_)) != 0))) {
    status_ = ErrnoToStatus(errno, name());
  }
  return status_;
}

absl::Status OutputFile::Close() {
  if (closed_) return status_;
  closed_ = true;
  Flush();
  if (tmp_path_.empty()) {
    if (fflush(file_) != 0 && status_.ok()) status_ = ErrnoToStatus(errno, name());
    if (owned_ && fclose(file_) != 0 && status_.ok()) status_ = ErrnoToStatus(errno, name());
    return status_;
  }
  if (!status_.ok()) {
    DiscardTemp(file_, tmp_path_);
    return status_;
  }
  status_ = CommitTemp(file_, tmp_path_, path_);
  return status_;
}

OutputFile::~OutputFile() {
  if (closed_) return;
  if (tmp_path_.empty()) {
    Flush();
    fflush(file_);
    if (owned_) fclose(file_);
  } else {
    DiscardTemp(file_, tmp_path_);
  }
}

}  // namespace sentencepiece
