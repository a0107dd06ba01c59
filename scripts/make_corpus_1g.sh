#!/bin/sh
# Builds the large training corpus (for the Unigram scale benchmark): real,
# non-repeated multilingual text from Debian 12 documentation, help,
# dictionary and translation packages, one npm package of classical Chinese
# poetry and the Aozora Bunko library of public-domain Japanese literature:
# all the Chinese and Japanese that Debian and npm hold (~133 MB), Aozora
# Bunko up to SPM_CJK_SHARE percent (default 30) of Chinese+Japanese, then
# English and the other languages up to SPM_CORPUS_BYTES (default
# 1,000,000,000). The default build is 1 GB (1,000,037,311 bytes,
# 10,853,633 lines) with 30.0% Chinese+Japanese (zh 103,314,294 bytes =
# 10.3%, 811,028 lines; ja 196,685,944 bytes = 19.7%, 916,174 lines, of
# which Aozora Bunko 167,092,189 bytes, 654,789 lines: the leading 25.1% of
# its 665 MB of unique text), English 270,540,753 bytes = 27.1% (2,912,905
# lines, all there is) and other languages 429,496,320 bytes = 42.9%
# (6,213,526 lines, over 100 languages: 70% of the 613 MB available). No
# line is longer than 4192 bytes (the trainer's max_sentence_length). See
# SOURCES.txt for what each source gives.
#
#   scripts/make_corpus_1g.sh [OUT_DIR]      (default: ./corpus1g)
#   SPM_CORPUS_BYTES=N scripts/make_corpus_1g.sh DIR   (another total size)
#   SPM_AOZORA=DIR scripts/make_corpus_1g.sh DIR
#        DIR: a clone of https://github.com/aozorahack/aozorabunko_text (or
#        a bare git directory of it: the text of its HEAD is read, and the
#        commit recorded in SOURCES.txt; a plain directory holding its
#        cards/ works too). When SPM_AOZORA is unset, the script runs
#        `git clone --depth 1 https://github.com/aozorahack/aozorabunko_text`
#        into OUT_DIR/aozorabunko_text (~0.8 GB, kept for reruns).
#        SPM_AOZORA=none leaves Aozora Bunko out (13% Chinese+Japanese).
#   SPM_CJK_SHARE=P    Chinese+Japanese share to reach with Aozora Bunko
#                      (percent of the total size; default 30)
#
# Writes into OUT_DIR:
#   corpus.txt           everything (en, zh, ja, other, in that order)
#   en.txt zh.txt ja.txt other.txt
#                        the same lines by language group
#   SOURCES.txt          the packages and versions used (and the Aozora
#                        Bunko commit), the bytes each gave to each group,
#                        and the totals
# One line = one paragraph (or one UI string, one poem, one dictionary
# sense). Every line occurs once in the whole corpus. A line's group is
# decided by its script (kana: Japanese; mostly Han: Chinese, or Japanese in
# a Japanese file), so the untranslated English in a Chinese or Japanese
# manual counts as English. English and other-language lines that look
# like code (statements, declarations, lone identifiers, mostly ASCII
# punctuation: code_like() in corpus_extract_more.py) are dropped; the
# converters already skip <pre>/<code> blocks and man page examples.
# All the Chinese and Japanese lines of Debian and npm are kept. Aozora
# Bunko (scripts/corpus_aozora.py: the Shift_JIS texts decoded; header,
# footer, ruby readings 《》｜ and editor's notes ［＃...］ removed, the
# characters given as notes restored; lines of fewer than 10 characters
# dropped, paragraphs over 4192 bytes cut after sentence ends; works that
# are not public domain left out) is cut to what brings Chinese+Japanese to
# SPM_CJK_SHARE: a leading share of its works, in the fixed order of a hash
# of the work number (so spread over all authors). English and the other
# languages are cut to fill the rest of the size (English at most half of
# the rest), every package keeping the same leading share of its lines.
#
# The 100 MB corpus (scripts/make_corpus.sh) is separate and unchanged; this
# script reuses its converters (scripts/corpus_extract.py) through
# scripts/corpus_extract_more.py, which adds GNOME help, gettext catalogs,
# Mozilla language packs, Scilab help, MediaWiki message files, dictd
# dictionaries and the poetry JSON.
#
# Needs: apt-get (Debian 12 sources; run `apt-get update` first), dpkg-deb,
# npm (the registry), git (and github.com unless SPM_AOZORA is given),
# /usr/bin/python3. Downloads ~3.0 GB of .deb files (542 packages) into
# OUT_DIR/debs and one npm tarball into OUT_DIR/npm (both kept for reruns);
# nothing is installed. The default build took 29 minutes (28:48 wall, 21
# CPU minutes; 1.3 GB of memory at most) with the 2 jobs of the default
# (SPM_JOBS=1: one) on a busy 2-core machine, niced, with the .deb files and
# the Aozora Bunko text already there (Aozora Bunko itself takes 1-2
# minutes); downloading adds to that. An interrupted run resumes where it
# stopped (OUT_DIR/parts keeps what was extracted; SPM_KEEP_PARTS=1 keeps it
# after a finished run too).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-corpus1g}
TARGET_BYTES=${SPM_CORPUS_BYTES:-1000000000}
JOBS=${SPM_JOBS:-2}

