#!/usr/bin/env python3
"""spm_encode's n-best, seeded sampling and vocabulary options vs the reference.

For unigram and BPE models, on short lines of every corpus: --output_format
nbest_id/nbest_piece (sizes 1, 2, 10, 64; BPE must be refused as the
reference refuses it), sample_id/sample_piece with --random_seed (unigram
sampling with nbest_size -1, 0, 1, >1; BPE-dropout), --generate_vocabulary,
and --vocabulary/--vocabulary_threshold with a vocabulary generated from the
text. Output must be byte-identical; where the reference fails, ours must
fail too.

  sampling_test.py --bindir BUILD/bin [--lines N]

Exit status: 0 equal, 1 differences, 77 reference not installed.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPORA = os.path.join(os.path.dirname(ROOT), "shared", "data", "corpora")
SAMPLE = os.path.join(ROOT, "testdata", "text", "sample")
UNIGRAM = ["spm_test_model", "albert_spiece", "chinese_llama_human_unigram", "unigram_uds"]
BPE = ["llama2", "hf_test_sentencepiece_bpe", "bpe_bytefb"]


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bindir", required=True)
    ap.add_argument("--lines", type=int, default=15, help="lines per corpus")
    args = ap.parse_args()
    ref = shutil.which("spm_encode")
    if ref is None:
        print("sampling_test: reference spm_encode not installed; skipped")
        return 77
    ours = os.path.join(args.bindir, "spm_encode")
    src = CORPORA if os.path.isdir(CORPORA) else SAMPLE
    lines = []
    for name in sorted(os.listdir(src)):
        with open(os.path.join(src, name), "rb") as f:
            picked = [l for i, l in enumerate(f) if i % 53 == 1 and len(l) < 200]
        lines.extend(picked[: args.lines])
    tmp = tempfile.mkdtemp()
    text = os.path.join(tmp, "in.txt")
    with open(text, "wb") as f:
        f.write(b"".join(lines))
    runs = []
    for m in UNIGRAM + BPE:
        model = os.path.join(ROOT, "testdata", "models", m + ".model")
        base = ["--model=" + model, text]
        for n in (1, 2, 10, 64):
            runs.append((m, base + ["--output_format=nbest_id", f"--nbest_size={n}"]))
        runs.append((m, base + ["--output_format=nbest_piece", "--nbest_size=3"]))
        for n, a in ((-1, 0.1), (-1, 1.0), (0, 0.5), (1, 0.5), (5, 0.5), (64, 0.2)):
            if m in BPE and n != -1:
                continue
            runs.append((m, base + ["--output_format=sample_id", f"--nbest_size={n}", f"--alpha={a}",
                                    "--random_seed=1234"]))
        runs.append((m, base + ["--output_format=sample_piece", "--nbest_size=-1", "--alpha=0.3",
                                "--random_seed=99"]))
        runs.append((m, base + ["--generate_vocabulary=true"]))
        vocab = os.path.join(tmp, m + ".vocab")
        rc, out = run([ref, "--generate_vocabulary=true"] + base)
        with open(vocab, "wb") as f:
            f.write(out)
        runs.append((m, base + ["--vocabulary=" + vocab, "--vocabulary_threshold=3"]))
        runs.append((m, base + ["--vocabulary=" + vocab, "--output_format=id"]))
    failures = 0
    for m, cmd in runs:
        rc_ref, out_ref = run([ref] + cmd)
        rc_ours, out_ours = run([ours] + cmd)
        ok = (rc_ref != 0 and rc_ours != 0) or (rc_ref == rc_ours and out_ref == out_ours)
        if not ok:
            failures += 1
            print(f"DIFF {m} {' '.join(c for c in cmd if c.startswith('--') and 'model' not in c)}: "
                  f"exit {rc_ref} vs {rc_ours}")
            for i, (a, b) in enumerate(zip(out_ref.split(b"\n"), out_ours.split(b"\n"))):
                if a != b:
                    print(f"  line {i + 1}\n  ref:  {a[:200]!r}\n  ours: {b[:200]!r}")
                    break
    shutil.rmtree(tmp)
    print(f"sampling: {len(runs)} runs over {len(lines)} lines, {failures} differing")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
