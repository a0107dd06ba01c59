#!/usr/bin/python3
"""Turns the documentation of unpacked Debian packages into plain text lines.

Used by scripts/make_corpus.sh. Reads a tree made by `dpkg-deb -x` and writes
one file per language group into OUT_DIR: en.txt, zh.txt, ja.txt and
other.txt (every other language). Each output line is one paragraph of real
text (HTML paragraphs, man page paragraphs, reflowed plain-text paragraphs,
fortune entries), whitespace collapsed; markup, code blocks and tables are
dropped as far as cheaply possible.

Usage: corpus_extract.py TREE OUT_DIR
"""
import gzip
import html.parser
import os
import re
import sys

MAX_LINE = 2000  # bytes; longer paragraphs are cut at sentence ends


def lang_group(path):
    p = path.replace("\\", "/")
    m = re.search(r"/man/([a-z]{2}(?:_[A-Z]{2})?)/", p) or \
        re.search(r"/libreoffice/help/([a-z]{2}(?:-[A-Z]{2})?)/", p)
    if m:
        lang = m.group(1)
    elif re.search(r"/debian-handbook/html/([a-z]{2})-", p):
        lang = re.search(r"/debian-handbook/html/([a-z]{2}(?:-[A-Z]{2})?)/", p).group(1)
    elif re.search(r"\.(ja|zh-cn|zh-tw|de|fr|es|it|en)\.html", p):
        lang = re.search(r"\.(ja|zh-cn|zh-tw|de|fr|es|it|en)\.html", p).group(1)
    elif "/fortunes/" in p:
        name = os.path.basename(os.path.dirname(p)) if "/fortunes/" in os.path.dirname(p) + "/" else ""
        base = os.path.basename(p)
        lang = "zh" if base in ("chinese", "tang300", "song100") or "/fortunes/zh" in p else \
            (p.split("/fortunes/")[1].split("/")[0] if "/" in p.split("/fortunes/")[1] else "en")
    elif "-ja/" in p or "_ja" in p:
        lang = "ja"
    elif "-zh-cn/" in p:
        lang = "zh"
    else:
        lang = "en"
    lang = lang.lower()
    if lang.startswith("zh"):
        return "zh"
    if lang.startswith("ja"):
        return "ja"
    if lang.startswith("en"):
        return "en"
    return "other"