# Chinese and Japanese: every such documentation, help or translation
# package of Debian 12 that holds real text (PDF-only ones are left out).
CJK_PACKAGES="
  manpages-ja manpages-ja-dev manpages-zh fortunes-zh
  debian-reference-ja debian-reference-zh-cn debian-reference-zh-tw
  maint-guide-ja maint-guide-zh-cn maint-guide-zh-tw developers-reference-ja
  debian-faq-ja debian-faq-zh-cn debian-policy-ja aptitude-doc-ja
  debian-edu-doc-ja debian-edu-doc-zh-cn debian-edu-doc-legacy-ja debian-edu-doc-legacy-zh-cn
  libreoffice-help-ja libreoffice-help-zh-cn libreoffice-help-zh-tw
  libreoffice-l10n-ja libreoffice-l10n-zh-cn libreoffice-l10n-zh-tw
  gimp-help-ja gimp-help-zh-cn kicad-doc-ja kicad-doc-zh
  lilypond-doc-html-ja lilypond-doc-html-zh scilab-doc-ja
  firefox-esr-l10n-ja firefox-esr-l10n-zh-cn firefox-esr-l10n-zh-tw
  thunderbird-l10n-ja thunderbird-l10n-zh-cn thunderbird-l10n-zh-tw
"
# Multilingual packages (Chinese and Japanese among their languages).
MULTI_PACKAGES="
  linux-doc-6.1 debian-handbook installation-guide-amd64 gnome-user-docs
  gcc-12-locales wordpress-l10n krita-l10n wesnoth-1.16-data freeciv-data inkscape
