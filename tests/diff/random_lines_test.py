#!/usr/bin/env python3
"""Differential test on random lines built from tricky fragments.

Our encoder has fast paths (word caches, a raw-word id cache) whose
exactness rests on conditions about spaces, `▁`, normalization rules and
piece boundaries. This test throws lines at them that mix exactly those
things -- single and repeated spaces, tabs, U+2581, combining marks,
full-width and compatibility characters, CJK, invalid bytes, NUL, user
symbols, long repeated words, long lines without spaces -- and compares `spm_encode` (id and piece)
with the installed reference, line by line.

  random_lines_test.py --bindir BUILD/bin [--lines N] [--seed S] [--models M ...]

M is a model of testdata/models by name, or a path to a .model file.

Exit status: 0 all equal, 1 differences, 77 reference not installed.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.path.join(ROOT, "testdata", "models")

FRAGMENTS = [
    "hello", "world", "the", "a", "Tokyo", "naïve", "cafe\u0301", "e\u0301", "\u0301",
    "\u2581", "\u2581\u2581", " ", "  ", "   ", "\t", "\r", "\u3000", "\u00a0", "\u200b",
    "ＡＢＣ", "１２３", "½", "ﬁ", "Å", "A\u030a", "東京", "日本語", "こんにちは", "한국어",
    "\U0001F600", "abc123", "123", "3.14", ",", ".", "!?", "'", '"', "-", "--", "(", ")",
    "<unk>", "<s>", "</s>", "<sep>", "<cls>", "[MASK]", "<pad>", "ab",
    "\x00", "\x01", "\x7f", "Ⅻ", "ǅ", "ß", "İ", "ﬀ", "\ufeff", "\ufffd",
    "supercalifragilisticexpialidocious", "aaaaaaaaaaaaaaaaaaaaaaaa",
    "Straße", "Ελληνικά", "русский", "עברית", "العربية", "हिन्दी", "ไทย",
    # Normalized with spaces inside: U+00A8 and U+00B4 by NFKC ("\u0020\u0308"),
    # U+00B7 and U+00A6 by rules/space.tsv.
    "\u00a8", "a\u00a8b", "\u00b4", "\u00b7", "x\u00b7y", "\u00a6", "x\u00a6y",
    # Words whose last byte changes under NFKC (U+017F -> s, U+FB01 -> fi),
    # before words that pieces crossing a space continue with.
    "wa\u017f", "i\u017f", "\ufb01", "of", "are", "by", "and",
]
# Hand-made lines run before the random ones: long words that normalize to
# nothing (past the word cache's length limit), words ending with a space
# under NFKC, runs of spaces.
FIXED = [
    b"a\t " + b"\x01" * 200, b"a\t " + b"\x01" * 200 + b" b", b"x " + b"\x7f" * 150 + b" y\t",
    b"\t" * 150 + b" z", b"q " + "\u3000".encode() * 60 + b" r", b"a\t\t b\t c",
    b"  a  \xc2\xa8 b  ",
]
INVALID = [b"\x80", b"\xff", b"\xc3", b"\xe2\x96", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
           # Overlong two-byte forms (of "A" and "/"), next to letters of two-byte scripts.
           b"\xc1\x81", b"\xc0\xaf", "ж".encode() + b"\xc1\x81" + "ω".encode()]


def long_unspaced_lines(rng):
    """Lines without spaces long enough to be segmented in parts (cut
    between characters no piece has side by side): BPE words past 48
    symbols, unigram words past 128 KB."""
    lines = []
    for size, pool in ((300_000, FRAGMENTS), (160_000, ["東京", "日本語", "こんにちは", "한국어",
                                                        "abc", "ǅ", "ﬁ", "ไทย", "\u2581"])):
        parts, total = [], 0
        while total < size:
            if pool is FRAGMENTS and rng.random() < 0.05:
                frag = rng.choice(INVALID)
            else:
                frag = rng.choice(pool).encode("utf-8")
            frag = frag.replace(b" ", b"").replace(b"\n", b"")
            parts.append(frag)
            total += len(frag)
        lines.append(b"".join(parts))
    return lines


# Characters for runs of unspaced script, which the encoder steps through
# character by character, taking characters no multi-character piece
# contains from a table: common and rare CJK (unknown to most models, with
# and without byte fallback), kana, Hangul, two-byte letters, and bytes that
# break the stepping (a lead byte before a whole character, overlong forms,
# surrogates, stray trail bytes, a cut-off character).
UNSPACED = ["東", "京", "日", "本", "語", "の", "は", "ア", "ン", "한", "국", "鱻", "龘", "㐀",
            "ꀀ", "ᚠ", "é", "ж", "λ", "ß", "、", "。", "「", "」", "ー", "a", "1", ".", "\u2581",
            "ﾃ", "ｶﾞ", "Ａ", "\u3000", "\U0001F600", "\U00020000"]
UNSPACED_BYTES = [b"\xe3", b"\xe3a", b"\xe3\x81", b"\xe0\x80\x80", b"\xc0\xaf", b"\xed\xa0\x80",
                  b"\x80", b"\xbf\xbf", b"\xf0\x9f", b"\xff"]


def unspaced_script_lines(rng, count):
    lines = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(5, 80)):
            if rng.random() < 0.1:
                parts.append(rng.choice(UNSPACED_BYTES))
            else:
                parts.append(rng.choice(UNSPACED).encode("utf-8") * rng.choice((1, 1, 1, 2, 5)))
            if rng.random() < 0.03:
                parts.append(b" ")
        lines.append(b"".join(parts))
    return lines


def random_line(rng):
    parts = []
    for _ in range(rng.randint(0, 14)):
        r = rng.random()
        if r < 0.08:
            parts.append(rng.choice(INVALID))
        else:
            frag = rng.choice(FRAGMENTS)
            if r > 0.97:
                frag = frag * rng.randint(2, 40)
            parts.append(frag.encode("utf-8"))
        if rng.random() < 0.6:
            parts.append(b" ")
    line = b"".join(parts)
    return line.replace(b"\n", b" ")


def run(cmd, data):
    p = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bindir", required=True)
    ap.add_argument("--lines", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--models", nargs="*")
    args = ap.parse_args()
    ref = shutil.which("spm_encode")
    if ref is None or os.path.realpath(ref) == os.path.realpath(os.path.join(args.bindir, "spm_encode")):
        print("random_lines_test: reference spm_encode not installed; skipped")
        return 77
    rng = random.Random(args.seed)
    lines = (FIXED + long_unspaced_lines(random.Random(args.seed)) +
             unspaced_script_lines(random.Random(args.seed + 1), args.lines // 2) +
             [random_line(rng) for _ in range(args.lines)])
    data = b"\n".join(lines) + b"\n"
    models = args.models or sorted(f[:-6] for f in os.listdir(MODELS) if f.endswith(".model"))
    failures = 0
    for name in models:
        # A name from testdata/models, or a path to any .model file.
        model = name if name.endswith(".model") else os.path.join(MODELS, name + ".model")
        for fmt in ("id", "piece"):
            for extra in ([], ["--extra_options=bos:eos"]):
                base = ["--model=" + model, "--output_format=" + fmt] + extra
                rc_ref, out_ref = run([ref] + base, data)
                rc_ours, out_ours = run([os.path.join(args.bindir, "spm_encode")] + base, data)
                if rc_ref != 0 and rc_ours != 0:
                    continue
                if rc_ref != rc_ours or out_ref != out_ours:
                    failures += 1
                    ref_lines = out_ref.split(b"\n")
                    our_lines = out_ours.split(b"\n")
                    for i, (a, b) in enumerate(zip(ref_lines, our_lines)):
                        if a != b:
                            print(f"DIFF {name} {fmt} {extra} line {i + 1}: input={lines[i][:300]!r}")
                            print(f"  ref:  {a[:300]!r}\n  ours: {b[:300]!r}")
                            break
                    else:
                        print(f"DIFF {name} {fmt} {extra}: exit {rc_ref} vs {rc_ours}, "
                              f"{len(ref_lines)} vs {len(our_lines)} lines")
        print(f"{name}: {args.lines} random lines, {'ok' if not failures else 'see above'}")
    print(f"random_lines: {failures} differing runs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
