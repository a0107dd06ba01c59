#!/usr/bin/python3
"""Plain Japanese text lines from Aozora Bunko, for the 1 GB corpus.

Used by scripts/make_corpus_1g.sh. Reads the cards/ tree of the Aozora Bunko
plain-text mirror (https://github.com/aozorahack/aozorabunko_text: one
Shift_JIS .txt per work file, cards/AUTHOR/files/STEM/STEM.txt; the .zip
files of https://github.com/aozorabunko/aozorabunko are read too) and writes
OUT_DIR/NAME.ja.txt: one paragraph per line, in a fixed order of the works
(sorted by a hash of the work number, so that any leading share of the file
spreads over all authors instead of the first card numbers).

For each work (one file per work number: the newest revision when there are
several):
  * decoded as cp932 (Shift_JIS with the Microsoft extensions); a file that
    does not decode is read with U+FFFD for the bad bytes and those lines
    are dropped;
  * works that are not in the public domain (the ones the copyright holder
    gave to Aozora Bunko: "青空文庫収録ファイル", often under a Creative
    Commons licence) are left out;
  * the header (title and author lines, and the block explaining the
    notation between the two dashed lines) and the footer (from the line
    "底本：" or "翻訳の底本：" on: the book it was typed from, the volunteers,
    the dates) are dropped;
  * ruby readings 《...》 and the ruby-start marker ｜ are removed; the
    characters written as editor's notes (※［＃「...」、第3水準1-84-77］ or
    ...U+XXXX...) become the character (JIS X 0213 through the euc_jis_2004
    codec); every other editor's note ［＃...］ (emphasis, indentation,
    page breaks) is removed; a line with a character that cannot be
    restored this way is dropped; the two-character repetition mark ／＼
    (／″＼) becomes 〳〵 (〴〵), and Latin words in the accent notation
    〔cafe'〕 become café;
  * whitespace (the ideographic space U+3000 that starts paragraphs too) is
    stripped; lines shorter than MIN_CHARS characters, and lines that are
    not Japanese by the rule of corpus_extract_more.group_of (kana, or
    mostly Han), are dropped;
  * paragraphs longer than MAX_BYTES bytes of UTF-8 (the trainer skips
    lines over 4192 bytes) are cut after a sentence end (。！？ and the
    closing brackets after it), pieces packed up to MAX_BYTES; a sentence
    that is longer still is cut after 、 or, failing that, anywhere.
Lines are not deduplicated here (the make script does that for the whole
corpus).

Usage: corpus_aozora.py SRC_DIR OUT_DIR [NAME]
  SRC_DIR  a directory holding cards/ (a clone, or `git archive HEAD cards`)
  OUT_DIR  gets NAME.ja.txt (NAME defaults to aozora); a summary goes to
           stderr
"""
import collections
import hashlib
import os
import re
import sys
import unicodedata
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus_extract_more import group_of  # noqa: E402

MIN_CHARS = 10
MAX_BYTES = 4192

DASHES = re.compile(r"-{10,}")
FOOTER = re.compile(r"(?:翻訳の)?底本[：:]")
FOOTER_FALLBACK = re.compile(r"(?:入力|校正|青空文庫(?:作成|収録)ファイル)[：:]")
RUBY = re.compile(r"《[^《》\n]*》")
GAIJI = re.compile(r"※［＃([^［］]*)］")
JIS = re.compile(r"(?<![\d-])([12])-(\d{1,2})-(\d{1,2})(?![\d-])")
UCS = re.compile(r"U\+([0-9A-Fa-f]{4,6})")
ACCENT = re.compile(r"〔([\x20-\x7e]*[A-Za-z][`'^:~&,/_][\x20-\x7e]*)〕")
ACCENT_MARK = {"`": "\u0300", "'": "\u0301", "^": "\u0302", "~": "\u0303", ":": "\u0308",
               "&": "\u030a", ",": "\u0327", "_": "\u0304"}
ACCENT_LIGATURE = {"AE&": "Æ", "ae&": "æ", "OE&": "Œ", "oe&": "œ", "s&": "ß", "O/": "Ø",
                   "o/": "ø", "L/": "Ł", "l/": "ł"}
SENTENCE_END = re.compile(r"[。！？][」』）〉》】〕”]*")
UNRESOLVED = "\ufffc"


def gaiji(m):
    """The character an editor's note ※［＃...］ stands for, else a mark
    that makes the line be dropped."""
    note = m.group(1)
    u = UCS.search(note)
    if u:
        try:
            return chr(int(u.group(1), 16))
        except (ValueError, OverflowError):
            return UNRESOLVED
    j = JIS.search(note)
    if j:
        plane, row, cell = (int(x) for x in j.groups())
        if 1 <= row <= 94 and 1 <= cell <= 94:
            raw = bytes([0xa0 + row, 0xa0 + cell])
            if plane == 2:
                raw = b"\x8f" + raw
            try:
                return raw.decode("euc_jis_2004")
            except UnicodeDecodeError:
                pass
    return UNRESOLVED


def accent_word(m):
    """〔cafe'〕 -> café (Aozora's notation for accented Latin letters)."""
    s = m.group(1)
    for k, v in ACCENT_LIGATURE.items():
        s = s.replace(k, v)
    s = re.sub(r"([A-Za-z])([`'^:~&,_])",
               lambda a: _compose(a.group(1), ACCENT_MARK[a.group(2)], a.group(0)), s)
    return s


def _compose(letter, mark, orig):
    c = unicodedata.normalize("NFC", letter + mark)
    return c if len(c) == 1 else orig