"
# English and other languages.
REST_PACKAGES="
  python3.11-doc debian-policy gnome-devel-docs gnucash-docs
  debian-reference-en debian-reference-de debian-reference-fr debian-reference-es
  debian-reference-it debian-reference-pt
  maint-guide maint-guide-es maint-guide-fr maint-guide-it maint-guide-ru
  developers-reference developers-reference-de developers-reference-fr
  developers-reference-it developers-reference-ru
  debian-faq debian-faq-de debian-faq-fr debian-faq-it debian-faq-ru
  manpages manpages-dev manpages-cs manpages-da manpages-de manpages-el manpages-es
  manpages-fi manpages-fr manpages-hu manpages-id manpages-it manpages-mk manpages-nb
  manpages-nl manpages-pl manpages-pt-br manpages-ro manpages-ru manpages-sr manpages-sv
  manpages-uk manpages-vi manpages-tr
  fortunes fortunes-de fortunes-ru fortunes-it fortunes-es fortunes-pl fortunes-cs
  libreoffice-help-ca libreoffice-help-cs libreoffice-help-da libreoffice-help-de
  libreoffice-help-dz libreoffice-help-el libreoffice-help-en-gb libreoffice-help-en-us
  libreoffice-help-es libreoffice-help-et libreoffice-help-eu libreoffice-help-fi
  libreoffice-help-fr libreoffice-help-gl libreoffice-help-hi libreoffice-help-hu
  libreoffice-help-id libreoffice-help-it libreoffice-help-km libreoffice-help-ko
  libreoffice-help-nl libreoffice-help-om libreoffice-help-pl libreoffice-help-pt
  libreoffice-help-pt-br libreoffice-help-ru libreoffice-help-sk libreoffice-help-sl
  libreoffice-help-sv libreoffice-help-tr libreoffice-help-vi
  gimp-help-ca gimp-help-cs gimp-help-da gimp-help-de gimp-help-el gimp-help-en
  gimp-help-en-gb gimp-help-es gimp-help-fa gimp-help-fi gimp-help-fr gimp-help-hr
  gimp-help-hu gimp-help-it gimp-help-ko gimp-help-lt gimp-help-nl gimp-help-nn
  gimp-help-pt gimp-help-pt-br gimp-help-ro gimp-help-ru gimp-help-sl gimp-help-sv
  gimp-help-uk
  kicad-doc-ca kicad-doc-de kicad-doc-en kicad-doc-es kicad-doc-fr kicad-doc-id
  kicad-doc-it kicad-doc-pl kicad-doc-ru
  lilypond-doc-html lilypond-doc-html-ca lilypond-doc-html-cs lilypond-doc-html-de
  lilypond-doc-html-es lilypond-doc-html-fr lilypond-doc-html-hu lilypond-doc-html-it
  lilypond-doc-html-nl lilypond-doc-html-pt
"
# Large English references and books (API references lose their rendered
# source and index pages, and their code-like lines; see below), the
# dictd dictionaries (GCIDE = Webster 1913, WordNet, Jargon File, FOLDOC).
EN_PACKAGES="
  openjdk-17-doc erlang-doc rust-doc postgresql-doc-15 perl-doc python-django-doc
  git-doc libboost1.74-doc qtbase5-doc-html apache2-doc anarchism sqlite3-doc
  nodejs-doc octave-doc vim-doc zsh-doc gnuplot-doc maxima-doc python-scipy-doc
  python-pandas-doc sphinx-doc cmake-doc debian-history libgtk-4-doc bash-doc
  tcl8.6-doc exim4-doc-html postfix-doc bind9-doc libssl-doc ffmpeg-doc r-doc-html
  ghc-doc wireshark-doc rsyslog-doc haproxy-doc
  dict-gcide dict-wn dict-jargon dict-foldoc
"
# UI translations in many languages: MediaWiki's message files (~400
# languages), and every LibreOffice, Firefox ESR and Thunderbird language
# pack of Debian 12 (the ja/zh ones are in CJK_PACKAGES).
L10N_PACKAGES="
  mediawiki vlc-l10n digikam-data
  $(apt-cache pkgnames libreoffice-l10n- | grep -v -e '-ja$' -e '-zh-' -e '-all$' -e '-in$' -e '-za$' | sort)
  $(apt-cache pkgnames firefox-esr-l10n- | grep -v -e '-ja$' -e '-zh-' -e '-all$' -e '-in$' -e '-za$' | sort)
  $(apt-cache pkgnames thunderbird-l10n- | grep -v -e '-ja$' -e '-zh-' -e '-all$' -e '-in$' -e '-za$' | sort)
