#!/usr/bin/env bash
# Encoding (to ids, and to pieces), decoding (ids, and pieces: spm_decode's
# default input) and model-load speed: ours
# beside the reference, same input, one run. Prints MB/s and ratios, and
# whether outputs are identical.
# Not a test.
#
#   bench/bench_encode.sh [BIN_DIR]
#
# Environment:
#   SPM_CORPUS  directory with en.txt zh.txt ja.txt corpus.txt, as written by
#               scripts/make_corpus.sh (default: ./corpus; built if missing)
#   MB          megabytes of each text to use (default 20; zh/ja files may be
#               shorter)
#   MODELS      models to run: names in testdata/models or absolute paths to
#               .model files (default: llama2 albert_spiece)
#   TEXTS       texts to run (default: en zh ja mix code; see bench/common.sh).
#               "code" is source code: indented lines, runs of spaces, tabs.
#   REPEAT      rounds per timing, best kept (default 5)
#
# Times: "1c" is CPU time (user + system) with --num_threads=1 (one core);
# "2c" is wall time with --num_threads=2. The reference runs on one thread
# and is timed the same way. (System time counts: page faults are part of
# a run's cost, and moving them to huge pages moves some of their cost to
# user time.) The reference's and our runs of one text alternate, round
# after round (bench/interleave.py), so that a ratio compares runs of the
# same minutes (the VM's speed drifts by 10-25% within minutes).
set -euo pipefail
. "$(dirname "$0")/common.sh"
bench_tool_settings "${1:-}"
repeat=${REPEAT:-5}
texts=${TEXTS:-"en zh ja mix code"}
bench_setup "$corpus"
bench_texts "$work" "$corpus" "$mb" "$texts"
# (Two decimals, truncated as bc does: the second thread's gain is judged
# against 1.85.)
ratio2() { echo "scale=2; $1 / ($2 + 0.0001)" | bc -l; }

# One row: encoding $in to --output_format=$2 (row label $1), the reference
# and ours in turn, round after round (bench/interleave.py). Each round's
# first run of ours is not counted (times[1]): on a VM that hands memory
# freed for a few seconds back to its host (virtio balloon free page
# reporting, as here), the first process to touch that memory again pays
# for it in system time (0.03-0.07 s for our ~50-60 MB), and without this run
# ours would always be the one that follows the reference's multi-second
# run, the reference never. Outputs are left in $work/out.0 (reference) to
# out.4.
#
# With ids, a sixth run per round measures what this machine gives a
# second process at all: two one-thread runs of ours side by side, each
# on half of the text's lines, wall time ("2p/1c": the one-thread wall
# time over theirs; each pays its own model load, a few ms). Two cores
# that share memory bandwidth, or a VM's second vCPU that its host runs
# slower, show here as well as in --num_threads=2, so the threads' figure
# can be read against it.
encode_row() {
  local what=$1 fmt=$2
  local pair=() expect=5
  if [ "$fmt" = id ]; then
    local one="'$bin/spm_encode' --num_threads=1 --model='$model' --output_format=id"
    pair=(";;" wall sh -c "$one '$in.half.aa' > /dev/null & $one '$in.half.ab' > /dev/null; wait")
    expect=6
  fi
  mapfile -t times < <(python3 bench/interleave.py "$repeat" "$work" \
    cpu spm_encode --model="$model" --output_format="$fmt" "$in" ";;" \
    cpu "$bin/spm_encode" --num_threads=1 --model="$model" --output_format="$fmt" "$in" ";;" \
    cpu "$bin/spm_encode" --num_threads=1 --model="$model" --output_format="$fmt" "$in" ";;" \
    wall "$bin/spm_encode" --num_threads=2 --model="$model" --output_format="$fmt" "$in" ";;" \
    wall "$bin/spm_encode" --num_threads=1 --model="$model" --output_format="$fmt" "$in" \
    "${pair[@]}")
  [ "${#times[@]}" = "$expect" ] || { echo "bench_encode.sh: timing $m $text $fmt failed" >&2; exit 1; }
  local r=${times[0]} o1=${times[2]} o2=${times[3]} o1w=${times[4]} same=yes k procs=-
  [ "$expect" = 6 ] && procs=$(ratio2 "$o1w" "${times[5]}")
  for k in 1 2 3 4; do cmp -s "$work/out.$k" "$work/out.0" || same=no; done
  printf '%-14s %-4s %-6s %9s %9s %9s %7s %7s %7s %s\n' "$m" "$text" "$what" "$(mbps "$bytes" "$r")" \
    "$(mbps "$bytes" "$o1")" "$(mbps "$bytes" "$o2")" "$(ratio "$r" "$o1")" "$(ratio2 "$o1w" "$o2")" \
    "$procs" "$same"
}

