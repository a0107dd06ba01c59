#!/usr/bin/env python3
"""Compares n-best lists, scored samples and entropies with the reference.

Runs tests/diff/regularization_dump (our library) and the reference's
Python module on the same lines with the same seed and calls, in the same
order (the random draws must line up): for each line, NBestEncode,
SampleEncodeAndScore, CalculateEntropy. Ids must be identical; scores and
entropies must agree to 1e-5 relative.

  regularization_test.py --dump BUILD/tests/regularization_dump [--lines N] [--models M ...]

Exit status: 0 equal, 1 differences, 77 reference module missing.
"""
import argparse
import json
import math
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPORA = os.path.join(os.path.dirname(ROOT), "shared", "data", "corpora")
SAMPLE = os.path.join(ROOT, "testdata", "text", "sample")

CONFIGS = [  # nbest, num_samples, alpha, wor, include_best
    (10, 5, 0.5, False, False),
    (2, 8, 0.1, True, False),
    (64, 4, 1.0, True, True),
]


REFERENCE_SCRIPT = r"""
import json, sys
import sentencepiece as spm
from sentencepiece import sentencepiece_pb2 as pb
model, seed, nbest, num, alpha, wor, include_best = json.loads(sys.argv[1])
lines = json.loads(sys.stdin.read())
spm.set_random_generator_seed(seed)
sp = spm.SentencePieceProcessor(model_file=model)
out = []
for line in lines:
    t = pb.NBestSentencePieceText()
    t.ParseFromString(sp.NBestEncodeAsSerializedProto(line, nbest))
    for h in t.nbests:
        out.append(["N", h.score, [p.id for p in h.pieces]])
    try:
        samples = sp.sample_encode_and_score(line, num_samples=num, alpha=alpha, wor=wor,
                                             include_best=include_best, out_type=int)
    except RuntimeError:
        samples = []  # The reference refuses (e.g. empty text); ours prints nothing then.
    for ids, score in samples:
        out.append(["S", score, list(ids)])
    out.append(["E", sp.CalculateEntropy(line, alpha), None])
    out.append(["-", None, None])
print(json.dumps(out))
"""


def reference_dump(model, lines, seed, nbest, num, alpha, wor, include_best):
    # A fresh process per run: the seed only applies to a thread's generator
    # when it is first used, so every run must start from a new thread.
    p = subprocess.run([sys.executable, "-c", REFERENCE_SCRIPT,
                        json.dumps([model, seed, nbest, num, alpha, wor, include_best])],
                       input=json.dumps(lines).encode("utf-8"), stdout=subprocess.PIPE)
    if p.returncode != 0:
        return None
    return [tuple(r) for r in json.loads(p.stdout)]


def our_dump(dump, model, lines, seed, nbest, num, alpha, wor, include_best):
    data = "".join(l + "\n" for l in lines).encode("utf-8")
    p = subprocess.run([dump, model, str(seed), str(nbest), str(num), repr(alpha), str(int(wor)),
                        str(int(include_best))], input=data, stdout=subprocess.PIPE, check=True)
    out = []
    for row in p.stdout.decode("utf-8").split("\n"):
        if not row:
            continue
        f = row.split("\t")
        if f[0] == "-":
            out.append(("-", None, None))
        elif f[0] == "E":
            out.append(("E", float(f[1]), None))
        else:
            out.append((f[0], float(f[1]), [int(x) for x in f[2].split()] if f[2] else []))
    return out


def close(a, b):
    return a == b or math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-6)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dump", required=True)
    ap.add_argument("--lines", type=int, default=40)
    ap.add_argument("--models", nargs="*", default=["spm_test_model", "albert_spiece",
                                                    "chinese_llama_human_unigram", "unigram_uds"])
    args = ap.parse_args()
    if subprocess.run([sys.executable, "-c", "import sentencepiece"]).returncode != 0:
        print("regularization_test: reference python module missing; skipped")
        return 77
    src = CORPORA if os.path.isdir(CORPORA) else SAMPLE
    lines = []
    for name in sorted(os.listdir(src)):
        with open(os.path.join(src, name), encoding="utf-8") as f:
            picked = [l.rstrip("\n") for i, l in enumerate(f) if i % 97 == 3 and len(l) < 200]
        lines.extend(picked[: max(1, args.lines // 10)])
    lines = lines[: args.lines * 3]
    failures = 0
    for name in args.models:
        model = os.path.join(ROOT, "testdata", "models", name + ".model")
        for cfg in CONFIGS:
            # 0.1.97 crashes with include_best when no sample is left (a text
            # with fewer segmentations than requested) and when the A* agenda
            # is shrunk (long texts); we return what there is. Compare on
            # texts where it survives.
            run_lines = [l for l in lines if 40 <= len(l) < 100 and l.isascii()] if cfg[4] else lines
            ref = reference_dump(model, run_lines, 4242, *cfg)
            ours = our_dump(args.dump, model, run_lines, 4242, *cfg)
            bad = None
            if ref is None:
                print(f"{name} {cfg}: the reference crashed on these lines; not compared")
                continue
            if len(ref) != len(ours):
                bad = f"{len(ref)} vs {len(ours)} rows"
            else:
                for (k1, s1, i1), (k2, s2, i2) in zip(ref, ours):
                    if k1 != k2 or i1 != i2 or (s1 is not None and not close(s1, s2)):
                        bad = f"ref {(k1, s1, i1)} ours {(k2, s2, i2)}"
                        break
            status = "ok" if bad is None else "DIFF " + bad
            failures += bad is not None
            print(f"{name} nbest={cfg[0]} samples={cfg[1]} alpha={cfg[2]} wor={cfg[3]} "
                  f"include_best={cfg[4]}: {len(run_lines)} lines, {status}")
    print(f"regularization: {failures} differing runs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
