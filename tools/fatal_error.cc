#include "fatal_error.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <exception>
#include <new>
#include <system_error>

#include "common/file_io.h"

namespace sentencepiece {
namespace {

const char* fatal_program = "spm";

[[noreturn]] void OnTerminate() {
  // One thread reports; any other that gets here meanwhile waits for the
  // exit.
  static std::atomic<bool> reported{false};
  if (reported.exchange(true)) {
    while (true) pause();
  }
  const char* what = "unexpected error";
  // Nothing here may allocate: the usual cause is that nothing can be.
  if (std::exception_ptr e = std::current_exception()) {
    try {
      std::rethrow_exception(e);
    } catch (const std::bad_alloc&) {
      what = "out of memory";
    } catch (const std::system_error& err) {
      what = err.code() == std::errc::resource_unavailable_try_again
                 ? "out of resources (no thread could be started)"
                 : err.what();
    } catch (const std::exception& err) {
      what = err.what();
    } catch (...) {
    }
  }
  std::fprintf(stderr, "%s: fatal: %s\n", fatal_program, what);
  RemovePendingFilesNow();
  _exit(1);
}

}  // namespace

void InstallFatalErrorHandler(const char* program) {
  fatal_program = program;
  std::set_terminate(OnTerminate);
}

}  // namespace sentencepiece
