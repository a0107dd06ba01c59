#!/usr/bin/python3
"""Plain text lines from one unpacked source package, for the 1 GB corpus.

Used by scripts/make_corpus_1g.sh; the 100 MB corpus (scripts/make_corpus.sh)
does not use it. It reuses the converters of corpus_extract.py (HTML, man
pages, reStructuredText, fortunes) and adds the formats that the extra
packages of the 1 GB corpus carry:

  *.page            GNOME help (Mallard XML)
  *.mo              gettext catalogs: every translated string (msgstr) and
                    the English original (msgid)
  *.xpi             Firefox/Thunderbird language packs: Fluent (.ftl),
                    .properties and .dtd strings
  *.jar             Scilab help: the HTML pages inside
  *.json            the chinese-poetry npm package: one poem (or one
                    biography, one chapter) per line; MediaWiki message
                    files (i18n/LANG.json: every message, wiki markup
                    resolved; qqq.json is the English message documentation)
  *.dict.dz         dictd dictionaries (GCIDE, WordNet, Jargon, FOLDOC):
                    one definition paragraph per line
Generated API references are read without their pages that hold no prose
(rendered source code, indexes, "uses of" lists); the make script drops
the lines that look like code.

Each line goes to a language group by its script, not only by its path:
a line with kana is Japanese; a line that is mostly Han characters is
Chinese (or Japanese, when the file is a Japanese one); every other line is
English or "other" by the file's language (the path's language code, else
the package name's, else English). So untranslated English left in a
Chinese or Japanese manual is not counted as Chinese or Japanese.

Usage: corpus_extract_more.py SRC_DIR NAME OUT_DIR
  SRC_DIR  a tree made by `dpkg-deb -x` (or an unpacked npm package)
  NAME     the package name (a fallback for the language, and the name of
           the outputs)
  OUT_DIR  gets NAME.en.txt NAME.zh.txt NAME.ja.txt NAME.other.txt
"""
import gzip
import io
import json
import os
import re
import struct
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_extract as ce  # noqa: E402

LANGS = set("""af am an ar as ast az be bg bn br bs ca cs cy da de dz el en eo es et eu fa
fi fr ga gl gu he hi hr hu hy id is it ja ka kk km kn ko ku ky lt lv mk ml mn mr ms
my nb nds ne nl nn oc om or pa pl ps pt ro ru si sk sl sq sr sv ta te tg th tr ug uk
ur uz vi wa xh zh zu""".split())
CODE = re.compile(r"([a-z]{2,3})(?:[_-]([A-Za-z]{2,4}))?(?:@\w+)?$")
KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u31f0-\u31ff\uff66-\uff9d]")  # not ・ー
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LETTER = re.compile(r"\w")
BAD = re.compile("[\u25a1\ufffd]")


def code_lang(token):
    m = CODE.match(token)
    if m and m.group(1).lower() in LANGS and (token == token.lower() or m.group(2)):
        return m.group(1).lower()
    return None


def path_lang(path, name):
    """The language a file is in, from its path, else from the package name."""
    parts = path.split("/")
    for seg in reversed(parts[:-1]):
        lang = code_lang(seg)
        if lang:
            return lang
    base = parts[-1]
    m = re.search(r"[._-]([a-z]{2,3}(?:[_-][A-Za-z]{2,4})?)\.(?:html?|mo|xhtml|jar|xpi)(?:\.gz)?$", base)
    if m and code_lang(m.group(1)):
        return code_lang(m.group(1))
    m = re.match(r"(?:admin-(?:network-)?|continents-cities-)?([a-z]{2,3}(?:_[A-Z]{2})?)\.mo$", base)
    if m and code_lang(m.group(1)):
        return code_lang(m.group(1))
    m = re.search(r"-([a-z]{2,3}(?:-[a-z]{2,4})?)(?:-dev)?$", name)
    if m and code_lang(m.group(1)):
        return code_lang(m.group(1))
    if "poetry" in name:
        return "zh"
    return "en"