"
# Programs whose packages carry big gettext catalogs (and GNOME help) in
# many languages: GNOME, KDE, MATE, Xfce, Cinnamon and GNU tools, games.
APP_PACKAGES="
  evolution-common evolution-data-server-common gimp gimp-data
  gnome-control-center-data nautilus-data gnome-shell-common libgtk-3-common
  libgtk-4-common aisleriot rhythmbox-data shotwell-common epiphany-browser-data
  gedit-common evince-common totem-common gnome-terminal-data file-roller
  gnome-system-monitor gnome-disk-utility seahorse brasero-common cheese-common eog
  gnome-maps gnome-software-common gnome-builder geary gnumeric-common
  iso-codes locales util-linux-locales coreutils tar gnupg-l10n binutils-common gdb
  dpkg aptitude-common plasma-desktop-data kdenlive-data okular
  dolphin konsole pidgin-data hexchat-common gramps
  cinnamon-l10n claws-mail-i18n filezilla-common gnucash-common widelands-data
  kmail korganizer akregator kdeconnect kinfocenter
  plasma-discover-common gwenview ark k3b-data kmymoney caja-common
  pluma-common mate-desktop-common xfce4-panel thunar-data xfce4-settings
  gnome-mahjongg gnome-chess five-or-more gnome-robots gnome-nibbles iagno
  gnome-taquin gnome-tetravex gnome-klotski
"
# npm: classical Chinese poetry and prose (MIT licence): ~55,000 Tang and
# ~260,000 Song poems, 21,000 ci, Yuan qu, the Four Books, ... One poem per line.
NPM_PACKAGES="chinese-poetry@2.0.1"
# Aozora Bunko: public-domain Japanese literature, from a clone (or a bare
# git directory) of the plain-text mirror; cloned into OUT_DIR when unset.
AOZORA_URL=https://github.com/aozorahack/aozorabunko_text
AOZORA=${SPM_AOZORA:-}
CJK_SHARE=${SPM_CJK_SHARE:-30}

mkdir -p "$OUT/debs" "$OUT/npm"
OUT=$(cd "$OUT" && pwd)
if [ -z "$AOZORA" ]; then
  AOZORA=$OUT/aozorabunko_text
  [ -e "$AOZORA" ] || git clone --depth 1 "$AOZORA_URL" "$AOZORA"
fi
[ "$AOZORA" = none ] || AOZORA=$(cd "$AOZORA" && pwd)
cd "$OUT/debs"
missing=""
for p in $CJK_PACKAGES $MULTI_PACKAGES $REST_PACKAGES $EN_PACKAGES $L10N_PACKAGES $APP_PACKAGES; do
  ls "${p}"_*.deb > /dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] || apt-get download $missing
cd "$OUT/npm"
for p in $NPM_PACKAGES; do
  ls "$(echo "$p" | tr @ -)".tgz > /dev/null 2>&1 || npm pack --silent "$p" > /dev/null
done

# Extract: one package at a time per job, its tree removed once read. A
# package whose OUT_DIR/parts/NAME.done exists is not extracted again (an
# interrupted run resumes; parts are removed at the end unless
# SPM_KEEP_PARTS=1).
rm -rf "$OUT/tree"
mkdir -p "$OUT/tree" "$OUT/parts"
[ "$AOZORA" != none ] || rm -f "$OUT/parts/aozora."*
if [ "$AOZORA" != none ] && [ ! -e "$OUT/parts/aozora.done" ]; then
  if [ -d "$AOZORA/.git" ] || { [ -f "$AOZORA/HEAD" ] && [ -d "$AOZORA/objects" ]; }; then
    # A git repository: the text of its HEAD commit.
    commit=$(git -C "$AOZORA" rev-parse HEAD)
    mkdir -p "$OUT/tree/aozora"
    git -C "$AOZORA" archive HEAD cards | tar xf - -C "$OUT/tree/aozora"
    src=$OUT/tree/aozora
  else
    commit="unknown (not a git repository: $AOZORA)"
    src=$AOZORA
  fi
  [ -d "$src/cards" ] || { echo "no Aozora Bunko text (cards/) in $AOZORA" >&2; exit 1; }
  nice /usr/bin/python3 "$HERE/corpus_aozora.py" "$src" "$OUT/parts" aozora
  echo "$AOZORA_URL commit $commit" > "$OUT/parts/aozora.source"
  rm -rf "$OUT/tree/aozora"
  touch "$OUT/parts/aozora.done"
