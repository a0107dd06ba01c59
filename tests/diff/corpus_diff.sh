#!/usr/bin/env bash
# Whole-corpus differential check: our spm_encode (ids and pieces, on one
# thread and on all cores) against the reference's, on every line of a
# large text, output compared byte for byte. The sampled checks in the test
# suite (diff_test.py, random_lines_test.py) see thousands of lines; this
# sees all of them, for the word caches' rare cases (a tie decided by
# rounding, a word that starts a run of unknown pieces, ...). Long (about
# half a minute per model and format on 100 MB, most of it the
# reference's): run on demand, not in CI.
#
#   tests/diff/corpus_diff.sh BINDIR CORPUS [MODEL...]
#
# MODEL defaults to testdata/models/*.model; CORPUS is any text, e.g.
# corpus.txt of scripts/make_corpus.sh. Prints one line per model and
# format; on a difference, the first differing line of input, or on
# different exit statuses both programs' last message. Exit status: 0 all
# identical, 1 a difference, 2 bad arguments, 77 reference not installed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 2 ]; then
  echo "usage: $0 BINDIR CORPUS [MODEL...]" >&2
  exit 2
fi
bindir=$1
corpus=$2
shift 2
ref=${SPM_REF_ENCODE:-/usr/bin/spm_encode}
[ -x "$ref" ] || { echo "reference $ref not installed: skipped" >&2; exit 77; }
[ -r "$corpus" ] || { echo "cannot read corpus $corpus" >&2; exit 2; }
models=("$@")
[ ${#models[@]} -gt 0 ] || models=("$here"/../../testdata/models/*.model)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status=0
for model in "${models[@]}"; do
  for format in id piece; do
    "$ref" --model="$model" --output_format="$format" "$corpus" > "$work/ref" 2> "$work/ref_err"
    ref_rc=$?
    verdict=identical
    for threads in 1 0; do  # 0: the default, every core.
      flags=(--model="$model" --output_format="$format")
      [ "$threads" = 1 ] && flags+=(--num_threads=1)
      "$bindir/spm_encode" "${flags[@]}" "$corpus" > "$work/ours" 2> "$work/ours_err"
      ours_rc=$?
      if [ "$ours_rc" != "$ref_rc" ]; then
        verdict="exit status $ours_rc, reference $ref_rc (threads: ${threads/0/all}); ours: $(tail -n 1 "$work/ours_err"); reference: $(tail -n 1 "$work/ref_err")"
      elif ! cmp -s "$work/ref" "$work/ours"; then
        # cmp names the first differing line of output: one per input line.
        line=$(cmp "$work/ref" "$work/ours" 2>&1 | sed -n 's/.* line \([0-9]*\).*/\1/p')
        verdict="DIFFERENT (threads: ${threads/0/all}) from input line ${line:-?}: $(sed -n "${line:-1}p" "$corpus" | head -c 200)"
      else
        continue
      fi
      status=1
      break
    done
    printf '%s %s %s lines: %s\n' "$(basename "$model")" "$format" \
      "$(wc -l < "$work/ref")" "$verdict"
  done
done
exit $status