def group_of(line, lang):
    """zh, ja, en or other for one line of a file in language lang."""
    if KANA.search(line):
        return "ja"
    han = len(HAN.findall(line))
    if han and han * 3 >= len(LETTER.findall(line)):
        return "ja" if lang == "ja" else "zh"
    if lang in ("zh", "ja"):
        return "en" if line.isascii() else "other"
    return "en" if lang == "en" else "other"


class PageText(ce.HtmlText):
    """Mallard (GNOME help): block elements become lines; credits, code and
    screens are dropped."""
    BLOCK = {"p", "title", "desc", "item", "td", "th", "note", "section", "subtitle",
             "tr", "list", "steps", "terms", "tree", "figure", "caption", "example"}
    SKIP = {"credit", "license", "code", "screen", "cmd", "link", "include", "revision",
            "email", "years", "name"}

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag.split(":")[-1], attrs)

    def handle_endtag(self, tag):
        super().handle_endtag(tag.split(":")[-1])


def page_lines(data):
    return ce.parsed_lines(PageText(), data)


def clean_ui(s):
    s = re.sub(r"<[^>]{1,80}>", " ", s)          # markup in strings
    s = re.sub(r"\(_[A-Za-z0-9]\)|\(&[A-Za-z0-9]\)", "", s)  # (_F) accelerators
    s = re.sub(r"(?<!\w)[_&](?=\w)", "", s)   # _File, &File accelerators
    return s


def mo_pairs(raw):
    """(msgid, msgstr) pairs of a gettext .mo file."""
    if len(raw) < 28:
        return []
    magic = struct.unpack("<I", raw[:4])[0]
    e = "<" if magic == 0x950412de else ">" if magic == 0xde120495 else None
    if e is None:
        return []
    n, oo, to = struct.unpack(e + "III", raw[8:20])
    pairs = []
    for i in range(n):
        ol, op = struct.unpack(e + "II", raw[oo + 8 * i: oo + 8 * i + 8])
        tl, tp = struct.unpack(e + "II", raw[to + 8 * i: to + 8 * i + 8])
        pairs.append((raw[op:op + ol], raw[tp:tp + tl]))
    return pairs


def mo_lines(raw):
    """Translated lines and English lines of a .mo file."""
    trans, orig = [], []
    for mid, mstr in mo_pairs(raw):
        if not mid:
            continue  # the header
        mid = mid.split(b"\x04")[-1]  # drop the msgctxt
        for src, out in ((mstr, trans), (mid, orig)):
            for s in src.decode("utf-8", "replace").split("\x00"):
                for para in re.split(r"\n\s*\n", s):
                    ce.emit(out, clean_ui(para))
    return trans, orig


def l10n_lines(name, data):
    """Values of Fluent, .properties and DTD string files."""
    out = []
    if name.endswith(".ftl"):
        for m in re.finditer(r"^[-\w.]+ *=[ \t]*(.*(?:\n[ \t]+(?![.*\[]).*)*)", data, re.M):
            ce.emit(out, clean_ui(m.group(1)))
        for m in re.finditer(r"^[ \t]+\.[\w-]+ *= *(.*)$", data, re.M):
            ce.emit(out, clean_ui(m.group(1)))
    elif name.endswith(".properties"):
        for m in re.finditer(r"^[^#!\s][^=\n]*= *(.*)$", data, re.M):
            ce.emit(out, clean_ui(m.group(1).replace("\\n", " ")))
    elif name.endswith(".dtd"):
        for m in re.finditer(r'<!ENTITY\s+\S+\s+"([^"]*)"', data):
            ce.emit(out, clean_ui(m.group(1)))
    return [l for l in out if not re.fullmatch(r"[\W\d_]*|\S*[{}$%]\S*", l)]


