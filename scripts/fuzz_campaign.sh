#!/usr/bin/env bash
# A fuzzing campaign: builds the libFuzzer targets (clang, ASan + UBSan) and
# runs each for N minutes on its seeds plus a persistent corpus, then
# records executions, speed, coverage and findings in docs/fuzzing.md.
#
#   scripts/fuzz_campaign.sh [-m MINUTES] [-j PARALLEL] [-n NICE] [-t a,b,...] [--no-record]
#
#   -m  minutes per target (default 5; the acceptance run is 30)
#   -j  targets run at the same time (default 1)
#   -n  nice level (default 10)
#   -t  targets (default: all of tests/fuzz/*_fuzzer.cc)
#
# Directories (environment): FUZZ_BUILD_DIR (build-fuzz), FUZZ_WORK_DIR
# ($FUZZ_BUILD_DIR/work: corpus/<target>/ keeps what each run found,
# artifacts/<target>/ holds findings, logs/). Seeds are read from testdata/fuzz/<target>/ and never
# written. A finding makes the script exit 1 after recording; reproduce it
# with `<build>/tests/fuzz/<target>_fuzzer <artifact>` (or the gcc replay
# binary, `<target>_replay <artifact>`), and add the minimized input to the
# seeds once fixed.
#
# Coverage is libFuzzer's: "cov" = instrumented edges reached by the final
# corpus (seeds + corpus, measured in a separate -runs=0 pass), out of the
# instrumented edges of the binary ("edges"); "ft" = features (edges with hit
# counts, value profiles).
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=5
parallel=1
nice_level=10
targets=""
record=1
while [ $# -gt 0 ]; do
  case "$1" in
    -m) minutes=$2; shift 2 ;;
    -j) parallel=$2; shift 2 ;;
    -n) nice_level=$2; shift 2 ;;
    -t) targets=$(echo "$2" | tr ',' ' '); shift 2 ;;
    --no-record) record=0; shift ;;
    *) sed -n '2,27p' "$0"; exit 2 ;;
  esac
done
if [ -z "$targets" ]; then
  targets=$(ls tests/fuzz/*_fuzzer.cc | sed 's|.*/||; s|_fuzzer.cc||' | tr '\n' ' ')
fi

build=${FUZZ_BUILD_DIR:-build-fuzz}
work=${FUZZ_WORK_DIR:-$build/work}
mkdir -p "$work/logs"
if ! command -v clang++ >/dev/null; then
  echo "clang++ is needed (apt-get install clang libclang-rt-14-dev)" >&2
  exit 2
fi
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSPM_BUILD_FUZZERS=ON >/dev/null
for t in $targets; do
  cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target "${t}_fuzzer" >/dev/null
done

# Inputs at most this long (model bytes and charsmap blobs need more room).
max_len() {
  case "$1" in
    model_load) echo 65536 ;;
    charsmap) echo 262144 ;;  # Real charsmaps are 240 KB.
    *) echo 8192 ;;
  esac
}

run_target() {
  local t=$1
  local bin="$build/tests/fuzz/${t}_fuzzer"
  local corpus="$work/corpus/$t" artifacts="$work/artifacts/$t/" log="$work/logs/$t.log"
  mkdir -p "$corpus" "$artifacts"
  # -timeout: an input slower than 25 s is a finding (a hang); -rss_limit_mb
  # likewise for memory.
  nice -n "$nice_level" "$bin" -max_total_time=$((minutes * 60)) -print_final_stats=1 \
    -max_len="$(max_len "$t")" -timeout=25 -rss_limit_mb=3072 \
    -artifact_prefix="$artifacts" "$corpus" "testdata/fuzz/$t" >"$log" 2>&1 || true
  # Coverage of the final corpus, seeds included.
  nice -n "$nice_level" "$bin" -runs=0 -max_len="$(max_len "$t")" "$corpus" "testdata/fuzz/$t" \
    >"$work/logs/$t.cov.log" 2>&1 || true
}

running=0
for t in $targets; do
  echo "fuzzing $t for $minutes min"
  run_target "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$parallel" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

# One table row per target.
rows=""
findings=0
for t in $targets; do
  log="$work/logs/$t.log"
  cov_log="$work/logs/$t.cov.log"
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  new_units=$(grep -o 'stat::new_units_added: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  edges=$(grep -o '([0-9]* inline 8-bit counters)' "$log" | head -1 | grep -o '^([0-9]*' | tr -d '(' || echo "?")
  cov=$(grep -E 'INITED|DONE' "$cov_log" | tail -1 | grep -o 'cov: [0-9]*' | grep -o '[0-9]*' || echo "?")
  ft=$(grep -E 'INITED|DONE' "$cov_log" | tail -1 | grep -o 'ft: [0-9]*' | grep -o '[0-9]*' || echo "?")
  corpus_files=$(ls "$work/corpus/$t" | wc -l)
  crashes=$(ls "$work/artifacts/$t" 2>/dev/null | wc -l)
  findings=$((findings + crashes))
  result="none"
  [ "$crashes" -gt 0 ] && result="**$crashes: $(ls "$work/artifacts/$t" | tr '\n' ' ')**"
  row="| $t | $minutes | $execs | $speed | $cov / $edges | $ft | $corpus_files (+$new_units) | $rss | $result |"
  echo "$row"
  rows+="$row"$'\n'
done

if [ "$record" = 1 ]; then
  doc=docs/fuzzing.md
  header="### $(date -u +%Y-%m-%d) — $minutes min per target, nice $nice_level, $parallel at a time, $(nproc 2>/dev/null || echo '?') cores ($(uname -m)), clang $(clang++ -dumpversion)"
  table="| target | min | executions | exec/s | cov / edges | ft | corpus (+new) | peak RSS MB | findings |"$'\n'"|---|---|---|---|---|---|---|---|---|"$'\n'"$rows"
  entry="$header"$'\n\n'"$table"
  if [ -f "$doc" ] && grep -q '<!-- campaign-results -->' "$doc"; then
    python3 - "$doc" "$entry" <<'EOF'
import sys
path, entry = sys.argv[1], sys.argv[2]
text = open(path).read()
marker = "<!-- campaign-results -->"
text = text.replace(marker, marker + "\n\n" + entry.rstrip() + "\n", 1)
open(path, "w").write(text)
EOF
    echo "recorded in $doc"
  else
    echo "$doc has no '<!-- campaign-results -->' marker; not recorded" >&2
  fi
fi

if [ "$findings" -gt 0 ]; then
  echo "$findings finding(s): see $work/artifacts/" >&2
  exit 1
fi
