#include "block_pipeline.h"

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "flags.h"

namespace sentencepiece {
namespace {

constexpr size_t kSerialBlockBytes = 1 << 20;
constexpr size_t kParallelBlockBytes = 256 << 10;

// Reads the files one block at a time; false at the end of the last file.
class BlockReader {
 public:
  BlockReader(std::string_view program, const std::vector<std::string>& files)
      : program_(program), files_(files) {}

  bool Next(size_t min_bytes, std::string* block) {
    while (true) {
      if (reader_ == nullptr) {
        if (next_file_ == files_.size()) return false;
        auto r = LineReader::Open(files_[next_file_++]);
        if (!r.ok()) Die(program_, std::string(r.status().message()));
        reader_ = *std::move(r);
      }
      if (reader_->ReadBlock(min_bytes, block)) return true;
      if (!reader_->status().ok()) Die(program_, std::string(reader_->status().message()));
      reader_.reset();
    }
  }

 private:
  std::string_view program_;
  const std::vector<std::string>& files_;
  size_t next_file_ = 0;
  std::unique_ptr<LineReader> reader_;
};

}  // namespace

void ProcessBlocks(std::string_view program, const std::vector<std::string>& files,
                   int num_threads, const BlockFn& fn, OutputFile* sink) {
  BlockReader reader(program, files);
  if (num_threads <= 1) {
    std::string block, out;
    while (reader.Next(kSerialBlockBytes, &block)) {
      out.clear();
      fn(block, &out);
      sink->Write(out);
    }
    return;
  }

  // A ring of slots; slot i % size holds block i. The reader fills slots
  // that are free, workers take filled blocks in order of their index, and
  // the writer drains finished blocks in order.
  struct Slot {
    std::string in;
    std::string out;
    bool done = false;
  };
  const size_t num_slots = 4 * static_cast<size_t>(num_threads);
  std::vector<Slot> slots(num_slots);
  std::mutex mu;
  std::condition_variable work_cv;  // Workers: a block was read, or the end.
  std::condition_variable main_cv;  // Calling thread: a block was finished.
  uint64_t read = 0;                // Blocks read so far.
  uint64_t taken = 0;               // Blocks handed to workers.
  uint64_t written = 0;             // Blocks written out.
  bool end = false;

  // Input of a single block (a few lines: a script's one sentence, a
  // service's request) is encoded on this thread: starting the workers
  // would cost more than the encode (~0.2 ms of a ~3 ms run on one line).
  if (!reader.Next(kParallelBlockBytes, &slots[0].in)) return;
  ++read;
  if (!reader.Next(kParallelBlockBytes, &slots[1].in)) {
    fn(slots[0].in, &slots[0].out);
    sink->Write(slots[0].out);
    return;
  }
  ++read;

  auto worker = [&] {
    std::unique_lock<std::mutex> lock(mu);
    while (true) {
      work_cv.wait(lock, [&] { return taken < read || end; });
      if (taken == read) return;  // The end, and nothing left.
      Slot& slot = slots[taken++ % num_slots];
      lock.unlock();
      slot.out.clear();
      fn(slot.in, &slot.out);
      lock.lock();
      slot.done = true;
      main_cv.notify_one();
    }
  };
  std::vector<std::thread> workers;
  for (int t = 0; t < num_threads; ++t) workers.emplace_back(worker);

  std::string spare;  // Swapped with a written slot's output.
  std::unique_lock<std::mutex> lock(mu);
  while (true) {
    // Write finished blocks, in order.
    if (written < read && slots[written % num_slots].done) {
      Slot& slot = slots[written % num_slots];
      lock.unlock();
      sink->Write(slot.out);
      lock.lock();
      slot.done = false;
      ++written;
      continue;
    }
    // Read the next block into a free slot.
    if (!end && read - written < num_slots) {
      Slot& slot = slots[read % num_slots];
      lock.unlock();
      const bool more = reader.Next(kParallelBlockBytes, &slot.in);
      lock.lock();
      if (more) {
        ++read;
      } else {
        end = true;
      }
      work_cv.notify_all();
      continue;
    }
    if (end && written == read) break;
    main_cv.wait(lock);
  }
  lock.unlock();
  for (std::thread& w : workers) w.join();
}

}  // namespace sentencepiece
