// Batch encoding: SentencePieceProcessor::EncodeBatch and friends,
// EncodedBatch, and the process-wide thread pool they run on.
//
// Performance notes: ids come from Processor::EncodeIdsLines (the fast
// path of spm_encode, a chunk of inputs at a time); pieces from
// Processor::Encode into a per-thread scratch output. Both keep per-thread
// word caches, which pool workers keep warm from one call to the next. An
// EncodedBatch stores one block per chunk (piece bytes, PieceViews, ids),
// written by the one thread that encoded the chunk, so threads never share
// a buffer and nothing is copied after encoding.

#include "batch_encoder.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "common/cpu_count.h"
#include "encoder/processor.h"
#include "facade_util.h"
#include "sentencepiece_processor.h"

namespace sentencepiece {
namespace batch {
namespace {

// Workers waiting for tasks; created on demand, never stopped. The pool is
// leaked on purpose: joining at exit could wait on a task that uses objects
// already destroyed.
class ThreadPool {
 public:
  static ThreadPool& Shared() {
    static ThreadPool* pool = new ThreadPool();
    return *pool;
  }

  // Runs `task` on some worker, starting workers until there are at least
  // `min_workers` (as many as can be started: a thread whose stack cannot
  // be mapped is not an error here, the caller does the work itself).
  // Throws std::bad_alloc if the task cannot be queued.
  void Submit(int min_workers, std::function<void()> task) {
    std::lock_guard<std::mutex> lock(mu_);
    try {
      while (static_cast<int>(workers_.size()) < min_workers) {
        workers_.emplace_back([this] { Work(); });
      }
    } catch (const std::system_error&) {
    }
    tasks_.push_back(std::move(task));
    cv_.notify_one();
  }

 private:
  void Work() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return !tasks_.empty(); });
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> workers_;
};

// One ParallelFor call. Shared with the workers, which may start after the
// call has returned; they then find no chunk left and touch nothing else.
struct Job {
  size_t n = 0;
  size_t chunk_size = 1;
  size_t num_chunks = 0;
  const std::function<void(size_t, size_t, size_t)>* fn = nullptr;
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};  // A call threw: the rest are skipped.
  std::mutex mu;
  std::condition_variable cv;
  size_t done = 0;            // Chunks finished or skipped; guarded by mu.
  std::exception_ptr error;   // The first exception thrown; guarded by mu.

  void Run() {
    size_t finished = 0;
    for (;;) {
      const size_t c = next.fetch_add(1);
      if (c >= num_chunks) break;
      ++finished;
      if (failed.load(std::memory_order_relaxed)) continue;
      const size_t begin = c * chunk_size;
      // An exception must not leave a worker (std::terminate) nor the
      // caller while other threads still run `fn`: it is kept for the
      // caller to rethrow once every chunk is accounted for.
      try {
        (*fn)(c, begin, std::min(n, begin + chunk_size));
      } catch (...) {
        failed.store(true, std::memory_order_relaxed);
        std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
      }
    }
    if (finished == 0) return;
    std::lock_guard<std::mutex> lock(mu);
    done += finished;
    if (done == num_chunks) cv.notify_all();
  }
};

}  // namespace

int ResolveThreads(int num_threads) {
  if (num_threads > 0) return std::min(num_threads, kMaxThreads);
  return std::clamp(UsableCpus(), 1, kMaxThreads);
}

size_t ChunkSize(size_t n, int threads, size_t min_chunk) {
  // About 16 chunks per thread: small enough to balance uneven inputs,
  // large enough that handing them out costs nothing.
  const size_t target = static_cast<size_t>(threads) * 16;
  return std::max<size_t>({1, min_chunk, (n + target - 1) / target});
}

void ParallelFor(size_t n, size_t chunk_size, int threads,
                 const std::function<void(size_t chunk, size_t begin, size_t end)>& fn) {
  if (n == 0) return;
  const size_t num_chunks = (n + chunk_size - 1) / chunk_size;
  const int helpers = static_cast<int>(std::min<size_t>(threads, num_chunks)) - 1;
  if (helpers <= 0) {
    for (size_t c = 0; c < num_chunks; ++c) {
      fn(c, c * chunk_size, std::min(n, (c + 1) * chunk_size));
    }
    return;
  }
  auto job = std::make_shared<Job>();
  job->n = n;
  job->chunk_size = chunk_size;
  job->num_chunks = num_chunks;
  job->fn = &fn;
  try {
    ThreadPool& pool = ThreadPool::Shared();
    for (int i = 0; i < helpers; ++i) pool.Submit(helpers, [job] { job->Run(); });
  } catch (...) {
    // Out of memory for the queue: the helpers submitted so far, if any,
    // share the chunks with this thread, which alone can do them all.
  }
  job->Run();
  std::unique_lock<std::mutex> lock(job->mu);
  job->cv.wait(lock, [&] { return job->done == job->num_chunks; });
  if (job->error) std::rethrow_exception(job->error);
}

}  // namespace batch

// ------------------------------------------------------------------ EncodedBatch

