#!/bin/sh
# Builds the training benchmark corpus: about 100 MB of real, non-repeated
# multilingual text from Debian documentation packages (manuals, man page
# translations, help systems, fortune collections), at least 20% Chinese and
# Japanese.
#
#   scripts/make_corpus.sh [OUT_DIR]      (default: ./corpus)
#
# Writes into OUT_DIR:
#   corpus.txt           everything, ~100 MB (bench/bench_train.sh uses it)
#   en.txt zh.txt ja.txt other.txt
#                        the same lines by language group (the BPE quality
#                        check, scripts/bpe_quality.sh, uses en, zh and ja)
#   SOURCES.txt          the packages and versions used, and the sizes
# One line = one paragraph. Every line occurs once in the whole corpus.
# Needs: apt-get (Debian 12 sources; run `apt-get update` first), dpkg-deb,
# /usr/bin/python3. Downloads ~150 MB of .deb files into OUT_DIR/debs (kept
# for reruns); nothing is installed.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-corpus}
TARGET_BYTES=${SPM_CORPUS_BYTES:-104857600}  # 100 MiB

PACKAGES="
  linux-doc-6.1 python3.11-doc debian-reference-en debian-handbook
  debian-reference-de debian-reference-fr debian-reference-es debian-reference-it
  manpages-de manpages-fr manpages-es manpages-ru manpages-pl manpages-it
  fortunes-de fortunes-ru
  manpages-ja manpages-ja-dev debian-reference-ja maint-guide-ja developers-reference-ja
  manpages-zh fortunes-zh debian-reference-zh-cn debian-reference-zh-tw debian-faq-zh-cn
  maint-guide-zh-cn maint-guide-zh-tw libreoffice-help-zh-cn libreoffice-help-zh-tw
  libreoffice-help-en-us libreoffice-help-de libreoffice-help-fr libreoffice-help-es
  libreoffice-help-ru debian-policy
"

mkdir -p "$OUT/debs"
OUT=$(cd "$OUT" && pwd)
cd "$OUT/debs"
for p in $PACKAGES; do
  ls "${p}"_*.deb > /dev/null 2>&1 || apt-get download "$p"
done

rm -rf "$OUT/tree" "$OUT/parts"
mkdir -p "$OUT/tree"
for d in "$OUT"/debs/*.deb; do dpkg-deb -x "$d" "$OUT/tree"; done
/usr/bin/python3 "$HERE/corpus_extract.py" "$OUT/tree" "$OUT/parts"

# Remove repeated lines (across all groups; the first occurrence stays) and
# cut the groups so that the whole is TARGET_BYTES: Chinese and Japanese are
# kept whole, English and the other languages share the rest.
/usr/bin/python3 - "$OUT" "$TARGET_BYTES" <<'PY'
import os, sys
out, target = sys.argv[1], int(sys.argv[2])
seen = set()
groups = {}
for g in ("zh", "ja", "en", "other"):
    lines = []
    with open(os.path.join(out, "parts", g + ".txt"), encoding="utf-8") as f:
        for line in f:
            if line not in seen:
                seen.add(line)
                lines.append(line)
    groups[g] = lines
size = lambda ls: sum(len(l.encode("utf-8")) for l in ls)
cjk = size(groups["zh"]) + size(groups["ja"])
rest = target - cjk
for g in ("en", "other"):
    share = rest // 2 if g == "en" else rest - size(groups["en"])
    kept, n = [], 0
    for line in groups[g]:
        b = len(line.encode("utf-8"))
        if n + b > share:
            break
        kept.append(line)
        n += b
    groups[g] = kept
with open(os.path.join(out, "corpus.txt"), "w", encoding="utf-8") as all_f:
    for g in ("en", "zh", "ja", "other"):
        with open(os.path.join(out, g + ".txt"), "w", encoding="utf-8") as f:
            f.writelines(groups[g])
        all_f.writelines(groups[g])
total = sum(size(v) for v in groups.values())
with open(os.path.join(out, "SOURCES.txt"), "w") as f:
    for deb in sorted(os.listdir(os.path.join(out, "debs"))):
        f.write(deb + "\n")
    for g, v in groups.items():
        f.write("%s: %d lines, %d bytes (%.1f%%)\n" % (g, len(v), size(v), 100.0 * size(v) / total))
    f.write("total: %d bytes, Chinese+Japanese %.1f%%\n" % (total, 100.0 * cjk / total))
print("".join(open(os.path.join(out, "SOURCES.txt")).readlines()[-5:]))
PY
rm -rf "$OUT/tree" "$OUT/parts"
echo "corpus: $OUT/corpus.txt"
