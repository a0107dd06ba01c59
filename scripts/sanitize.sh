#!/usr/bin/env bash
# The test suite under sanitizers (issue 8):
#
#   1. ASan + UBSan (gcc, -fno-sanitize-recover): builds everything into
#      ${ASAN_BUILD_DIR:-build-asan} and runs ctest there: the unit tests, the
#      fuzz seed replays (with mutations), the model mutation test, the tool
#      failure and text-input tests, the trainer tests, golden and the
#      differential tests. By default (the CI run) the tests whose time goes
#      into running the reference rather than our code are left out: the
#      tool-output comparisons (diff_sample, random_lines, tool_text_inputs),
#      the trainer comparisons (trainer_reference_compat,
#      unigram_reference_compat, spm_train_cli), the rule builder's
#      every-code-point comparisons (Reference/*, ReferenceNames/*,
#      RandomRulesTest.*, NormalizeTool*), and spm_train_failures (timed
#      signals); the golden test and the seed replays run the same code
#      paths under ASan. The
#      mutation test and the huge-line test run with a smaller budget.
#      --full runs everything at full size. installed_package never runs
#      here: it builds uninstrumented programs against the installed
#      (instrumented) library, which ASan refuses by design.
#   2. TSan (gcc): builds tests/hardening/concurrency_test (one processor,
#      12 threads), word_cache_test, training_threads_test (training with 1, 2 and 8
#      threads), unigram_trainer_test and common_test (BuildOnce) into
#      ${TSAN_BUILD_DIR:-build-tsan} and runs them.
#
#   scripts/sanitize.sh [--full] [--asan-only | --tsan-only]
#
# Any sanitizer report fails the run (halt_on_error, -fno-sanitize-recover).
set -euo pipefail
cd "$(dirname "$0")/.."

full=0
do_asan=1
do_tsan=1
for arg in "$@"; do
  case "$arg" in
    --full) full=1 ;;
    --asan-only) do_tsan=0 ;;
    --tsan-only) do_asan=0 ;;
    *) echo "usage: $0 [--full] [--asan-only | --tsan-only]" >&2; exit 2 ;;
  esac
done

bash scripts/install_deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0:strict_string_checks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
start=$(date +%s)
# -O2 with line tables only (-g1): a report's stack still names file and
# line, and the builds spend far less time writing and linking debug info.
reldeb="-O2 -g1 -DNDEBUG"

if [ "$do_asan" = 1 ]; then
  dir=${ASAN_BUILD_DIR:-build-asan}
  flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
  echo "== ASan+UBSan build ($dir)"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPM_BUILD_TESTS=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$reldeb" \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
  cmake --build "$dir" -j"$jobs"
  echo "== ASan+UBSan tests (build took $(( $(date +%s) - start )) s)"
  exclude='^installed_package$'
  if [ "$full" = 0 ]; then
    export SPM_MUTATION_BUDGET=${SPM_MUTATION_BUDGET:-0.3}
    export SPM_HUGE_LINE_MB=${SPM_HUGE_LINE_MB:-10}
    exclude+='|^(diff_sample|random_lines|large_vocab|tool_text_inputs|trainer_reference_compat)$'
    exclude+='|^(unigram_reference_compat|spm_train_cli|spm_train_failures)$'
    exclude+='|^Reference/|^ReferenceNames/|^RandomRulesTest|^BuiltinRulesReference|^NormalizeTool'
  fi
  (cd "$dir" && ctest -j"$jobs" --output-on-failure --timeout 1800 -E "$exclude")
fi

if [ "$do_tsan" = 1 ]; then
  dir=${TSAN_BUILD_DIR:-build-tsan}
  t0=$(date +%s)
  echo "== TSan build ($dir)"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPM_BUILD_TESTS=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$reldeb" \
    -DCMAKE_CXX_FLAGS="-fsanitize=thread -fno-omit-frame-pointer" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" >/dev/null
  # One processor shared by many threads; the word cache's lock-free
  # inserts racing each other and the table's growth; BPE/char/word
  # training with 1, 2 and 8 threads; the Unigram trainer's tests (its
  # E-step and pruning run on both cores, and one test compares 1, 2 and 4
  # threads); BuildOnce (the encoders' lazy tables) in common_test.
  tests=(hardening/concurrency_test word_cache_test hardening/training_threads_test
         unigram_trainer_test common_test)
  cmake --build "$dir" -j"$jobs" --target "${tests[@]##*/}"  # (The targets: the base names.)
  echo "== TSan: ${tests[*]} (build took $(( $(date +%s) - t0 )) s)"
  for t in "${tests[@]}"; do "$dir/tests/$t"; done
fi

echo "== sanitizers: all clean in $(( $(date +%s) - start )) s"
