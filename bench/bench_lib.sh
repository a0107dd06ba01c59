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
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath -m "${1:-build-bench}")
shift || true
corpus=${SPM_CORPUS:-/work/corpus}
[ -f "$corpus/corpus.txt" ] || corpus=corpus
[ -f "$corpus/corpus.txt" ] || bash scripts/make_corpus.sh "$corpus" >&2
mb=${MB:-20}
models=${MODELS:-"llama2 albert_spiece"}

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSPM_BUILD_BENCH=ON > /dev/null
cmake --build "$build" -j2 --target bench_lib_ours bench_lib_ref > /dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c $((mb * 1000000)) "$corpus/en.txt" > "$work/en.txt"
head -c $((mb * 1000000)) "$corpus/zh.txt" > "$work/zh.txt"
head -c $((mb * 1000000)) "$corpus/ja.txt" > "$work/ja.txt"
{ shuf --random-source=<(yes) "$corpus/corpus.txt" || true; } | head -c $((mb * 1000000)) > "$work/mix.txt"

export SPM_BENCH_TEXTS="en=$work/en.txt,zh=$work/zh.txt,ja=$work/ja.txt,mix=$work/mix.txt"
SPM_BENCH_MODELS=
for m in $models; do SPM_BENCH_MODELS+="${SPM_BENCH_MODELS:+,}$m=testdata/models/$m.model"; done
export SPM_BENCH_MODELS

for who in ref ours; do
  echo "running bench_lib_$who ..." >&2
  SPM_BENCH_CHECKSUMS=$work/$who.sums "$build/bench/bench_lib_$who" \
    --benchmark_format=json --benchmark_out="$work/$who.json" "$@" > /dev/null
done

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
def load(who):
    runs = {b["name"]: b for b in json.load(open(f"{work}/{who}.json"))["benchmarks"]
            if b.get("run_type", "iteration") == "iteration"}
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
