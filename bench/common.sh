# Sourced by the benchmark scripts (bench_encode.sh, bench_cold.sh,
# bench_lib.sh): their settings, scratch directory, the texts they time and
# the figures they print.

# The tool benchmarks' settings (bench_encode.sh, bench_cold.sh): bin (the
# build's tools: $1, default build/bin beside the script's directory),
# corpus, mb and models (SPM_CORPUS, MB, MODELS); changes to the repository
# root. Call before anything reads a path relative to the caller's
# directory.
bench_tool_settings() {
  bin=$(realpath "${1:-$(dirname "$0")/../build/bin}")
  cd "$(dirname "$0")/.."
  corpus=${SPM_CORPUS:-corpus}
  mb=${MB:-20}
  models=${MODELS:-"llama2 albert_spiece"}
}

# Makes the corpus in directory $1 if it is not there
# (scripts/make_corpus.sh), and sets `work` to a scratch directory removed
# on exit.
bench_setup() {
  [ -f "$1/corpus.txt" ] || bash scripts/make_corpus.sh "$1" >&2
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
}

# MB/s of $1 bytes in $2 seconds; the ratio of two times, one decimal.
mbps() { echo "scale=2; $1 / 1000000 / ($2 + 0.0001)" | bc -l; }
ratio() { echo "scale=1; $1 / ($2 + 0.0001)" | bc -l; }

#   bench_texts DIR CORPUS MB TEXTS
#
# Writes DIR/<text>.txt for each of TEXTS (en zh ja mix code), MB megabytes
# each (zh and ja may be shorter: the corpus has less), from CORPUS as
# scripts/make_corpus.sh writes it:
#   en, zh, ja  the first MB megabytes of CORPUS/<text>.txt;
#   mix         lines of the whole corpus in a fixed shuffled order;
#   code        C/C++ headers and Python under /usr/include and
#               /usr/share/doc, files in sorted order (what the machine
#               has installed: compare its ratios, not its MB/s, across
#               machines).
bench_texts() {
  local dir=$1 corpus=$2 mb=$3 texts=$4 text bytes
  bytes=$((mb * 1000000))
  for text in $texts; do
    case $text in
      en | zh | ja) head -c "$bytes" "$corpus/$text.txt" > "$dir/$text.txt" ;;
      # (shuf and find/xargs die of SIGPIPE when head has enough: not an
      # error.)
      mix) { shuf --random-source=<(yes) "$corpus/corpus.txt" || true; } |
             head -c "$bytes" > "$dir/mix.txt" ;;
      code) { find /usr/include /usr/share/doc -type f \
                \( -name '*.h' -o -name '*.hpp' -o -name '*.py' \) -print0 |
                LC_ALL=C sort -z | xargs -0 cat 2>/dev/null || true; } |
              head -c "$bytes" > "$dir/code.txt" ;;
      *) echo "bench_texts: unknown text '$text' (en zh ja mix code)" >&2; return 1 ;;
    esac
  done
}
