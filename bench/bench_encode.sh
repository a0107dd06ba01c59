#!/usr/bin/env bash
# Encoding throughput: our spm_encode beside the reference's, same input,
# same models, one run. Prints MB/s for each and the ratio. Not a test.
#
#   bench/bench_encode.sh [BIN_DIR] [MB]
#
# Input: the corpora of ../shared/data/corpora (or testdata/text/sample),
# concatenated and repeated up to MB megabytes (default 20).
set -euo pipefail
bin=$(realpath "${1:-$(dirname "$0")/../build/bin}")
cd "$(dirname "$0")/.."
mb=${2:-20}
corpus_dir=../shared/data/corpora
[ -d "$corpus_dir" ] || corpus_dir=testdata/text/sample
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

input=$work/input.txt
while [ "$(stat -c %s "$input" 2>/dev/null || echo 0)" -lt $((mb * 1000000)) ]; do
  cat "$corpus_dir"/*.txt >> "$input"
done
head -c $((mb * 1000000)) "$input" > "$work/in.txt"
bytes=$(stat -c %s "$work/in.txt")
echo "input: $bytes bytes from $corpus_dir"

time_of() {  # prints seconds taken by the command
  local start end
  start=$(date +%s.%N)
  "$@" > "$work/out.txt"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

printf '%-34s %-6s %10s %10s %8s %s\n' model format ref_MB/s ours_MB/s ratio identical
for model in testdata/models/llama2.model testdata/models/albert_spiece.model \
             testdata/models/bpemb_en_vs100000.model testdata/models/spm_test_ja_model.model; do
  for fmt in id piece; do
    t_ref=$(time_of spm_encode --model="$model" --output_format=$fmt "$work/in.txt")
    cp "$work/out.txt" "$work/ref.txt"
    t_ours=$(time_of "$bin"/spm_encode --model="$model" --output_format=$fmt "$work/in.txt")
    same=no; cmp -s "$work/out.txt" "$work/ref.txt" && same=yes
    printf '%-34s %-6s %10.2f %10.2f %8.2f %s\n' "$(basename "$model")" $fmt \
      "$(echo "$bytes / 1000000 / $t_ref" | bc -l)" "$(echo "$bytes / 1000000 / $t_ours" | bc -l)" \
      "$(echo "$t_ref / $t_ours" | bc -l)" $same
  done
done
