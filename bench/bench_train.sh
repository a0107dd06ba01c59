#!/usr/bin/env bash
# Training speed and memory: our spm_train beside the reference's, same
# corpus and flags, one run each. Prints wall time, CPU time and peak RSS
# (from /usr/bin/time) and the ratios ours/reference. Not a test.
#
#   bench/bench_train.sh [BIN_DIR]
#
# Environment:
#   SPM_CORPUS   directory written by scripts/make_corpus.sh (default ./corpus;
#                built if missing); its corpus.txt is the input
#   MB           use only the first MB megabytes of corpus.txt (default: all)
#   VOCAB        vocab_size (default 32000)
#   TYPES        model types to run (default: bpe; e.g. "bpe unigram")
#   FLAGS        extra flags for both trainers
#   SKIP_REF     1 = run ours only
# Ours runs with --num_threads=2 (both cores). The reference runs with its
# default for BPE (its BPE trainer is single-threaded anyway) and with
# --num_threads=2 for Unigram (its E-step and pruning use threads).
set -euo pipefail
bin=$(realpath "${1:-$(dirname "$0")/../build/bin}")
cd "$(dirname "$0")/.."
corpus=${SPM_CORPUS:-corpus}
vocab=${VOCAB:-32000}
types=${TYPES:-bpe}
flags=${FLAGS:-}
[ -f "$corpus/corpus.txt" ] || bash scripts/make_corpus.sh "$corpus" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
input="$corpus/corpus.txt"
if [ -n "${MB:-}" ]; then
  head -c $((MB * 1000000)) "$input" | sed '$d' > "$work/input.txt"
  input="$work/input.txt"
fi
size=$(stat -c %s "$input")
echo "input: $input ($((size / 1000000)) MB), vocab_size=$vocab $flags"
printf "%-8s %-5s %10s %10s %10s\n" type who wall_s cpu_s rss_MB

# run NAME TYPE CMD...: prints one row and leaves "wall rss" in $work/NAME
run() {
  local name=$1 type=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.$name" "$@" > "$work/log.$name" 2>&1 || {
    echo "$name failed:"; tail -5 "$work/log.$name"; return 1; }
  read -r wall user sys rss < "$work/time.$name"
  printf "%-8s %-5s %10.2f %10.2f %10.1f\n" "$type" "$name" "$wall" \
    "$(echo "$user + $sys" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
  echo "$wall $rss" > "$work/$name"
}

for type in $types; do
  common=(--input="$input" --model_type="$type" --vocab_size="$vocab" $flags)
  run ours "$type" "$bin/spm_train" "${common[@]}" --model_prefix="$work/ours" --num_threads=2
  if [ "${SKIP_REF:-0}" != 1 ]; then
    ref_threads=()
    [ "$type" = unigram ] && ref_threads=(--num_threads=2)
    run ref "$type" spm_train "${common[@]}" --model_prefix="$work/ref" "${ref_threads[@]}"
    read -r ow orss < "$work/ours"
    read -r rw rrss < "$work/ref"
    printf "%-8s ratio ours/ref: wall %.3f (%.1fx faster), peak RSS %.3f\n" "$type" \
      "$(echo "$ow / $rw" | bc -l)" "$(echo "$rw / $ow" | bc -l)" "$(echo "$orss / $rrss" | bc -l)"
    # Learned pieces in common (meta and byte pieces excluded).
    /usr/bin/python3 - "$work/ours.vocab" "$work/ref.vocab" <<'PY'
import re, sys
def learned(p):
    out = []
    for line in open(p, encoding="utf-8"):
        piece = line.split("\t")[0]
        if re.fullmatch(r"<0x[0-9A-F]{2}>|<unk>|<s>|</s>", piece):
            continue
        out.append(piece)
    return out
a, b = learned(sys.argv[1]), learned(sys.argv[2])
print("pieces in common with the reference: %.2f%% (%d of %d)" %
      (100.0 * len(set(a) & set(b)) / max(1, len(b)), len(set(a) & set(b)), len(b)))
PY
  fi
done
