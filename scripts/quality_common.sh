# What scripts/bpe_quality.sh and scripts/unigram_quality.sh share, sourced
# by both: the setup (build, corpus, scratch directory), the held-out split
# and the token counts. The overlap and tokens-per-byte figures are in
# scripts/quality_common.py, which quality_py makes importable.

# Sets bin (the build's tools: $1, default build/bin), corpus, mb, langs,
# vocabs (from the environment, see the scripts) and work (a scratch
# directory removed on exit); makes the corpus if needed; changes to the
# repository root.
quality_setup() {
  bin=$(realpath "${1:-$(dirname "$0")/../build/bin}")
  cd "$(dirname "$0")/.."
  corpus=${SPM_CORPUS:-corpus}
  mb=${MB:-12}
  langs=${LANGS:-"en zh ja"}
  vocabs=${VOCABS:-"8000 32000"}
  [ -f "$corpus/corpus.txt" ] || bash scripts/make_corpus.sh "$corpus" >&2
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
}

# The first $mb MB of language $1 (whole lines), split into
# $work/heldout.txt (every 20th line, 5%) and $work/train.txt (the rest);
# sets bytes to the size of the held-out text.
split_heldout() {
  head -c $((mb * 1000000)) "$corpus/$1.txt" | sed '$d' > "$work/all.txt"
  awk 'NR % 20 == 0' "$work/all.txt" > "$work/heldout.txt"
  awk 'NR % 20 != 0' "$work/all.txt" > "$work/train.txt"
  bytes=$(stat -c %s "$work/heldout.txt")
}

# The number of pieces spm_encode $1 (a tool) makes of the held-out text with
# the model $2.
count_tokens() {
  "$1" --model="$2" < "$work/heldout.txt" | wc -w
}

# Runs the python program on stdin with arguments "$@", scripts/ on its path.
quality_py() {
  PYTHONPATH="$PWD/scripts${PYTHONPATH:+:$PYTHONPATH}" /usr/bin/python3 - "$@"
}