namespace batch {
namespace {

// The results of one chunk of inputs, written by the thread that encoded it.
struct Block {
  std::vector<char> bytes;        // The piece strings, back to back.
  std::vector<PieceView> pieces;  // Of all inputs of the block, in order.
  std::vector<int> ids;           // Parallel to `pieces`.
  std::vector<size_t> starts;     // Input k's pieces: [starts[k], starts[k+1]).
};

// Encodes inputs [begin, end) into `b`. Returns the first error, and its
// input in *failed; a failed input has no pieces.
absl::Status EncodeBlock(const Processor& engine, const std::vector<std::string_view>& inputs,
                         size_t begin, size_t end, Block* b, size_t* failed) {
  thread_local EncodeOutput out;
  thread_local std::vector<size_t> offsets;  // Of each piece in b->bytes, while it may grow.
  offsets.clear();
  absl::Status first_error;
  b->starts.push_back(0);
  for (size_t i = begin; i < end; ++i) {
    const absl::Status s = engine.Encode(inputs[i], &out);
    if (s.ok()) {
      for (const Token& t : out.tokens) {
        offsets.push_back(b->bytes.size());
        b->bytes.insert(b->bytes.end(), t.piece.begin(), t.piece.end());
        PieceView p;  // p.piece is set below, once `bytes` stops growing.
        p.id = t.id;
        if (t.has_offsets) {
          p.begin = t.begin;
          p.end = t.end;
        }
        b->pieces.push_back(p);
        b->ids.push_back(t.id);
      }
    } else if (first_error.ok()) {
      first_error = s;
      *failed = i;
    }
    b->starts.push_back(b->pieces.size());
  }
  for (size_t j = 0; j < b->pieces.size(); ++j) {
    const size_t len = (j + 1 < offsets.size() ? offsets[j + 1] : b->bytes.size()) - offsets[j];
    b->pieces[j].piece = std::string_view(b->bytes.data() + offsets[j], len);
  }
  return first_error;
}

}  // namespace
}  // namespace batch

struct EncodedBatch::Rep {
  size_t size = 0;
  size_t chunk_size = 1;  // Input i is in blocks[i / chunk_size].
  size_t total_pieces = 0;
  // The first blocks hold the inputs; any beyond them are empty, kept for
  // their memory (a call with fewer chunks, e.g. on fewer threads, must
  // not free what the next call with more would allocate again).
  std::vector<batch::Block> blocks;

  const batch::Block& BlockOf(size_t i, size_t* k) const {
    *k = i % chunk_size;
    return blocks[i / chunk_size];
  }
};

EncodedBatch::EncodedBatch() = default;
EncodedBatch::~EncodedBatch() = default;
EncodedBatch::EncodedBatch(EncodedBatch&& other) noexcept = default;
EncodedBatch& EncodedBatch::operator=(EncodedBatch&& other) noexcept = default;

size_t EncodedBatch::size() const { return rep_ ? rep_->size : 0; }

size_t EncodedBatch::total_pieces() const { return rep_ ? rep_->total_pieces : 0; }

ArrayView<PieceView> EncodedBatch::pieces(size_t i) const {
  size_t k;
  const batch::Block& b = rep_->BlockOf(i, &k);
  return ArrayView<PieceView>(b.pieces.data() + b.starts[k], b.starts[k + 1] - b.starts[k]);
}

ArrayView<int> EncodedBatch::ids(size_t i) const {
  size_t k;
  const batch::Block& b = rep_->BlockOf(i, &k);
  return ArrayView<int>(b.ids.data() + b.starts[k], b.starts[k + 1] - b.starts[k]);
}

void EncodedBatch::clear() { rep_.reset(); }

// ------------------------------------------------------------------ SentencePieceProcessor

namespace {

// The error of the lowest-numbered failing input among per-chunk results.
util::Status FirstError(const std::vector<absl::Status>& errors,
                        const std::vector<size_t>& failed_input) {
  size_t best = 0;
  bool found = false;
  for (size_t c = 0; c < errors.size(); ++c) {
    if (errors[c].ok()) continue;
    if (!found || failed_input[c] < failed_input[best]) best = c;
    found = true;
  }
  return found ? facade::ToUtil(errors[best]) : util::Status();
}

// Runs `encode(begin, end, &failed)` (returning the first error of inputs
// [begin, end), the input in `failed` relative to begin) over chunks of the
// inputs on `num_threads` threads; returns the first error in input order.
template <typename EncodeChunk>
util::Status ForEachChunk(size_t n, int num_threads, EncodeChunk encode) {
  const int threads = batch::ResolveThreads(num_threads);
  const size_t chunk = batch::ChunkSize(n, threads, 16);
  const size_t num_chunks = n == 0 ? 0 : (n + chunk - 1) / chunk;
  std::vector<absl::Status> errors(num_chunks);
  std::vector<size_t> failed(num_chunks, 0);
  batch::ParallelFor(n, chunk, threads, [&](size_t c, size_t begin, size_t end) {
    size_t at = 0;
    errors[c] = encode(begin, end, &at);
    failed[c] = begin + at;
  });
  return FirstError(errors, failed);
}

// Runs `encode(i)` (returning absl::Status) for every input on `num_threads`
// threads; returns the first error in input order.
template <typename EncodeOne>
util::Status ForEachInput(size_t n, int num_threads, EncodeOne encode) {
  return ForEachChunk(n, num_threads, [&](size_t begin, size_t end, size_t* failed) {
    absl::Status first;
    for (size_t i = begin; i < end; ++i) {
      absl::Status s = encode(i);
      if (!s.ok() && first.ok()) {
        first = std::move(s);
        *failed = i - begin;
      }
    }
    return first;
  });
}

// Tells the engine how much text the batch holds (its caches are sized for
// it, and its model may build tables up front for a large one).
void ExpectInputs(const Processor& engine, const std::vector<std::string_view>& inputs) {
  size_t total = 0;
  for (std::string_view s : inputs) total += s.size();
  engine.ExpectInput(total);
  engine.model().ExpectInput(total);
}

}  // namespace

