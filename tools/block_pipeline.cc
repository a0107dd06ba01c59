#include "block_pipeline.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "flags.h"

namespace sentencepiece {
namespace {

constexpr size_t kSerialBlockBytes = 256 << 10;
constexpr size_t kParallelBlockBytes = 256 << 10;
constexpr size_t kLastBlockBytes = 16 << 10;

// Reads the files one block at a time; false at the end of the last file,
// or on an error (then error() says what).
class BlockReader {
 public:
  explicit BlockReader(const std::vector<std::string>& files) : files_(files) {
    // The input's size, when known: what is left of it steers the block
    // size.
    if (const std::optional<uint64_t> total = InputBytes(files)) {
      bytes_left_ = *total;
      sized_ = true;
    }
  }

  // The size of the next block for `num_threads` threads. Blocks shrink
  // over the input's last stretch, so that the threads run out of work
  // within a small block of each other instead of one encoding a full
  // block while the others wait (~1 ms of the two threads' ~70-140 ms on
  // 12-20 MB).
  size_t BlockBytes(int num_threads) const {
    if (!sized_) return kParallelBlockBytes;
    const uint64_t share = bytes_left_ / (4 * static_cast<uint64_t>(num_threads));
    return static_cast<size_t>(std::clamp<uint64_t>(share, kLastBlockBytes, kParallelBlockBytes));
  }

  bool Next(size_t min_bytes, std::string* block) {
    const bool more = NextBlock(min_bytes, block);
    if (more) bytes_left_ -= std::min<uint64_t>(bytes_left_, block->size());
    return more;
  }

  const std::string& error() const { return error_; }
  bool sized() const { return sized_; }
  uint64_t bytes_left() const { return bytes_left_; }

 private:
  bool NextBlock(size_t min_bytes, std::string* block) {
    while (error_.empty()) {
      if (reader_ == nullptr) {
        if (next_file_ == files_.size()) return false;
        auto r = LineReader::Open(files_[next_file_++]);
        if (!r.ok()) {
          error_ = std::string(r.status().message());
          return false;
        }
        reader_ = *std::move(r);
      }
      if (reader_->ReadBlock(min_bytes, block)) return true;
      if (!reader_->status().ok()) error_ = std::string(reader_->status().message());
      reader_.reset();
    }
    return false;
  }

  const std::vector<std::string>& files_;
  size_t next_file_ = 0;
  std::unique_ptr<LineReader> reader_;
  std::string error_;
  bool sized_ = false;      // The input's size is known:
  uint64_t bytes_left_ = 0;  // what is left of it (files can change).
};

// Blocks shared by the threads of a parallel run: a ring of slots, slot
// i % size holding block i. Every thread runs the same loop (Run()): it
// writes finished blocks in order, encodes the oldest block not yet taken,
// or reads the next one, whichever it can, in that order; one thread reads
// and one writes at a time. There is no reading and writing thread beside
// the workers: with as many threads as cores, a third thread would take
// turns with them (each wake-up descheduling a worker mid-block).
class BlockRing {
 public:
  BlockRing(BlockReader* reader, const BlockFn& fn, OutputFile* sink, int num_threads)
      : reader_(*reader),
        fn_(fn),
        sink_(*sink),
        num_threads_(num_threads),
        slots_(4 * static_cast<size_t>(num_threads)) {}

  // Reads the first block; false if the input is empty.
  bool ReadFirst() { return ReadInto(0); }
  // Reads the second; false if the first was all of the input.
  bool ReadSecond() { return ReadInto(1); }
  std::string& first_in() { return slots_[0].in; }
  std::string& first_out() { return slots_[0].out; }

  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      if (!writing_ && written_ < read_ && slot(written_).done) {
        writing_ = true;
        do {
          Slot& s = slot(written_);
          lock.unlock();
          sink_.Write(s.out);
          lock.lock();
          s.done = false;
          ++written_;
        } while (written_ < read_ && slot(written_).done);
        writing_ = false;
        cv_.notify_all();  // Free slots, or the end.
        continue;
      }
      if (taken_ < read_) {
        Slot& s = slot(taken_++);
        lock.unlock();
        s.out.clear();
        fn_(s.in, &s.out);
        lock.lock();
        s.done = true;  // This thread writes it next if it is the oldest.
        continue;
      }
      if (!end_ && !reading_ && read_ - written_ < slots_.size()) {
        reading_ = true;
        Slot& s = slot(read_);
        lock.unlock();
        const bool more = reader_.Next(reader_.BlockBytes(num_threads_), &s.in);
        lock.lock();
        reading_ = false;
        if (more) {
          ++read_;
        } else {
          end_ = true;
        }
        cv_.notify_all();
        continue;
      }
      if (end_ && written_ == read_) return;
      cv_.wait(lock);
    }
  }

