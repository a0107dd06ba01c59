// Process-wide heap settings for the command-line tools (not the library:
// they change malloc's behaviour for the whole process).

#ifndef SPM_TOOLS_HEAP_SETUP_H_
#define SPM_TOOLS_HEAP_SETUP_H_

namespace sentencepiece {

// Backs the start of the main heap with transparent huge pages where the
// system allows it, so a model load does not fault page by page. Call once,
// first thing in main(), before any thread starts. See heap_setup.cc.
void SetUpToolHeap();

}  // namespace sentencepiece

#endif  // SPM_TOOLS_HEAP_SETUP_H_
