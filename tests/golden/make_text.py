#!/usr/bin/python3
"""Builds the test inputs under testdata/text/ (deterministic, no randomness).

  sample/<corpus>.txt   200 evenly spaced lines of every shared corpus
                        (ja_wagahai also gets its longest paragraph)
  golden_mix.txt        every 20th line of each sample (10 per corpus), all
                        corpora concatenated in name order; golden_mix.index
                        says which lines came from which corpus
  edge_cases.txt        hand-made hard inputs (see EDGE_LINES below)
  edge_short.txt        edge_cases.txt without its lines over 4096 bytes (the
                        golden offsets use it to stay small)
  decode_ids_edge.txt   odd id lines for spm_decode --input_format=id
  decode_pieces_edge.txt odd piece lines for spm_decode --input_format=piece
  no_final_newline.txt  two lines, the last one without '\\n'
  empty.txt             zero bytes
"""
import sys

from common import SHARED_CORPORA, TEXT_DIR, join_lines, split_lines

SAMPLE_LINES = 200
MIX_STEP = 20


def sample_corpora():
    out = TEXT_DIR / "sample"
    out.mkdir(parents=True, exist_ok=True)
    mix, index = [], []
    for corpus in sorted(SHARED_CORPORA.glob("*.txt")):
        lines = split_lines(corpus.read_bytes())
        n = len(lines)
        idx = sorted({i * n // SAMPLE_LINES for i in range(SAMPLE_LINES)})
        if corpus.name == "ja_wagahai.txt":
            longest = max(range(n), key=lambda i: (len(lines[i]), -i))
            idx = sorted(set(idx) | {longest})
        picked = [lines[i] for i in idx]
        (out / corpus.name).write_bytes(join_lines(picked))
        mixed = [picked[i] for i in range(0, len(picked), MIX_STEP)
                 if len(picked[i]) <= 4096]
        index.append(f"{corpus.name}\t{len(mix) + 1}\t{len(mixed)}")
        mix.extend(mixed)
    (TEXT_DIR / "golden_mix.txt").write_bytes(join_lines(mix))
    (TEXT_DIR / "golden_mix.index").write_text(
        "# corpus<TAB>first line (1-based)<TAB>line count\n" + "\n".join(index) + "\n")


def u(s):
    return s.encode("utf-8")


def long_line(chunk, size):
    """chunk (str) repeated and cut to at most `size` bytes at a character boundary."""
    data = (chunk * (size // len(u(chunk)) + 1)).encode("utf-8")[:size]
    return data.decode("utf-8", errors="ignore").encode("utf-8")


EDGE_LINES = [
    # --- empty and white space
    b"", b" ", b"    ", b"\t", b" \t \t ", b"  leading spaces", b"trailing spaces   ",
    b"multiple    inner     spaces", b"tab\tseparated\twords", b"  both   sides  ",
    b"", b"",
    # --- CR, NUL, control characters
    b"CR before LF\r", b"\r", b"a\rb", b"abc\x00def", b"\x00", b"\x00\x00 \x00",
    b"nul at end\x00", b"\x00nul at start",
    bytes(range(1, 9)) + b"x" + b"\x0b\x0c" + bytes(range(0x0e, 0x20)) + b"y\x7f",
    b"bell\x07 backspace\x08 escape\x1b[31mred\x1b[0m form\x0cfeed vt\x0bab",
    u("C1 controls: \u0080\u0085\u008f\u009f end"),
    # --- invalid UTF-8
    b"\x80", b"\xbf", b"lone \x80 continuation \xbf bytes", b"a\x80\x80\x80b",
    b"truncated 2-byte \xc3", b"truncated 3-byte \xe3\x81", b"truncated 4-byte \xf0\x9f\x98",
    b"\xc3 mid \xe3\x81 mid \xf0\x9f\x98 mid", b"\xe3\x81\xe3\x81\x82",
    b"overlong / \xc0\xaf \xc1\xbf \xe0\x80\xaf \xf0\x80\x80\xaf", b"overlong NUL \xc0\x80",
    b"surrogates \xed\xa0\x80 \xed\xbf\xbf \xed\xa0\xbd\xed\xb8\x80",
    b"beyond U+10FFFF \xf4\x90\x80\x80", b"F5-FF: \xf5 \xf8\x88\x80\x80\x80 \xfc \xfe \xff",
    b"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5", b"\xf5\xf6\xf7\xf8\xf9\xfa\xfb\xfc\xfd\xfe\xff",
    b"caf\xe9 latin-1", b"\xff" * 300, b"mixed \xe4\xb8\xad\xff\xe6\x96\x87 text",
    # --- U+2581 and friends in the input
    u("\u2581"), u("a\u2581b"), u("\u2581\u2581 \u2581"), u("\u2581hello world\u2581"),
    u("\u2581" * 40), u("U+2585 \u2585 lower five eighths"), u("replacement \ufffd char"),
    # --- full-width and compatibility characters
    u("\uff21\uff22\uff23\u3000\uff11\uff12\uff13\u3000\uff48\uff45\uff4c\uff4c\uff4f"),
    u("\uff76\uff80\uff76\uff85 \uff8a\uff9f \uff76\uff9e"),
    u("\u00bd \u2460 \u3231 \ufb01 \ufb00 \u338f \u2122 \u216b \u00b9\u00b2\u00b3 \u210c \u337f"),
    u("fullwidth tilde \uff5e wave dash \u301c"), u("\u2474 \u24b6 \u32d0 \u3300 \u2100"),
    # --- combining marks, decomposed text
    u("e\u0301 \u00e9 e\u0301\u0301"), u("a\u0308\u0304 \u01df"), u("\u0301 leading combining"),
    u("\u1100\u1161\u11a8 \ud55c\uae00"), u("\u212b \u00c5 A\u030a"),
    u("Z\u0351\u0357\u036b\u0300a\u0336\u0358l\u0335\u0322g\u0334o\u0315"),
    u("\u0915\u094d\u0937 \u0e01\u0e33 \u05e9\u05c1\u05b8\u05dc\u05d5\u05b9\u05dd"),
    # --- emoji
    u("\U0001F600 \U0001F44D\U0001F3FD \U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466"),
    u("flags \U0001F1EF\U0001F1F5 \U0001F1FA\U0001F1F8 heart \u2764\ufe0f keycap 1\ufe0f\u20e3"),
    u("\U0001F600\U0001F600\U0001F600hello\U0001F600"),
    # --- invisible and unusual spaces
    u("zero\u200bwidth\u200cnon\u200djoiner"), u("\ufeffBOM at start"), u("BOM\ufeffinside"),
    u("line\u2028sep para\u2029sep"), u("nbsp\u00a0here ideographic\u3000space"),
    u("ogham\u1680space en\u2002em\u2003thin\u2009hair\u200anarrow\u202fmath\u205fend"),
    u("soft\u00adhyphen"), u("\u200e\u200fmarks"),
    # --- right-to-left, mixed scripts
    u("\u0645\u0631\u062d\u0628\u0627 123 \u0628\u0627\u0644\u0639\u0627\u0644\u0645"),
    u("Hello\u4e16\u754c\u041f\u0440\u0438\u0432\u0435\u0442 \u05e9\u05dc\u05d5\u05dd \u3053\u3093\u306b\u3061\u306f"),
    # --- special pieces written literally
    b"<sep>", b"a<sep>b", b"<cls> hello <sep> world", b"abab ab aab", b"<ctl>", b"<ctl> text<ctl>",
    b"<unk>", b"<s>", b"</s>", b"<pad>", b"<s>hello</s>", b"<unk><unk> <unk>", b"<0x41> <0xFF>",
    b"[UNK] [BOS] [EOS] [PAD]", b"<mask> <cls> <sep> <eod> <eop>", u("\u2581<sep>\u2581"),
    b"<sep><sep><sep>", b"<se p> <sep", u("\uff1csep\uff1e"),
    # --- digits and numbers
    b"1234567890", u("3.14159 2,718 1e10 \uff10\uff11\uff12\uff13"),
    b"Room 101, 2023-10-05 12:34:56", u("\u0661\u0662\u0663 \u0967\u0968\u0969 \u2460\u2461"),
    # --- text the custom rule files (testdata/rules) rewrite
    u("Caf\u00e9 \u2026 KM soft\u00adhyphen 'quote' ... ideographic\u3000space cha\u0308"),
    u("\u00e9\u00e9\u00e9 KMKM km ... \u2026\u2026"),
    # --- case (for *_cf rules)
    u("MiXeD CaSe \u00c4\u00d6\u00dc \u00df \u1e9e \u0130stanbul \u03a3\u03a3 \u0130"),
    # --- punctuation, quoting, markup
    b"!!!???...", b"\"quoted\" 'single' `back`", b"back\\slash \\n \\t", b"<b>bold</b> &amp; &lt;",
    b"a", b"ab", b"I", b".", b"-", b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    b"abababababababababababababababababababababababab",
    b"Pneumonoultramicroscopicsilicovolcanoconiosis supercalifragilisticexpialidocious",
    b"word " * 200,
    b"spaces" + b" " * 3000 + b"between",
    # --- very long lines (with and without spaces)
    long_line("The quick brown fox jumps over the lazy dog 1234. ", 20000),
    long_line("\u543e\u8f29\u306f\u732b\u3067\u3042\u308b\u3002\u540d\u524d\u306f\u307e\u3060\u7121\u3044\u3002", 20000),
    long_line("Hello world \u041f\u0440\u0438\u0432\u0435\u0442 \u4f60\u597d \u0645\u0631\u062d\u0628\u0627 \U0001F600 ", 100000),
    long_line("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", 100000),
    u("\u2581") * 2000,
    b"last line",
]

DECODE_ID_LINES = [
    b"", b"0", b"1", b"2", b"3", b"1 2", b"5 6 7 8 9 10", b"1 abc 5", b"5  6",
    b" 7", b"7 ", b"+5", b"-0", b"5x 6y", b"0 0 0", b"3 4 5 200 201 202 250",
    b"100 101 102 103 104 105 106 107 108 109", b"299 298 297", b"12\t13", b"42\r",
]

DECODE_PIECE_LINES = [
    b"", u("\u2581a"), u("\u2581He ll o \u2581world"), b"<s> </s> <unk> <pad>",
    u("<s> \u2581hello </s>"), b"<unk>", b"<0x41> <0x42>", b"<0xE3> <0x81> <0x82>",
    b"<0xFF> <0xE3> <0x81> a", b"<0xe3> <0x81>", b"<0x41><0x42>", b"zzzzqqq xyzzy",
    u("\u2581a  b"), u("\u2581\u2581\u2581 \u2581 x"), u("\u2581 \u2581"), b"<sep> <cls> ab <ctl>",
    b"[UNK] [BOS] [EOS] [PAD]", u("a\u2581 b\u2581 c\u2581"), u("\u2581\u2581a\u2581\u2581 b"),
    b"\xff \xe3\x81", b"\x00", b"a\tb", u("\u2581caf\u00e9 ... \u2581km"),
]


def main():
    if not SHARED_CORPORA.is_dir():
        sys.exit(f"missing {SHARED_CORPORA}")
    TEXT_DIR.mkdir(parents=True, exist_ok=True)
    sample_corpora()
    (TEXT_DIR / "edge_cases.txt").write_bytes(join_lines(EDGE_LINES))
    (TEXT_DIR / "edge_short.txt").write_bytes(join_lines(l for l in EDGE_LINES if len(l) <= 4096))
    (TEXT_DIR / "decode_ids_edge.txt").write_bytes(join_lines(DECODE_ID_LINES))
    (TEXT_DIR / "decode_pieces_edge.txt").write_bytes(join_lines(DECODE_PIECE_LINES))
    (TEXT_DIR / "no_final_newline.txt").write_bytes(b"first line\nlast line without newline")
    (TEXT_DIR / "empty.txt").write_bytes(b"")


if __name__ == "__main__":
    main()