def json_lines(obj, out):
    """chinese-poetry JSON: a poem's (or chapter's) paragraphs make one line;
    other long Han strings (biographies, notes) are lines of their own."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in ("paragraphs", "content", "para") and isinstance(v, list) \
                    and all(isinstance(x, str) for x in v):
                ce.emit(out, "".join(x.strip() for x in v))
            elif isinstance(v, str) and len(HAN.findall(v)) >= 20:
                ce.emit(out, v)
            else:
                json_lines(v, out)
    elif isinstance(obj, list):
        for x in obj:
            json_lines(x, out)


def wiki_text(s):
    """A MediaWiki message as plain text: PLURAL/GENDER/GRAMMAR resolved to
    their last form, links to their text, other templates dropped."""
    for _ in range(3):
        s = re.sub(r"\{\{\s*(?:PLURAL|GENDER|GRAMMAR|formatnum|lc|ucfirst|lcfirst|uc)\s*:"
                   r"([^{}]*)\}\}", lambda m: m.group(1).split("|")[-1], s, flags=re.I)
    s = re.sub(r"\{\{[^{}]*\}\}", "", s)
    s = re.sub(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]", r"\1", s)
    s = re.sub(r"\[(?:https?:)?//\S+ ([^\]]*)\]", r"\1", s)
    s = re.sub(r"'{2,}|^[*#:;]+ *", "", s, flags=re.M)
    return clean_ui(s)


def wiki_lines(obj):
    out = []
    for k, v in obj.items():
        if k.startswith("@") or not isinstance(v, str):
            continue
        for para in re.split(r"\n\s*\n|\n(?=[*#:;])", v):
            ce.emit(out, wiki_text(para))
    return [l for l in out if not re.fullmatch(r"[\W\d_]*|\S*[{}$%]\S*", l)]


def wiki_lang(path):
    base = os.path.basename(path)[:-5].lower()
    if base in ("qqq", "en") or base.startswith("en-"):
        return "en"
    if base.startswith(("zh", "ja")):
        return base[:2]
    return "other"


def dict_lines(data):
    """A dictd .dict file: one paragraph per line, GCIDE markup removed."""
    data = re.sub(r"\[(?:1913 Webster|WordNet 1\.5|PJC|Century Dict\.|Webster 1913 Suppl\.)"
                  r"[^\]]*\]", "", data)
    data = re.sub(r"\\[^\\\n]{0,60}\\", "", data)   # \pro*nun"ci*a`tion\
    data = re.sub(r' ?\((?=[^()]*[\[*`"?])[^()\s]*(?: or [^()\s]*)?\)', "", data)  # (pr[=o]*n)
    data = data.replace("{", "").replace("}", "")
    out = []
    for para in re.split(r"\n[ \t]*\n|\n(?=\s*(?:\d+\.|[a-z] \d+:|\d+:|Syn:|Note:) )", data):
        ce.emit(out, para)
    return out


CODE_LINE = re.compile(
    r"[{}]\s*$|^\s*[{}]|\w\([^()]*\);\s*$|\s=\s[^;]*;\s*$|&&|\|\||!=|==|\+\+|\+=|:=|\)\s*\{|\s::\s.*->|"
    r"^(?:public|protected|private|static|final|abstract|synchronized|native|pub|fn|def|"
    r"class|interface|enum|struct|impl|trait|typedef|template|import|from|package|"
    r"let|const|var|val|return|#include|#define|@\w+)\s[^.!?]*[(<=:{\[]|"
    r"^\d*\s*(?:static|const|int|void|char|struct|unsigned|signed|double|float|long|short|"
    r"bool|auto|extern|return|goto|break|continue)\b[^.!?]*;\s*$|"
    r"^[\w.$:<>\[\],]+\([^()]*\)(?:\s*->.*)?$|^[!-~]*[A-Za-z0-9][._:(/][A-Za-z][!-~]*$")
PUNCT = re.compile(r"[!-/:-@\[-`{-~]")
SPACE = re.compile(r"\s")


def code_like(line):
    """True for a line that looks like code, not prose: a statement or
    declaration, a lone identifier path, or mostly ASCII punctuation."""
    if CODE_LINE.search(line):
        return True
    n = len(line) - len(SPACE.findall(line))
    return n >= 20 and len(PUNCT.findall(line)) * 10 > n * 3


def wanted(path):
    p = path.replace("\\", "/")
    if "/_sources/" in p or "/searchindex" in p or "/_modules/" in p:
        return False
    if "/chinese-poetry/" in p:
        return p.endswith(".json") and not re.search(r"/(strains|rank|error)/", p)
    if p.endswith(".json"):
        return "/mediawiki/" in p and "/i18n/" in p and \
            re.fullmatch(r"[a-z]{2,3}(?:-[a-z0-9-]+)?\.json", os.path.basename(p)) is not None
    if p.endswith((".page", ".mo", ".xpi", ".jar", ".dict.dz")):
        return True
    if p.endswith((".html", ".htm")) and re.search(
            r"/(src|class-use|index-files|doc-files)/|/(index-all|allclasses[-\w]*|"
            r"all(packages|classes)-index|overview-tree|package-tree|package-use|"
            r"serialized-form|constant-values|deprecated-list|help-doc|all|"
            r"doc-index[-\w]*)\.html$", p):
        return False  # API references: rendered source code, indexes
    return ce.wanted(p)


def convert(path, rel):
    """Yields (lang, lines) pieces of one file."""
    if path.endswith(".mo"):
        trans, orig = mo_lines(open(path, "rb").read())
        yield path_lang(rel, NAME), trans
        yield "en", orig
    elif path.endswith(".page"):
        yield path_lang(rel, NAME), page_lines(open(path, encoding="utf-8", errors="replace").read())
    elif path.endswith((".xpi", ".jar")):
        lang = path_lang(rel, NAME)
        with zipfile.ZipFile(path) as z:
            for info in sorted(z.infolist(), key=lambda i: i.filename):
                n = info.filename
                if n.endswith((".ftl", ".properties", ".dtd")) and path.endswith(".xpi"):
                    yield lang, l10n_lines(n, z.read(n).decode("utf-8", "replace"))
                elif n.endswith((".html", ".htm")) and path.endswith(".jar"):
                    yield lang, ce.html_lines(z.read(n).decode("utf-8", "replace"))
    elif path.endswith(".json") and "/i18n/" in path:
        yield wiki_lang(path), wiki_lines(json.load(open(path, encoding="utf-8")))
    elif path.endswith(".json"):
        out = []
        json_lines(json.load(open(path, encoding="utf-8")), out)
        yield "zh", out
    elif path.endswith(".dict.dz"):
        yield "en", dict_lines(gzip.decompress(open(path, "rb").read()).decode("utf-8", "replace"))
    else:
        yield path_lang(rel, NAME), ce.convert(path)


NAME = ""


def main():
    global NAME
    src, NAME, out_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(out_dir, exist_ok=True)
    outs = {g: io.open(os.path.join(out_dir, "%s.%s.txt" % (NAME, g)), "w", encoding="utf-8")
            for g in ("en", "zh", "ja", "other")}
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            if os.path.islink(path) or not wanted(path):
                continue
            if "/fortunes/" in path and name + ".u8" in files:
                continue  # The .u8 copy is the UTF-8 one.
            rel = "/" + NAME + "/" + os.path.relpath(path, src)
            try:
                for lang, lines in convert(path, rel):
                    for line in lines:
                        if len(BAD.findall(line)) * 10 > len(line):
                            continue  # missing-glyph boxes, decoding errors
                        outs[group_of(line, lang)].write(line + "\n")
            except Exception as e:  # A broken file is skipped, not fatal.
                print("skip %s: %s" % (path, e), file=sys.stderr)
    for f in outs.values():
        f.close()


if __name__ == "__main__":
    main()
