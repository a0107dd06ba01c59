#!/usr/bin/env bash
# First-run encoding speed: spm_encode to ids, ours (one and two threads)
# beside the reference, each run started after a pause of a few seconds.
# Prints MB/s, the ratios and whether the outputs are identical. Not a
# test.
#
#   bench/bench_cold.sh [BIN_DIR]
#
# Environment: SPM_CORPUS, MB, MODELS as for bench/bench_encode.sh;
#   TEXTS   texts to run (default: en zh ja mix; see bench/common.sh)
#   REPEAT  rounds, best kept (default 3)
#   PAUSE   seconds before each run (default 3)
#
# Why: bench_encode.sh times each of our runs right after another run of
# ours, on memory that run just freed. On a VM whose host takes back
# memory the guest has freed for a few seconds (virtio balloon free page
# reporting, as on the development VM), a one-off run (a script that
# encodes one file) touches memory the host must fault in again: ~1.5-2.5
# ms per 2 MB huge page there, against ~0.1 ms for memory freed a moment
# before. Both programs pay it here, each for the memory it touches.
# "1c" is CPU time (user + system), one thread (--num_threads=1), as in
# bench_encode.sh; "2c" wall time with --num_threads=2 (a run with the
# default, all cores, on this 2-core machine), its ratio against the
# reference's one-thread CPU time.
set -euo pipefail
. "$(dirname "$0")/common.sh"
bench_tool_settings "${1:-}"
texts=${TEXTS:-"en zh ja mix"}
repeat=${REPEAT:-3}
pause=${PAUSE:-3}
bench_setup "$corpus"
bench_texts "$work" "$corpus" "$mb" "$texts"

printf '%-14s %-4s %9s %9s %9s %7s %7s %s\n' model text ref_MB/s 1c_MB/s 2c_MB/s x1c x2c identical
for m in $models; do
  model=testdata/models/$m.model
  for text in $texts; do
    in=$work/$text.txt
    bytes=$(stat -c %s "$in")
    mapfile -t times < <(python3 bench/interleave.py --pause="$pause" "$repeat" "$work" \
      cpu spm_encode --model="$model" --output_format=id "$in" ";;" \
      cpu "$bin/spm_encode" --num_threads=1 --model="$model" --output_format=id "$in" ";;" \
      wall "$bin/spm_encode" --num_threads=2 --model="$model" --output_format=id "$in")
    [ "${#times[@]}" = 3 ] || { echo "bench_cold.sh: timing $m $text failed" >&2; exit 1; }
    same=yes
    for k in 1 2; do cmp -s "$work/out.$k" "$work/out.0" || same=no; done
    printf '%-14s %-4s %9s %9s %9s %7s %7s %s\n' "$m" "$text" "$(mbps "$bytes" "${times[0]}")" \
      "$(mbps "$bytes" "${times[1]}")" "$(mbps "$bytes" "${times[2]}")" \
      "$(ratio "${times[0]}" "${times[1]}")" "$(ratio "${times[0]}" "${times[2]}")" "$same"
  done
done