fi
for p in $NPM_PACKAGES; do
  n=${p%@*}
  [ ! -e "$OUT/parts/$n.done" ] || continue
  mkdir -p "$OUT/tree/$n"
  tar xzf "$OUT/npm/$(echo "$p" | tr @ -).tgz" -C "$OUT/tree/$n"
  nice /usr/bin/python3 "$HERE/corpus_extract_more.py" "$OUT/tree/$n" "$n" "$OUT/parts"
  rm -rf "$OUT/tree/$n"
  touch "$OUT/parts/$n.done"
done
for p in $CJK_PACKAGES $MULTI_PACKAGES $REST_PACKAGES $EN_PACKAGES $L10N_PACKAGES $APP_PACKAGES; do echo "$p"; done |
  xargs -P "$JOBS" -I{} sh -c '
    [ ! -e "$1/parts/$2.done" ] || exit 0
    d=$(ls "$1"/debs/"$2"_*.deb | head -n 1)
    mkdir -p "$1/tree/$2" && dpkg-deb -x "$d" "$1/tree/$2" &&
    nice /usr/bin/python3 "$3/corpus_extract_more.py" "$1/tree/$2" "$2" "$1/parts" 2>> "$1/parts/errors.log" &&
    touch "$1/parts/$2.done"
    rm -rf "$1/tree/$2"' sh "$OUT" {} "$HERE"

# Deduplicate across everything (Chinese and Japanese first, then English,
# then the rest; packages in name order, Aozora Bunko last; the first
# occurrence stays), then cut Aozora Bunko to what brings Chinese+Japanese
# to SPM_CJK_SHARE percent, and English and the other languages to the size.
nice /usr/bin/python3 - "$OUT" "$TARGET_BYTES" "$HERE" "$CJK_SHARE" <<'PY'
import hashlib, os, sys
out, target, share = sys.argv[1], int(sys.argv[2]), float(sys.argv[4]) / 100
sys.path.insert(0, sys.argv[3])
from corpus_extract_more import code_like
parts = os.path.join(out, "parts")
groups = ("zh", "ja", "en", "other")
AOZ = "aozora"
sources = sorted({f.rsplit(".", 2)[0] for f in os.listdir(parts) if f.endswith(".txt")},
                 key=lambda s: (s == AOZ, s))
seen = set()
size = {}   # (source, group) -> bytes after dedup
lines = {}  # (source, group) -> lines after dedup
code = [0, 0]  # English and other lines dropped as code: lines, bytes
for g in groups:
    for s in sources:
        src = os.path.join(parts, "%s.%s.txt" % (s, g))
        if not os.path.exists(src):
            continue
        n = b = 0
        with open(src, "rb") as f, open(src + ".uniq", "wb") as w:
            for line in f:
                h = hashlib.blake2b(line, digest_size=12).digest()
                if h in seen:
                    continue
                seen.add(h)
                if g in ("en", "other") and code_like(line.decode("utf-8", "replace")):
                    code[0] += 1
                    code[1] += len(line)
                    continue
                w.write(line)
                n += 1
                b += len(line)
        size[s, g], lines[s, g] = b, n