# One row: decoding file $3 (the reference's ids or pieces of the text;
# --input_format=$2) back to text, row label $1; MB/s count the text's bytes.
decode_row() {
  local what=$1 fmt=$2 from=$3 same=no
  mapfile -t times < <(python3 bench/interleave.py "$repeat" "$work" \
    cpu spm_decode --model="$model" --input_format="$fmt" "$from" ";;" \
    cpu "$bin/spm_decode" --model="$model" --input_format="$fmt" "$from")
  [ "${#times[@]}" = 2 ] || { echo "bench_encode.sh: timing $m $text $what failed" >&2; exit 1; }
  local r=${times[0]} o1=${times[1]}
  cmp -s "$work/out.1" "$work/out.0" && same=yes
  printf '%-14s %-4s %-6s %9s %9s %9s %7s %7s %7s %s\n' "$m" "$text" "$what" "$(mbps "$bytes" "$r")" \
    "$(mbps "$bytes" "$o1")" - "$(ratio "$r" "$o1")" - - "$same"
}

printf '%-14s %-4s %-6s %9s %9s %9s %7s %7s %7s %s\n' model text what ref_MB/s 1c_MB/s 2c_MB/s x1c x2c/x1c 2p/1c identical
for m in $models; do
  # A name from testdata/models, or a path to any .model file (such as the
  # 250k-piece ones of tests/diff/large_vocab_test.py --write-models).
  case $m in
    *.model) model=$m m=$(basename "$m" .model) ;;
    *) model=testdata/models/$m.model ;;
  esac
  for text in $texts; do
    in=$work/$text.txt
    bytes=$(stat -c %s "$in")
    [ -f "$in.half.aa" ] || split -n l/2 "$in" "$in.half."
    encode_row encode id
    cp "$work/out.0" "$work/ref.ids"
    encode_row pieces piece
    cp "$work/out.0" "$work/ref.pieces"
    decode_row decode id "$work/ref.ids"
    decode_row dec-pc piece "$work/ref.pieces"
  done
  # Model load to the first encode: one short line, best of 20 runs of
  # user+sys CPU time, read with wait4() (/usr/bin/time only has 10 ms
  # steps, longer than a load).
  echo "hello world" > "$work/one.txt"
  best() { best_on "$work/one.txt" "$@"; }
  best_on() { /usr/bin/python3 - "$@" <<'PY'
import os, subprocess, sys
text, cmd = sys.argv[1], sys.argv[2:]
best = float("inf")
for _ in range(20):
    with open(text, "rb") as f, open(os.devnull, "wb") as out:
        p = subprocess.Popen(cmd + [text], stdout=out, stderr=subprocess.DEVNULL)
        _, _, ru = os.wait4(p.pid, 0)
    best = min(best, ru.ru_utime + ru.ru_stime)
print(f"{best * 1000:.1f}")
PY
  }
  lr=$(best spm_encode --model="$model"); lo=$(best "$bin/spm_encode" --num_threads=1 --model="$model")
  printf '%-14s load: ref %s ms ours %s ms (ours/ref %s)\n' "$m" "$lr" "$lo" "$(echo "scale=2; $lo / ($lr + 0.0001)" | bc -l)"
  # One document: the first 50 KB of each text, load included, best of 20
  # (a model that has segmented this little keeps to hash lookups instead
  # of building its trie; the outputs are compared too).
  for text in $texts; do
    small=$work/small.$text.txt
    head -c 50000 "$work/$text.txt" > "$small"
    spm_encode --model="$model" --output_format=id "$small" > "$work/small.ref"
    "$bin/spm_encode" --num_threads=1 --model="$model" --output_format=id "$small" > "$work/small.ours"
    same=no
    cmp -s "$work/small.ref" "$work/small.ours" && same=yes
    sr=$(best_on "$small" spm_encode --model="$model" --output_format=id)
    so=$(best_on "$small" "$bin/spm_encode" --num_threads=1 --model="$model" --output_format=id)
    printf '%-14s %-4s 50 KB: ref %s ms ours %s ms (%sx, identical: %s)\n' "$m" "$text" "$sr" "$so" \
      "$(echo "scale=1; $sr / ($so + 0.0001)" | bc -l)" "$same"
  done
done
