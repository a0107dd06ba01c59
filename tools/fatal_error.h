// What a tool does when it cannot go on: an exception no code catches (out
// of memory under a tight ulimit -v, no thread could be started), in any
// thread.

#ifndef SPM_TOOLS_FATAL_ERROR_H_
#define SPM_TOOLS_FATAL_ERROR_H_

namespace sentencepiece {

// Makes such an end a clear error instead of an abort: "<program>: fatal:
// out of memory" (or the exception's message) on stderr, the temporary
// files of unfinished outputs removed (no partial output survives, as for
// any other error), and exit status 1. `program` must outlive the process.
void InstallFatalErrorHandler(const char* program);

}  // namespace sentencepiece

#endif  // SPM_TOOLS_FATAL_ERROR_H_
