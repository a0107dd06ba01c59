#!/usr/bin/env bash
# Worst-case encoding inputs: one line without spaces, at 100 KB and 10 MB,
# ours beside the reference. Checks that nothing is superlinear (time per
# byte at 10 MB within 2x of that at 100 KB) and prints the speed-up over
# the reference and whether outputs are identical. Not a test.
#
#   bench/bench_worstcase.sh [BIN_DIR]
#
# Inputs (each one line):
#   cjk          Japanese text (SPM_CORPUS/ja.txt), newlines and spaces
#                removed: one word of 10 MB
#   random       random bytes, newlines removed (fixed seed; invalid UTF-8,
#                NULs and a space every 256 bytes or so included)
#   random_nosp  the same without spaces: one word
# Environment: SPM_CORPUS (default ./corpus), MODELS (default: llama2
# albert_spiece), SMALL/LARGE sizes in bytes (default 100000/10000000).
#
# Times are CPU seconds (user + system: page faults count) of `spm_encode --num_threads=1
# --output_format=id` minus the same run on a one-word input (model load),
# best of 3 (5 for the small input); ns/B is per input byte. The small input
# is 20 lines of SMALL bytes.
set -euo pipefail
bin=$(realpath "${1:-$(dirname "$0")/../build/bin}")
cd "$(dirname "$0")/.."
corpus=${SPM_CORPUS:-corpus}
models=${MODELS:-"llama2 albert_spiece"}
small=${SMALL:-100000}
large=${LARGE:-10000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Enough Japanese text for the inputs, repeated if the corpus is short.
while [ "$(stat -c %s "$work/ja" 2>/dev/null || echo 0)" -lt $((large > 20 * small ? large : 20 * small)) ]; do
  tr -d ' \n' < "$corpus/ja.txt" >> "$work/ja"
done
# The small case is 20 different lines of `small` bytes each (one line would
# take too little time to measure); each line is encoded on its own, so the
# time per byte is that of a `small`-byte line.
for size in "$small" "$large"; do
  lines=1; [ "$size" = "$small" ] && lines=20
  : > "$work/cjk.$size"
  for i in $(seq 0 $((lines - 1))); do
    dd if="$work/ja" iflag=skip_bytes,count_bytes skip=$((i * size)) count="$size" \
      status=none >> "$work/cjk.$size"
    echo >> "$work/cjk.$size"
  done
  # Deterministic random bytes (seeded), newlines removed.
  /usr/bin/python3 -c 'import random, sys
n, lines = int(sys.argv[1]), int(sys.argv[2])
r = random.Random(7)
for _ in range(lines):
    sys.stdout.buffer.write(r.randbytes(n * 2).replace(b"\n", b"")[:n] + b"\n")' \
    "$size" "$lines" > "$work/random.$size"
  tr -d ' ' < "$work/random.$size" > "$work/random_nosp.$size"
done
# The load baseline encodes one short word, so lazily built tables count as
# load.
echo "hello" > "$work/empty"

/usr/bin/python3 - "$bin" "$work" "$small" "$large" $models <<'EOF'
import os, resource, subprocess, sys

bin_dir, work, small, large, models = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]

def run(cmd, out):
    cpu = lambda r: r.ru_utime + r.ru_stime
    before = cpu(resource.getrusage(resource.RUSAGE_CHILDREN))
    with open(out, "wb") as f:
        subprocess.run(cmd, stdout=f, stderr=subprocess.DEVNULL, check=True)
    return cpu(resource.getrusage(resource.RUSAGE_CHILDREN)) - before

def best(cmd, path, repeat):
    return min(run(cmd + [path], os.path.join(work, "out")) for _ in range(repeat))

print(f"{'model':14} {'text':11} {'ns/B 100K':>10} {'ns/B 10M':>9} {'10M/100K':>9} "
      f"{'ref ns/B 10M':>12} {'x ref':>6} identical")
for m in models:
    model = f"testdata/models/{m}.model"
    ours = [f"{bin_dir}/spm_encode", "--num_threads=1", f"--model={model}", "--output_format=id"]
    ref = ["spm_encode", f"--model={model}", "--output_format=id"]
    load = best(ours, os.path.join(work, "empty"), 5)
    ref_load = best(ref, os.path.join(work, "empty"), 3)
    for text in ["cjk", "random", "random_nosp"]:
        t_small = max(best(ours, os.path.join(work, f"{text}.{small}"), 5) - load, 1e-6)
        t_large = max(best(ours, os.path.join(work, f"{text}.{large}"), 3) - load, 1e-6)
        path = os.path.join(work, f"{text}.{large}")
        run(ours + [path], os.path.join(work, "ours.ids"))
        t_ref = max(run(ref + [path], os.path.join(work, "ref.ids")) - ref_load, 1e-6)
        same = open(os.path.join(work, "ours.ids"), "rb").read() == \
            open(os.path.join(work, "ref.ids"), "rb").read()
        ns_small, ns_large = t_small / (20 * small) * 1e9, t_large / large * 1e9
        print(f"{m:14} {text:11} {ns_small:10.2f} {ns_large:9.2f} {ns_large / ns_small:9.2f} "
              f"{t_ref / large * 1e9:12.2f} {t_ref / t_large:6.1f} {'yes' if same else 'no'}")
EOF
