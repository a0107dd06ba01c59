// spm_train's operator new (train_heap.cc): large blocks from malloc,
// marked for transparent huge pages. Linked into spm_train only.

#ifndef SPM_TOOLS_TRAIN_HEAP_H_
#define SPM_TOOLS_TRAIN_HEAP_H_

#include <cstddef>

#include "common/zero_pages.h"

namespace sentencepiece {

// Whether this build's operator new marks blocks of kTrainHeapHugeFrom
// bytes or more for huge pages (false on systems without madvise(), and
// under the sanitizers, whose runtimes own operator new).
extern const bool kTrainHeapAdvisesHugePages;
// The smallest block that is marked (the whole 2 MB pages inside it).
constexpr size_t kTrainHeapHugeFrom = kHugePageBytes;

}  // namespace sentencepiece

#endif  // SPM_TOOLS_TRAIN_HEAP_H_