seen = None
avail = {g: sum(v for (s, gg), v in size.items() if gg == g) for g in groups}
aoz = size.get((AOZ, "ja"), 0)
aoz_want = min(aoz, max(0, int(target * share) - (avail["zh"] + avail["ja"] - aoz)))
cjk = avail["zh"] + avail["ja"] - aoz + aoz_want
rest = max(0, target - cjk)
want = {"zh": avail["zh"], "ja": avail["ja"] - aoz + aoz_want}
want["en"] = min(avail["en"], rest // 2)
want["other"] = min(avail["other"], rest - want["en"])
if want["other"] < rest - want["en"]:
    want["en"] = min(avail["en"], rest - want["other"])
kept_b, kept_n = {}, {}
for g in groups:
    frac = want[g] / avail[g] if avail[g] and g in ("en", "other") else 1.0
    with open(os.path.join(out, g + ".txt"), "wb") as w:
        for s in sources:
            src = os.path.join(parts, "%s.%s.txt.uniq" % (s, g))
            if not os.path.exists(src):
                continue
            quota = aoz_want if s == AOZ else size[s, g] * frac
            n = b = 0
            with open(src, "rb") as f:
                for line in f:
                    if b >= quota:
                        break
                    w.write(line)
                    n += 1
                    b += len(line)
            kept_b[s, g], kept_n[s, g] = b, n
with open(os.path.join(out, "corpus.txt"), "wb") as w:
    for g in ("en", "zh", "ja", "other"):
        with open(os.path.join(out, g + ".txt"), "rb") as f:
            while True:
                buf = f.read(1 << 24)
                if not buf:
                    break
                w.write(buf)
tot_b = {g: sum(v for (s, gg), v in kept_b.items() if gg == g) for g in groups}
tot_n = {g: sum(v for (s, gg), v in kept_n.items() if gg == g) for g in groups}
total = sum(tot_b.values())
debs = {f.split("_")[0]: f for f in os.listdir(os.path.join(out, "debs")) if f.endswith(".deb")}
npms = {f.rsplit("-", 1)[0]: f for f in os.listdir(os.path.join(out, "npm")) if f.endswith(".tgz")}
aoz_src = os.path.join(parts, AOZ + ".source")
aoz_name = "Aozora Bunko " + (open(aoz_src).read().strip() if os.path.exists(aoz_src) else "")
with open(os.path.join(out, "SOURCES.txt"), "w") as f:
    f.write("# source file: bytes kept in zh ja en other (after dedup and cut)\n")
    for s in sources:
        name = aoz_name if s == AOZ else debs.get(s) or ("npm " + npms.get(s, s))
        f.write("%s: %s\n" % (name, " ".join(str(kept_b.get((s, g), 0)) for g in groups)))
    f.write("sources: %d (%d Debian packages, %d npm, %d Aozora Bunko)\n" % (
        len(sources), sum(1 for s in sources if s in debs),
        sum(1 for s in sources if s not in debs and s != AOZ), int(AOZ in sources)))
    if AOZ in sources:
        f.write("Aozora Bunko: %d of %d bytes (%.1f%%) of its unique text kept, %d lines, for "
                "Chinese+Japanese %g%%\n" % (kept_b[AOZ, "ja"], aoz, 100.0 * kept_b[AOZ, "ja"] / aoz
                                             if aoz else 0, kept_n[AOZ, "ja"], share * 100))
    for g in groups:
        f.write("%s: %d lines, %d bytes (%.1f%%); unique text available %d bytes\n" % (
            g, tot_n[g], tot_b[g], 100.0 * tot_b[g] / total, avail[g]))
    f.write("total: %d lines, %d bytes, Chinese+Japanese %.1f%%\n" % (
        sum(tot_n.values()), total, 100.0 * (tot_b["zh"] + tot_b["ja"]) / total))
    f.write("dropped as code-like (English and other, after dedup): %d lines, %d bytes\n" % tuple(code))
print("".join(open(os.path.join(out, "SOURCES.txt")).readlines()[-8:]))
PY
rm -rf "$OUT/tree"
[ "${SPM_KEEP_PARTS:-0}" = 1 ] || rm -rf "$OUT/parts"
echo "corpus: $OUT/corpus.txt"
