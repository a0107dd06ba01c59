#!/usr/bin/env bash
# Library speed, ours beside the reference, same inputs, one run: builds
# bench_lib_ours and bench_lib_ref (SPM_BUILD_BENCH=ON), runs both on 20 MB
# slices of the corpus (en, zh, ja, mixed) and prints MB/s, the load time
# (model file to the first encode) and ratios, and whether both produced
# identical ids, pieces and decoded text. Not a test.
#
#   bench/bench_lib.sh [BUILD_DIR] [extra benchmark flags, e.g. --benchmark_filter=Load]
#
# Environment:
#   SPM_CORPUS  directory with en.txt zh.txt ja.txt corpus.txt (default
#               /work/corpus, else ./corpus built by scripts/make_corpus.sh)
#   MB          megabytes of each text (default 20; zh/ja files may be shorter)
#   MODELS      models from testdata/models (default: llama2 albert_spiece)
#   ROUNDS      rounds (default 1); each benchmark's best is kept
#
# Each benchmark runs on its own (--benchmark_filter), the reference's and
# ours one after the other, in an order reversed from one benchmark to the
# next and from one round to the next: the VM's speed drifts by 10-30%
# within minutes, and with all of the reference's benchmarks run before all
# of ours (until session 40) the same build's ratios moved by up to a third
# between two runs.
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath -m "${1:-build-bench}")
shift || true
corpus=${SPM_CORPUS:-/work/corpus}
[ -f "$corpus/corpus.txt" ] || corpus=corpus
mb=${MB:-20}
models=${MODELS:-"llama2 albert_spiece"}

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSPM_BUILD_BENCH=ON > /dev/null
cmake --build "$build" -j2 --target bench_lib_ours bench_lib_ref > /dev/null

. bench/common.sh
bench_setup "$corpus"
bench_texts "$work" "$corpus" "$mb" "en zh ja mix"

export SPM_BENCH_TEXTS="en=$work/en.txt,zh=$work/zh.txt,ja=$work/ja.txt,mix=$work/mix.txt"
SPM_BENCH_MODELS=
for m in $models; do SPM_BENCH_MODELS+="${SPM_BENCH_MODELS:+,}$m=testdata/models/$m.model"; done
export SPM_BENCH_MODELS

# Both libraries' benchmarks run with glibc keeping freed memory (no trim,
# no mmap for large blocks): otherwise whether a freed model's buffers went
# back to the kernel, and were faulted in again by the next load, depended
# on the heap's layout, which the benchmark filter and the texts change.
# Load/llama2 of one build read 0.77 or 5.0 ms (the reference's albert 28
# or 55 ms) from one run to the next; with these, 0.71-0.77 ms every time.
keep_freed=glibc.malloc.trim_threshold=1000000000:glibc.malloc.mmap_threshold=33554432
export GLIBC_TUNABLES=${GLIBC_TUNABLES:-$keep_freed}
rounds=${ROUNDS:-1}
# The benchmarks ours registers (the same names as the reference's), less
# any the extra flags filter out.
mapfile -t names < <("$build/bench/bench_lib_ours" --benchmark_list_tests=true "$@")
run=0
for round in $(seq "$rounds"); do
  echo "round $round of $rounds: ${#names[@]} benchmarks ..." >&2
  for i in "${!names[@]}"; do
    name=${names[$i]}
    # Reversed from one benchmark to the next, and for each benchmark from
    # one round to the next (with the run's count alone, an even number
    # of benchmarks gave each one the same order in every round).
    order="ref ours"
    [ $(( (i + round) % 2 )) -eq 1 ] && order="ours ref"
    for who in $order; do
      SPM_BENCH_CHECKSUMS=$work/$who.sums "$build/bench/bench_lib_$who" "$@" \
        --benchmark_filter="^${name}\$" --benchmark_format=json \
        --benchmark_out="$work/$who.$run.json" > /dev/null
    done
    run=$((run + 1))
  done
done

python3 - "$work" <<'PY'
import glob, json, sys
work = sys.argv[1]
def better(a, b):
    # The faster run: more bytes a second, or (Load) less time.
    if "bytes_per_second" in a:
        return a if a["bytes_per_second"] >= b["bytes_per_second"] else b
    return a if a["cpu_time"] <= b["cpu_time"] else b
def load(who):
    runs = {}
    # In the order run (a dict keeps it): the first round's is the list's.
    paths = glob.glob(f"{work}/{who}.*.json")
    for path in sorted(paths, key=lambda p: int(p.rsplit(".", 2)[1])):
        for b in json.load(open(path))["benchmarks"]:
            if b.get("run_type", "iteration") != "iteration":
                continue
            name = b["name"]
            runs[name] = better(runs[name], b) if name in runs else b
    sums = {}
    try:
        for line in open(f"{work}/{who}.sums"):
            name, h = line.split()
            sums.setdefault(name, set()).add(h)
    except FileNotFoundError:
        pass
    return runs, sums
ref, ref_sums = load("ref")
ours, our_sums = load("ours")
print(f"{'benchmark':34} {'ref':>10} {'ours':>10} {'ours/ref':>9}  identical")
for name, r in ref.items():
    o = ours.get(name)
    if o is None:
        continue
    same = "-"
    if name in ref_sums or name in our_sums:
        same = "yes" if ref_sums.get(name) == our_sums.get(name) and len(ref_sums[name]) == 1 else "NO"
    if "bytes_per_second" in r:
        rv, ov = r["bytes_per_second"] / 1e6, o["bytes_per_second"] / 1e6
        print(f"{name:34} {rv:8.2f}MB/s {ov:6.2f}MB/s {ov / rv:8.2f}x  {same}")
    else:  # Load: CPU time per load, in ms; lower is better.
        rv, ov = r["cpu_time"], o["cpu_time"]
        print(f"{name:34} {rv:8.2f}ms {ov:8.2f}ms {ov / rv:8.2f}x  (time ratio; lower is better)")
PY
