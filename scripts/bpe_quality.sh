#!/usr/bin/env bash
# BPE quality against the reference: for English, Chinese and Japanese text
# from the benchmark corpus (scripts/make_corpus.sh), at 8k and 32k pieces:
#   * overlap: the share of the reference's learned pieces (meta and byte
#     pieces excluded) that our model also learned (acceptance: >= 98%);
#   * tokens per byte on held-out lines (every 20th line, 5%, kept out of
#     training), each model encoding with its own tool (acceptance: within
#     +-0.5% of the reference's).
#
#   scripts/bpe_quality.sh [BIN_DIR]
#
# Environment: SPM_CORPUS (default ./corpus), MB (text per language,
# default 12), LANGS (default "en zh ja"), VOCABS (default "8000 32000").
set -euo pipefail
bin=$(realpath "${1:-$(dirname "$0")/../build/bin}")
cd "$(dirname "$0")/.."
corpus=${SPM_CORPUS:-corpus}
mb=${MB:-12}
langs=${LANGS:-"en zh ja"}
vocabs=${VOCABS:-"8000 32000"}
[ -f "$corpus/corpus.txt" ] || bash scripts/make_corpus.sh "$corpus" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf "%-4s %6s %9s %12s %12s %8s\n" lang vocab overlap% ref_tok/B our_tok/B diff%
status=0
for lang in $langs; do
  head -c $((mb * 1000000)) "$corpus/$lang.txt" | sed '$d' > "$work/all.txt"
  awk 'NR % 20 == 0' "$work/all.txt" > "$work/heldout.txt"
  awk 'NR % 20 != 0' "$work/all.txt" > "$work/train.txt"
  bytes=$(stat -c %s "$work/heldout.txt")
  for v in $vocabs; do
    flags=(--input="$work/train.txt" --model_type=bpe --vocab_size="$v" --minloglevel=1)
    spm_train "${flags[@]}" --model_prefix="$work/ref" > /dev/null 2>&1
    "$bin/spm_train" "${flags[@]}" --model_prefix="$work/ours" --num_threads=2 > /dev/null 2>&1
    ref_tok=$(spm_encode --model="$work/ref.model" < "$work/heldout.txt" | wc -w)
    our_tok=$("$bin/spm_encode" --model="$work/ours.model" < "$work/heldout.txt" | wc -w)
    /usr/bin/python3 - "$work" "$lang" "$v" "$ref_tok" "$our_tok" "$bytes" <<'PY' || status=1
import re, sys
work, lang, v, ref_tok, our_tok, nbytes = sys.argv[1], sys.argv[2], sys.argv[3], *map(int, sys.argv[4:])
def learned(p):
    out = set()
    for line in open(p, encoding="utf-8"):
        piece = line.split("\t")[0]
        if not re.fullmatch(r"<0x[0-9A-F]{2}>|<unk>|<s>|</s>", piece):
            out.add(piece)
    return out
ref, ours = learned(work + "/ref.vocab"), learned(work + "/ours.vocab")
overlap = 100.0 * len(ref & ours) / len(ref)
diff = 100.0 * (our_tok - ref_tok) / ref_tok
print("%-4s %6s %9.2f %12.5f %12.5f %+8.3f" % (lang, v, overlap, ref_tok / nbytes, our_tok / nbytes, diff))
sys.exit(0 if overlap >= 98.0 and abs(diff) <= 0.5 else 1)
PY
  done
done
exit $status
