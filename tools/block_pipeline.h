// Encoding a stream of lines on several threads, in blocks, with the output
// kept in input order.
//
// `num_threads` threads (the calling thread and num_threads - 1 more) each
// read blocks of whole lines, turn blocks into outputs and write finished
// outputs in order, whichever is due: reading and writing overlap with the
// work, and no thread beyond the workers competes for the cores. With one
// thread, or input that fits in one block, everything runs on the calling
// thread.
//
// Performance notes: blocks are about 256 KB, small enough to balance
// threads that run at different speeds (the machine may be shared) and
// large enough that handing one over (a lock and a wake-up) costs nothing
// measurable. One thread reads blocks of the same size: with 1 MB ones a
// 20 MB run's peak RSS was 2-6 MB larger (a block and its output, grown by
// doubling, each step fresh memory) for no measurable speed. When the
// files' sizes are known, blocks shrink over the input's last stretch
// (down to 16 KB) so that the threads run out of work together, and the
// threads start before the first block is read. Every block keeps its
// input and output strings for reuse, so steady state allocates nothing.

#ifndef SPM_TOOLS_BLOCK_PIPELINE_H_
#define SPM_TOOLS_BLOCK_PIPELINE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/file_io.h"

namespace sentencepiece {

// fn(block, &out): appends to *out the output for `block`, a run of whole
// lines each ending in '\n' (except, possibly, the last line of the input).
using BlockFn = std::function<void(std::string_view block, std::string* out)>;

// Runs fn over all lines of `files` ("" = stdin) and writes the outputs to
// `sink` in input order; dies with a message on a read error. fn must be
// thread-safe when num_threads > 1.
//
// `prepare`, if set, runs once before this thread's first block: on another
// thread when there is one to run it, which then joins the work, so that the
// first blocks are encoded meanwhile (a model's tables built up front for a
// large input, used by fn once they are done).
void ProcessBlocks(std::string_view program, const std::vector<std::string>& files,
                   int num_threads, const BlockFn& fn, OutputFile* sink,
                   const std::function<void()>& prepare = nullptr);

// The total size of `files` when every one is a regular file (not a pipe
// or a device; "" is stdin, counted from its current offset), else
// nullopt.
std::optional<uint64_t> InputBytes(const std::vector<std::string>& files);

// Calls line_fn(line) for each line of `block` (without its '\n').
template <typename LineFn>
void ForEachLineIn(std::string_view block, LineFn line_fn) {
  size_t pos = 0;
  while (pos < block.size()) {
    const size_t nl = block.find('\n', pos);
    const size_t end = nl == std::string_view::npos ? block.size() : nl;
    line_fn(block.substr(pos, end - pos));
    pos = end + 1;
  }
}

}  // namespace sentencepiece

#endif  // SPM_TOOLS_BLOCK_PIPELINE_H_
