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
source "$(dirname "$0")/quality_common.sh"
quality_setup "$@"
printf "%-4s %6s %9s %12s %12s %8s\n" lang vocab overlap% ref_tok/B our_tok/B diff%
status=0
for lang in $langs; do
  split_heldout "$lang"
  for v in $vocabs; do
    flags=(--input="$work/train.txt" --model_type=bpe --vocab_size="$v" --minloglevel=1)
    spm_train "${flags[@]}" --model_prefix="$work/ref" > /dev/null 2>&1
    "$bin/spm_train" "${flags[@]}" --model_prefix="$work/ours" --num_threads=2 > /dev/null 2>&1
    ref_tok=$(count_tokens spm_encode "$work/ref.model")
    our_tok=$(count_tokens "$bin/spm_encode" "$work/ours.model")
    quality_py "$work" "$lang" "$v" "$ref_tok" "$our_tok" "$bytes" <<'PY' || status=1
import sys
from quality_common import compare
work, lang, v, ref_tok, our_tok, nbytes = sys.argv[1], sys.argv[2], sys.argv[3], *map(int, sys.argv[4:])
overlap, ref_tpb, our_tpb, diff = compare(work + "/ref.vocab", work + "/ours.vocab", ref_tok,
                                          our_tok, nbytes)
print("%-4s %6s %9.2f %12.5f %12.5f %+8.3f" % (lang, v, overlap, ref_tpb, our_tpb, diff))
sys.exit(0 if overlap >= 98.0 and abs(diff) <= 0.5 else 1)
PY
  done
done
exit $status
