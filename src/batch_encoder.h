// Internal: the thread pool and the parallel loop behind
// SentencePieceProcessor::EncodeBatch(). Not installed.
//
// ParallelFor cuts [0, n) into chunks and runs them on the calling thread
// plus up to num_threads - 1 workers of one process-wide pool. The caller
// always works too, so a call never waits for a worker to become free: a
// worker that starts after every chunk is taken finds nothing to do and
// leaves. Chunks are handed out by an atomic counter (dynamic scheduling),
// so uneven inputs still spread evenly.

#ifndef SPM_SRC_BATCH_ENCODER_H_
#define SPM_SRC_BATCH_ENCODER_H_

#include <cstddef>
#include <functional>

namespace sentencepiece {
namespace batch {

// The most threads one call uses (the pool never grows beyond
// kMaxThreads - 1 workers).
constexpr int kMaxThreads = 256;

// num_threads <= 0: the hardware concurrency (at least 1); at most
// kMaxThreads.
int ResolveThreads(int num_threads);

// The chunk size for n items on `threads` threads: about 16 chunks per
// thread, for balance, none smaller than `min_chunk` items.
size_t ChunkSize(size_t n, int threads, size_t min_chunk);

// Calls fn(chunk, begin, end) for every chunk [chunk * chunk_size,
// min(n, (chunk + 1) * chunk_size)) of [0, n), on up to `threads` threads,
// and returns when all calls have returned. `fn` must be safe to call
// concurrently for different chunks. If a call throws (std::bad_alloc, in
// practice), the chunks not yet begun are skipped and the first exception
// is rethrown here once no thread runs `fn` any more; a worker that cannot
// be started leaves its share to the others.
void ParallelFor(size_t n, size_t chunk_size, int threads,
                 const std::function<void(size_t chunk, size_t begin, size_t end)>& fn);

}  // namespace batch
}  // namespace sentencepiece

#endif  // SPM_SRC_BATCH_ENCODER_H_