// The vector forms resize the output rather than rebuild it, so a caller
// that passes the same vectors again reuses their memory (no allocation per
// input in the steady state).

util::Status SentencePieceProcessor::EncodeBatch(const std::vector<std::string_view>& inputs,
                                                 int num_threads,
                                                 std::vector<std::vector<int>>* ids) const {
  if (!processor_) {
    ids->assign(inputs.size(), {});
    return facade::NotLoaded();
  }
  ids->resize(inputs.size());
  const Processor& engine = *processor_;
  ExpectInputs(engine, inputs);
  // A chunk's inputs in one call: each input's words are looked up ahead,
  // while the input before is encoded (Processor::EncodeIdsLines()).
  return ForEachChunk(inputs.size(), num_threads, [&](size_t begin, size_t end, size_t* failed) {
    return engine.EncodeIdsLines(inputs.data() + begin, end - begin, ids->data() + begin, failed);
  });
}

util::Status SentencePieceProcessor::EncodeBatch(
    const std::vector<std::string_view>& inputs, int num_threads,
    std::vector<std::vector<std::string>>* pieces) const {
  if (!processor_) {
    pieces->assign(inputs.size(), {});
    return facade::NotLoaded();
  }
  pieces->resize(inputs.size());
  const Processor& engine = *processor_;
  ExpectInputs(engine, inputs);
  return ForEachInput(inputs.size(), num_threads, [&](size_t i) {
    std::vector<std::string>& dst = (*pieces)[i];
    absl::Status s = engine.EncodePieces(inputs[i], &dst);
    if (!s.ok()) dst.clear();
    return s;
  });
}

util::Status SentencePieceProcessor::EncodeBatch(const std::vector<std::string_view>& inputs,
                                                 int num_threads, EncodedBatch* result) const {
  // A reused result keeps its buffers' memory.
  if (result->rep_ == nullptr) result->rep_ = std::make_unique<EncodedBatch::Rep>();
  EncodedBatch::Rep& rep = *result->rep_;
  const size_t n = inputs.size();
  rep.size = n;
  rep.total_pieces = 0;
  for (batch::Block& b : rep.blocks) {
    b.bytes.clear();
    b.pieces.clear();
    b.ids.clear();
    b.starts.clear();
  }
  if (!processor_) {
    // Every input has an empty result: one empty block covering them all.
    rep.chunk_size = std::max<size_t>(1, n);
    if (rep.blocks.empty()) rep.blocks.resize(1);
    rep.blocks[0].starts.assign(n + 1, 0);
    return facade::NotLoaded();
  }
  const Processor& engine = *processor_;
  ExpectInputs(engine, inputs);
  const int threads = batch::ResolveThreads(num_threads);
  rep.chunk_size = batch::ChunkSize(n, threads, 16);
  const size_t num_chunks = n == 0 ? 0 : (n + rep.chunk_size - 1) / rep.chunk_size;
  if (rep.blocks.size() < num_chunks) rep.blocks.resize(num_chunks);
  std::vector<absl::Status> errors(num_chunks);
  std::vector<size_t> failed(num_chunks, 0);
  batch::ParallelFor(n, rep.chunk_size, threads, [&](size_t c, size_t begin, size_t end) {
    errors[c] = batch::EncodeBlock(engine, inputs, begin, end, &rep.blocks[c], &failed[c]);
  });
  for (const batch::Block& b : rep.blocks) rep.total_pieces += b.pieces.size();
  return FirstError(errors, failed);
}

std::vector<std::vector<int>> SentencePieceProcessor::EncodeAsIdsBatch(
    const std::vector<std::string_view>& inputs, int num_threads) const {
  std::vector<std::vector<int>> ids;
  EncodeBatch(inputs, num_threads, &ids).IgnoreError();
  return ids;
}

std::vector<std::vector<std::string>> SentencePieceProcessor::EncodeAsPiecesBatch(
    const std::vector<std::string_view>& inputs, int num_threads) const {
  std::vector<std::vector<std::string>> pieces;
  EncodeBatch(inputs, num_threads, &pieces).IgnoreError();
  return pieces;
}

}  // namespace sentencepiece