def body(lines):
    """The lines between the header and the footer."""
    head = 0
    dash = [i for i, l in enumerate(lines[:80]) if DASHES.fullmatch(l.strip())]
    if len(dash) >= 2:
        head = dash[1] + 1
    else:
        for i, l in enumerate(lines[:20]):
            if not l.strip():
                head = i + 1
                break
    end = len(lines)
    for pattern in (FOOTER, FOOTER_FALLBACK):
        for i in range(head, len(lines)):
            if pattern.match(lines[i]):
                end = i
                break
        if end < len(lines):
            break
    return lines[head:end]


def strip_notes(line):
    """The line without its editor's notes ［＃...］ (which may hold
    brackets ［...］ of their own); UNRESOLVED is left for a note that
    does not close."""
    while True:
        start = line.find("［＃")
        if start < 0:
            return line
        depth = 0
        for i in range(start, len(line)):
            depth += {"［": 1, "］": -1}.get(line[i], 0)
            if depth == 0:
                break
        else:
            return line[:start] + UNRESOLVED
        line = line[:start] + line[i + 1:]


def clean(line):
    line = RUBY.sub("", line).replace("｜", "")
    while True:  # Inner notes first: ※［＃「女＋※［＃第3水準1-85-57］」...］
        s = GAIJI.sub(gaiji, line)
        if s == line:
            break
        line = s
    line = strip_notes(line)
    line = line.replace("／″＼", "〴〵").replace("／＼", "〳〵")
    if "〔" in line:
        line = ACCENT.sub(accent_word, line)
    return line.strip()


def split_long(text):
    """Pieces of at most MAX_BYTES bytes, cut after sentence ends."""
    if len(text.encode("utf-8")) <= MAX_BYTES:
        return [text]
    sentences, start = [], 0
    for m in SENTENCE_END.finditer(text):
        sentences.append(text[start:m.end()])
        start = m.end()
    if start < len(text):
        sentences.append(text[start:])
    pieces = []
    for s in sentences:  # A sentence longer than the limit: cut after 、, else anywhere.
        while len(s.encode("utf-8")) > MAX_BYTES:
            head = s.encode("utf-8")[:MAX_BYTES].decode("utf-8", "ignore")
            cut = head.rfind("、") + 1 or len(head)
            pieces.append(s[:cut])
            s = s[cut:]
        pieces.append(s)
    out, cur = [], ""
    for p in pieces:
        if cur and len((cur + p).encode("utf-8")) > MAX_BYTES:
            out.append(cur)
            cur = ""
        cur += p
    if cur:
        out.append(cur)
    return [p.strip() for p in out if p.strip()]


def work_lines(text, stats):
    for raw in body(text.splitlines()):
        if "\ufffd" in raw:
            stats["lines dropped: undecodable"] += 1
            continue
        line = clean(raw)
        if UNRESOLVED in line:
            stats["lines dropped: unknown character"] += 1
            continue
        if len(line) < MIN_CHARS:
            continue
        if group_of(line, "ja") != "ja":
            stats["lines dropped: not Japanese"] += 1
            continue
        pieces = split_long(line)
        if len(pieces) > 1:
            stats["lines split (over %d bytes)" % MAX_BYTES] += 1
        for p in pieces:
            yield p


def read_work(path):
    if path.endswith(".zip"):
        with zipfile.ZipFile(path) as z:
            names = sorted(n for n in z.namelist() if n.lower().endswith(".txt"))
            if not names:
                return None
            return z.read(names[0])
    with open(path, "rb") as f:
        return f.read()


def works(src):
    """{work number: path of its newest file}."""
    found = {}
    for root, dirs, files in os.walk(os.path.join(src, "cards")):
        dirs.sort()
        for name in files:
            if not name.endswith((".txt", ".zip")):
                continue
            stem = name[:-4]
            m = re.match(r"(\d+)_[a-z]+(?:_(\d+))?$", stem)  # WORK_ruby_REVISION
            work = m.group(1) if m else stem
            key = (int(m.group(2) or -1) if m else -1, name.endswith(".txt"), stem)
            old = found.get(work)
            if old is None or key > old[0]:
                found[work] = (key, os.path.join(root, name))
    return {w: p for w, (k, p) in found.items()}


def main():
    src, out_dir = sys.argv[1], sys.argv[2]
    name = sys.argv[3] if len(sys.argv) > 3 else "aozora"
    os.makedirs(out_dir, exist_ok=True)
    stats = collections.Counter()
    found = works(src)
    order = sorted(found, key=lambda w: (hashlib.blake2b(w.encode(), digest_size=8).digest(), w))
    with open(os.path.join(out_dir, name + ".ja.txt"), "w", encoding="utf-8") as out:
        for w in order:
            try:
                raw = read_work(found[w])
            except (OSError, zipfile.BadZipFile) as e:
                print("skip %s: %s" % (found[w], e), file=sys.stderr)
                continue
            if raw is None:
                continue
            try:
                text = raw.decode("cp932")
            except UnicodeDecodeError:
                text = raw.decode("cp932", "replace")
                stats["works with undecodable bytes"] += 1
            tail = text[-3000:]
            if "青空文庫収録ファイル" in tail or "著作権者自らの意思" in tail:
                stats["works left out: not public domain"] += 1
                continue
            n = 0
            for line in work_lines(text, stats):
                out.write(line + "\n")
                n += 1
                stats["lines"] += 1
                stats["bytes"] += len(line.encode("utf-8")) + 1
            stats["works"] += 1
            stats["works with no line"] += n == 0
    print("%s: %d works (of %d work numbers found) -> %s" % (
        name, stats["works"], len(found), ", ".join(
            "%s %d" % (k, v) for k, v in sorted(stats.items()) if k != "works")),
        file=sys.stderr)


if __name__ == "__main__":
    main()
