#!/usr/bin/env python3
"""Differential test on vocabularies of a quarter of a million pieces.

The published models in testdata/ stop at 100k pieces (bpemb, BPE) and
37k for unigram, while models people encode with go to 250k (mT5 and XLM-R
are unigram, Gemma is BPE): unigram ids past 65,535 (six digits, wider
lanes in the word caches), a trie of ~650k units and its sort, and tables
sized by the vocabulary are met only here. This test makes two
such models from ones in testdata/models, their vocabularies grown with
frequent words and substrings of testdata/text/sample (the reference loads
and encodes them like any other), then compares our spm_encode with the
installed reference's, ids and pieces, on one thread and on all cores, on
the sample text and on random_lines_test.py's tricky lines.

  large_vocab_test.py --bindir BUILD/bin [--pieces N] [--write-models DIR]

--write-models DIR only writes the models (unigram_large.model,
bpe_large.model) to DIR, e.g. for a benchmark.

Exit status: 0 all equal, 1 differences, 77 reference (or its Python
module, for the model protobuf) not installed.
"""
import argparse
import collections
import os
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.path.join(ROOT, "testdata", "models")
SAMPLE = os.path.join(ROOT, "testdata", "text", "sample")
SPACE = "\u2581"
NORMAL = 1  # ModelProto.SentencePiece.Type.NORMAL


def sample_files():
    return sorted(os.path.join(SAMPLE, f) for f in os.listdir(SAMPLE) if f.endswith(".txt"))


def candidates(files):
    """Words (with and without a leading `▁`) and substrings of 2 to 9
    characters from each word's first 6 positions, most frequent first
    (ties in order of first sight: deterministic)."""
    count = collections.Counter()
    for path in files:
        with open(path, encoding="utf-8", errors="ignore") as f:
            for word in f.read().split():
                count[SPACE + word] += 1
                count[word] += 1
                for a in range(min(len(word), 6)):
                    for b in range(a + 2, min(len(word), a + 9) + 1):
                        count[word[a:b]] += 1
    return [w for w, _ in count.most_common()]


def grow(pb, base_path, out_path, pieces, kind, words):
    """Writes base_path's model with NORMAL pieces from `words` appended up
    to `pieces` in all, scored below every piece it has: unigram scores
    falling with rank (a little noise, so that ties are rare as in a
    trained model), BPE scores one apart in rank order (as trained BPE
    models score their merges)."""
    m = pb.ModelProto()
    with open(base_path, "rb") as f:
        m.ParseFromString(f.read())
    have = set(p.piece for p in m.pieces)
    new = [w for w in words if w not in have and "\0" not in w and len(w.encode()) <= 48]
    new = new[:max(0, pieces - len(m.pieces))]
    lowest = min(p.score for p in m.pieces if p.type == NORMAL)
    rng = random.Random(1)
    for i, w in enumerate(new):
        p = m.pieces.add()
        p.piece = w
        p.type = NORMAL
        if kind == "unigram":
            p.score = lowest - 0.5 - 12.0 * i / len(new) + rng.uniform(-0.3, 0.3)
        else:
            p.score = lowest - 1 - i
    with open(out_path, "wb") as f:
        f.write(m.SerializeToString())
    return len(m.pieces)


def write_models(pb, outdir, pieces):
    words = candidates(sample_files())
    made = []
    for base, name, kind in (("albert_spiece", "unigram_large", "unigram"),
                             ("llama2", "bpe_large", "bpe")):
        path = os.path.join(outdir, name + ".model")
        n = grow(pb, os.path.join(MODELS, base + ".model"), path, pieces, kind, words)
        made.append((path, n))
    return made


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bindir")
    ap.add_argument("--pieces", type=int, default=250000)
    ap.add_argument("--write-models", metavar="DIR")
    args = ap.parse_args()
    try:
        from sentencepiece import sentencepiece_model_pb2 as pb
    except ImportError:
        print("large_vocab_test: the reference's Python module is not installed here "
              "(Debian's python3-sentencepiece: run this with /usr/bin/python3); skipped")
        return 77
    if args.write_models:
        os.makedirs(args.write_models, exist_ok=True)
        for path, n in write_models(pb, args.write_models, args.pieces):
            print(f"{path}: {n} pieces")
        return 0
    if not args.bindir:
        ap.error("--bindir is required")
    ref = shutil.which("spm_encode")
    if ref is None or os.path.realpath(ref) == os.path.realpath(os.path.join(args.bindir, "spm_encode")):
        print("large_vocab_test: reference spm_encode not installed; skipped")
        return 77
    ours = os.path.join(args.bindir, "spm_encode")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        text = os.path.join(tmp, "sample.txt")
        with open(text, "wb") as out:
            for path in sample_files():
                with open(path, "rb") as f:
                    out.write(f.read())
        for model, n in write_models(pb, tmp, args.pieces):
            name = os.path.basename(model)
            # The models must be as large as announced, or the test tests
            # nothing it is for.
            if n < min(args.pieces, 150000):
                print(f"FAIL {name}: only {n} pieces")
                failures += 1
                continue
            for fmt in ("id", "piece"):
                want = subprocess.run([ref, "--model=" + model, "--output_format=" + fmt, text],
                                      stdout=subprocess.PIPE, check=True).stdout
                for threads in ("1", "0"):
                    got = subprocess.run([ours, "--model=" + model, "--output_format=" + fmt,
                                          "--num_threads=" + threads, text],
                                         stdout=subprocess.PIPE, check=True).stdout
                    if got != want:
                        failures += 1
                        a, b = want.split(b"\n"), got.split(b"\n")
                        line = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                        print(f"DIFF {name} {fmt} --num_threads={threads} at output line {line + 1}")
                    else:
                        print(f"{name} ({n} pieces) {fmt} --num_threads={threads}: identical")
            # The tricky lines (spaces, `▁`, invalid bytes, long unspaced runs).
            rc = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "random_lines_test.py"),
                                 "--bindir", args.bindir, "--lines", "300", "--models", model]).returncode
            failures += rc != 0
    print(f"large_vocab: {failures} differing runs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