 private:
  struct Slot {
    std::string in;
    std::string out;
    bool done = false;
  };
  Slot& slot(uint64_t block) { return slots_[block % slots_.size()]; }
  bool ReadInto(uint64_t block) {
    if (!reader_.Next(reader_.BlockBytes(num_threads_), &slot(block).in)) return false;
    ++read_;
    return true;
  }

  BlockReader& reader_;
  const BlockFn& fn_;
  OutputFile& sink_;
  const int num_threads_;
  std::vector<Slot> slots_;
  std::mutex mu_;
  std::condition_variable cv_;  // Any change below.
  uint64_t read_ = 0;           // Blocks read so far.
  uint64_t taken_ = 0;          // Blocks handed to a thread.
  uint64_t written_ = 0;        // Blocks written out.
  bool end_ = false;            // The reader has no more.
  bool reading_ = false;
  bool writing_ = false;
};

}  // namespace

std::optional<uint64_t> InputBytes(const std::vector<std::string>& files) {
  uint64_t total = 0;
  for (const std::string& path : files) {
    struct stat st;
    if (path.empty()) {
      // stdin: sized when it is a regular file (`spm_encode < file`, the
      // usual way to call it), from where it stands to its end.
      if (fstat(STDIN_FILENO, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
      const off_t at = lseek(STDIN_FILENO, 0, SEEK_CUR);
      if (at < 0) return std::nullopt;
      total += static_cast<uint64_t>(std::max<off_t>(st.st_size - at, 0));
      continue;
    }
    if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    total += static_cast<uint64_t>(st.st_size);
  }
  return total;
}

void ProcessBlocks(std::string_view program, const std::vector<std::string>& files,
                   int num_threads, const BlockFn& fn, OutputFile* sink,
                   const std::function<void()>& prepare) {
  BlockReader reader(files);
  // Helpers start at once when the files' sizes show more than a block;
  // then one of them runs `prepare`. Otherwise this thread runs it before
  // anything is read.
  const bool start_at_once = num_threads > 1 && reader.sized() &&
                             reader.bytes_left() > reader.BlockBytes(num_threads);
  const bool helper_prepares = prepare && start_at_once;
  if (prepare && !helper_prepares) prepare();
  if (num_threads <= 1) {
    std::string block, out;
    while (reader.Next(kSerialBlockBytes, &block)) {
      out.clear();
      fn(block, &out);
      sink->Write(out);
    }
  } else {
    BlockRing ring(&reader, fn, sink, num_threads);
    // Input of a single block (a few lines: a script's one sentence, a
    // service's request) is encoded on this thread: starting threads would
    // cost more than the encode (~0.2 ms of a ~3 ms run on one line).
    // Whether there is more is known from the files' sizes, or else from
    // reading two blocks first. With the sizes known the helpers start at
    // once and read the first blocks themselves: reading them on this
    // thread first (and the fresh memory they fill, 1-5 ms on this VM)
    // kept the other cores idle.
    bool parallel;
    if (reader.sized()) {
      parallel = start_at_once;
    } else if (!ring.ReadFirst()) {
      parallel = false;
    } else if (!ring.ReadSecond()) {
      fn(ring.first_in(), &ring.first_out());
      sink->Write(ring.first_out());
      parallel = false;
    } else {
      parallel = true;
    }
    if (parallel) {
      bool prepared = !helper_prepares;
      std::vector<std::thread> helpers;
      for (int t = 1; t < num_threads; ++t) {
        // A thread that cannot be started (its stack cannot be mapped
        // under a tight ulimit -v) leaves the work to those that could.
        try {
          if (!prepared) {
            helpers.emplace_back([&ring, &prepare] {
              prepare();
              ring.Run();
            });
            prepared = true;
          } else {
            helpers.emplace_back([&ring] { ring.Run(); });
          }
        } catch (const std::system_error&) {
          break;
        }
      }
      if (!prepared) prepare();  // No helper could be started.
      ring.Run();
      for (std::thread& h : helpers) h.join();
    } else if (reader.sized()) {
      ring.Run();  // One block, or none: this thread alone.
    }
  }
  // A read error ends the input; what was read before it has been written
  // (the output is not committed: the caller never gets to close it).
  if (!reader.error().empty()) Die(program, reader.error());
}

}  // namespace sentencepiece