def split_long(text):
    """Yields pieces of at most MAX_LINE bytes, cut after sentence ends."""
    while len(text.encode("utf-8")) > MAX_LINE:
        cut = None
        for m in re.finditer(r"[.!?。！？](\s|$)|[。！？]", text[: MAX_LINE // 3 * 2]):
            cut = m.end()
        if not cut:
            cut = MAX_LINE // 4
        yield text[:cut].strip()
        text = text[cut:].strip()
    if text:
        yield text


def emit(out, text):
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) < 2:
        return
    for piece in split_long(text):
        if piece:
            out.append(piece)


class HtmlText(html.parser.HTMLParser):
    BLOCK = {"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "div",
             "title", "blockquote", "caption", "br", "tr"}
    SKIP = {"script", "style", "pre", "code", "tt", "kbd", "samp"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.buf, self.skip = [], [], 0

    def flush(self):
        emit(self.lines, "".join(self.buf))
        self.buf = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.flush()

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.buf.append(data)


def parsed_lines(parser, data):
    """Feeds `data` to an HtmlText-style parser and returns its lines."""
    parser.feed(data)
    parser.close()
    parser.flush()
    return parser.lines


def html_lines(data):
    return parsed_lines(HtmlText(), data)


TROFF_CHARS = {"em": "—", "en": "–", "co": "©", "aq": "'", "dq": '"', "lq": "“", "rq": "”",
               "oq": "‘", "cq": "’", "bu": "•", "hy": "-", "rg": "®", "tm": "™", "mu": "×",
               "<=": "≤", ">=": "≥", "->": "→", "<-": "←", "ga": "`", "ti": "~", "ha": "^",
               "rs": "\\", "pl": "+", "mi": "-", "eq": "="}
TEXT_MACROS = {"SH", "SS", "B", "I", "BI", "BR", "IB", "IR", "RB", "RI", "SM", "SB", "Nm",
               "Nd", "Ar", "Fl", "Pa", "Em", "Sy", "Dq", "Qq", "Sq", "Xr", "It", "Op", "Cm",
               "Li", "Va", "Ev", "Dv", "Er", "Fn", "Ft", "Vt", "Ql"}
BREAK_MACROS = {"PP", "P", "LP", "SH", "SS", "TP", "IP", "HP", "br", "sp", "Pp", "Sh", "Ss",
                "It", "Bl", "El", "Bd", "Ed", "nf", "fi", "TH", "Dd", "Dt", "Os"}


def detroff(s):
    s = re.sub(r"\\f(\[[^\]]*\]|\(..|.)", "", s)
    s = re.sub(r"\\\((..)", lambda m: TROFF_CHARS.get(m.group(1), ""), s)
    s = re.sub(r"\\\[([^\]]*)\]", lambda m: TROFF_CHARS.get(m.group(1), ""), s)
    s = re.sub(r"\\\*(\[[^\]]*\]|\(..|.)", "", s)
    s = re.sub(r"\\s[-+]?\d+", "", s)
    s = re.sub(r"\\[&|^%:c]", "", s)
    s = s.replace("\\-", "-").replace("\\e", "\\").replace("\\ ", " ").replace("\\~", " ")
    s = re.sub(r"\\.", "", s)
    return s


def man_lines(data):
    out, para, nofill = [], [], False
    for raw in data.splitlines():
        if raw.startswith(('.\\"', "'\\\"", '.\\#')) or raw.strip() in (".", "'"):
            continue
        if raw.startswith((".", "'")):
            parts = raw[1:].strip().split(None, 1)
            if not parts:
                continue
            macro, args = parts[0], (parts[1] if len(parts) > 1 else "")
            if macro in ("nf", "EX", "Bd"):
                nofill = True
            if macro in ("fi", "EE", "Ed"):
                nofill = False
            if macro in BREAK_MACROS:
                emit(out, " ".join(para))
                para = []
            if macro in TEXT_MACROS and args:
                para.append(detroff(args.replace('"', "")))
                if macro in ("SH", "SS", "Sh", "Ss"):
                    emit(out, " ".join(para))
                    para = []
            continue
        if nofill:  # Examples and code: skipped.
            continue
        line = detroff(raw)
        if not line.strip():
            emit(out, " ".join(para))
            para = []
        else:
            para.append(line)
    emit(out, " ".join(para))
    return out


def text_lines(data):
    """Plain text / reStructuredText: paragraphs reflowed, markup lines dropped."""
    out, para, in_code = [], [], False
    for line in data.splitlines():
        s = line.strip()
        if in_code:
            if s and not line.startswith((" ", "\t")):
                in_code = False
            else:
                continue
        if s.endswith("::"):
            para.append(s[:-1])
            emit(out, " ".join(para))
            para, in_code = [], True
            continue
        if not s or re.fullmatch(r"[=\-~^*#+`'\".:_|]{3,}", s) or s.startswith(".. "):
            emit(out, " ".join(para))
            para = []
            continue
        para.append(s)
    emit(out, " ".join(para))
    return out


def fortune_lines(data):
    out = []
    for entry in data.split("\n%\n"):
        for para in entry.split("\n\n"):
            emit(out, " ".join(l.strip() for l in para.splitlines()) if not
                 re.search(r"[\u3000-\u9fff]", para) else "".join(l.strip() for l in para.splitlines()))
    return out


def decode(raw, group):
    legacy = {"ja": ("euc-jp",), "zh": ("gb18030", "big5")}.get(group, ("latin-1",))
    for enc in ("utf-8",) + legacy:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def convert(path):
    raw = open(path, "rb").read()
    if path.endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except OSError:
            return []
        path = path[:-3]
    data = decode(raw, lang_group(path))
    if "/man/" in path and re.search(r"\.\d\w*$", path):
        return man_lines(data)
    if path.endswith((".html", ".htm")):
        return html_lines(data)
    if "/fortunes/" in path:
        return fortune_lines(data)
    if path.endswith((".rst", ".txt")) or "/Documentation/" in path:
        return text_lines(data)
    return []


def wanted(path):
    if "/fortunes/" in path:
        return not path.endswith((".dat", ".u8")) or path.endswith(".u8")
    if "/man/" in path:
        return True
    if "/linux-doc" in path:
        return path.endswith((".rst", ".rst.gz", ".txt", ".txt.gz")) and "/html/" not in path
    return path.endswith((".html", ".htm", ".html.gz")) and "/_sources/" not in path


def main():
    tree, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    outs = {g: open(os.path.join(out_dir, g + ".txt"), "w", encoding="utf-8")
            for g in ("en", "zh", "ja", "other")}
    for root, _, files in os.walk(tree):
        for name in sorted(files):
            path = os.path.join(root, name)
            if os.path.islink(path) or not wanted(path):
                continue
            if "/fortunes/" in path and name + ".u8" in files:
                continue  # The .u8 copy is the UTF-8 one.
            try:
                lines = convert(path)
            except Exception as e:  # A broken file is skipped, not fatal.
                print("skip %s: %s" % (path, e), file=sys.stderr)
                continue
            f = outs[lang_group(path)]
            for line in lines:
                f.write(line + "\n")
    for f in outs.values():
        f.close()


if __name__ == "__main__":
    main()
