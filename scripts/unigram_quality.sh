#!/usr/bin/env bash
# Unigram quality against the reference: for English, Chinese and Japanese
# text from the benchmark corpus (scripts/make_corpus.sh), at 8k and 32k
# pieces, the reference trained with --num_threads=2:
#   * overlap: the share of the reference's learned pieces (meta and byte
#     pieces excluded) that our model also learned (acceptance: >= 93%);
#   * tokens per byte on held-out lines (every 20th line, 5%, kept out of
#     training), each model encoding with its own spm_encode (acceptance:
#     within +-1% of the reference's, or fewer);
#   * held-out log-likelihood per byte: the score of each line's Viterbi
#     segmentation under the model's own scores (the sum of its pieces'
#     scores; an unknown character scores min_score - 10 as in the
#     lattice), computed with the reference's Python module for both models
#     (acceptance: ours >= the reference's).
# Reference models are cached in $REF_CACHE (default /work/ref-unigram),
# keyed by language, size and vocabulary, since they take minutes to train.
#
#   scripts/unigram_quality.sh [BIN_DIR]
#
# Environment: SPM_CORPUS (default ./corpus), MB (text per language,
# default 12), LANGS (default "en zh ja"), VOCABS (default "8000 32000").
set -euo pipefail
source "$(dirname "$0")/quality_common.sh"
quality_setup "$@"
cache=${REF_CACHE:-/work/ref-unigram}
mkdir -p "$cache"
printf "%-4s %6s %9s %10s %10s %7s %10s %10s %7s %7s\n" lang vocab overlap% ref_tok/B our_tok/B diff% \
  ref_ll/B our_ll/B ref_s our_s
status=0
for lang in $langs; do
  split_heldout "$lang"
  for v in $vocabs; do
    flags=(--input="$work/train.txt" --model_type=unigram --vocab_size="$v" --minloglevel=1)
    ref="$cache/${lang}_${mb}mb_${v}"
    ref_s=cached
    if [ ! -f "$ref.model" ]; then
      start=$(date +%s.%N)
      spm_train "${flags[@]}" --num_threads=2 --model_prefix="$ref" > /dev/null 2>&1
      ref_s=$(echo "$(date +%s.%N) - $start" | bc | xargs printf "%.1f")
    fi
    start=$(date +%s.%N)
    "$bin/spm_train" "${flags[@]}" --model_prefix="$work/ours" --num_threads=2 > /dev/null 2>&1
    our_s=$(echo "$(date +%s.%N) - $start" | bc | xargs printf "%.1f")
    ref_tok=$(count_tokens spm_encode "$ref.model")
    our_tok=$(count_tokens "$bin/spm_encode" "$work/ours.model")
    quality_py "$work" "$ref" "$lang" "$v" "$ref_tok" "$our_tok" "$bytes" "$ref_s" "$our_s" <<'PY' || status=1
import sys
import sentencepiece as spm
from quality_common import compare
work, ref, lang, v = sys.argv[1:5]
ref_tok, our_tok, nbytes = map(int, sys.argv[5:8])
ref_s, our_s = sys.argv[8:10]
def loglik(model, lines):
    sp = spm.SentencePieceProcessor(model_file=model)
    scores = [sp.get_score(i) for i in range(sp.get_piece_size())]
    normal = [s for i, s in enumerate(scores) if not (sp.is_unknown(i) or sp.is_control(i))]
    unk = min(normal) - 10.0
    total = 0.0
    for ids in sp.encode(lines):
        total += sum(unk if sp.is_unknown(i) else scores[i] for i in ids)
    return total
lines = [l.rstrip("\n") for l in open(work + "/heldout.txt", encoding="utf-8")]
overlap, ref_tpb, our_tpb, diff = compare(ref + ".vocab", work + "/ours.vocab", ref_tok, our_tok,
                                          nbytes)
ref_ll, our_ll = loglik(ref + ".model", lines) / nbytes, loglik(work + "/ours.model", lines) / nbytes
print("%-4s %6s %9.2f %10.5f %10.5f %+7.3f %10.5f %10.5f %7s %7s" % (
    lang, v, overlap, ref_tpb, our_tpb, diff, ref_ll, our_ll, ref_s, our_s))
sys.exit(0 if overlap >= 93.0 and diff <= 1.0 and our_ll >= ref_ll else 1)
PY
  done
done
exit $status
