#!/usr/bin/python3
"""Live differential test: our tools against the installed reference 0.1.97.

  diff_test.py --bindir BUILD/bin [--sample N] [--models M ...] [-j N]

For every model (testdata/models/*.model by default) and every corpus in
../shared/data/corpora (testdata/text/sample when that is absent) plus
testdata/text/edge_cases.txt, compares spm_encode piece/id output (plain and
with --extra_options bos:eos and reverse:unk), offsets (ours
--output_format=proto against the reference Python module), spm_decode of the
reference's ids and pieces, spm_normalize and spm_export_vocab; then checks
that bad inputs (broken models, unknown flags, ...) make both fail.
--sample N takes N evenly spaced lines per corpus.  Exit status: 0 no
mismatch, 1 mismatches, 77 reference not installed (ctest skip).
"""
import argparse
import concurrent.futures as futures
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "golden"))
from bad_inputs import run_bad_input_checks  # noqa: E402
from common import (MODELS_DIR, REF_BINDIR, SHARED_CORPORA, TEXT_DIR, TOOLS,  # noqa: E402
                    join_lines, run_tool, show, split_lines)
from sptext import ReferenceEncoder, from_serialized, parse_lines, to_compact  # noqa: E402

EXTRA_OPTIONS = ["bos:eos", "reverse:unk"]
MAX_EXAMPLES = 3


def same_message(ref, ours):
    """ref: serialized bytes; ours: serialized bytes or ValueError."""
    if isinstance(ours, ValueError):
        return False
    return ref == ours or from_serialized(ref) == from_serialized(ours)


def load_inputs(sample):
    """Returns (lines, labels): all selected lines and 'corpus' per line."""
    corpus_dir = SHARED_CORPORA if SHARED_CORPORA.is_dir() else TEXT_DIR / "sample"
    files = sorted(corpus_dir.glob("*.txt")) + [TEXT_DIR / "edge_cases.txt"]
    lines, labels = [], []
    for f in files:
        data = split_lines(f.read_bytes())
        if sample and f.parent == corpus_dir and len(data) > sample:
            data = [data[i * len(data) // sample] for i in range(sample)]
        lines += data
        labels += [f.name] * len(data)
    return lines, labels


class ModelRun:
    """All comparisons for one model; collects mismatches."""

    def __init__(self, model, lines, labels, args, tmp):
        self.model, self.args, self.tmp = model, args, Path(tmp)
        self.lines, self.labels = lines, labels
        self.mismatches, self.examples, self.notes = 0, [], []

    def tool(self, bindir, tool, args, stdin=None):
        return run_tool(bindir, tool, [f"--model={self.model}"] + args, stdin_data=stdin)

    def write(self, name, data):
        path = self.tmp / f"{self.model.stem}.{name}"
        path.write_bytes(data)
        return str(path)

    def compare(self, what, expected, actual, labels=None):
        exp, act = split_lines(expected), split_lines(actual)
        bad = [i for i in range(max(len(exp), len(act)))
               if (exp[i] if i < len(exp) else None) != (act[i] if i < len(act) else None)]
        self.mismatches += len(bad)
        for i in bad[:MAX_EXAMPLES]:
            where = f"{labels[i]} " if labels and i < len(labels) else ""
            self.examples.append(
                f"    {what}: line {i + 1} ({where.strip() or 'n/a'})\n"
                f"      ref:  {show(exp[i] if i < len(exp) else None)}\n"
                f"      ours: {show(act[i] if i < len(act) else None)}")

    def both(self, what, tool, args, stdin=None, labels=None):
        """Runs ref and ours; compares stdout.  Returns the reference's stdout."""
        ref = self.tool(REF_BINDIR, tool, args, stdin)
        ours = self.tool(self.args.bindir, tool, args, stdin)
        if (ref.returncode == 0) != (ours.returncode == 0):
            self.mismatches += 1
            err = ours.stderr.decode(errors="replace").strip()[:300]
            self.examples.append(f"    {what}: exit status ref {ref.returncode}, ours {ours.returncode}: {err}")
        else:
            self.compare(what, ref.stdout, ours.stdout, labels)
        return ref

    def drop_fatal_lines(self):
        """Removes lines on which the reference spm_encode dies (bisection);
        ours must die on each of them too."""
        def fails(idx):
            data = join_lines(self.lines[i] for i in idx)
            return self.tool(REF_BINDIR, "spm_encode", [], data).returncode != 0

        def bisect(idx):
            if not fails(idx):
                return []
            if len(idx) == 1:
                return idx
            mid = len(idx) // 2
            return bisect(idx[:mid]) + bisect(idx[mid:])

        bad = set(bisect(list(range(len(self.lines)))))
        for i in sorted(bad):
            ours = self.tool(self.args.bindir, "spm_encode", [], self.lines[i] + b"\n")
            self.notes.append(f"reference fails on {self.labels[i]} line {show(self.lines[i], 0, 60)}"
                              f"; ours exit {ours.returncode}")
            if ours.returncode == 0:
                self.compare("fatal line", b"<reference fails>\n", ours.stdout)
        self.lines = [l for i, l in enumerate(self.lines) if i not in bad]
        self.labels = [l for i, l in enumerate(self.labels) if i not in bad]

    def offsets(self, inp, extra):
        """Ours --output_format=proto against the Python module's Encode()."""
        what = f"offsets{' ' + extra if extra else ''}"
        try:
            ref = ReferenceEncoder(self.model).encode_serialized(self.lines, extra)
        except RuntimeError:  # e.g. bos on a model without <s>: ours must fail
            ref = None
        args = ["--output_format=proto", f"--input={inp}"] + ([f"--extra_options={extra}"] if extra else [])
        ours = self.tool(self.args.bindir, "spm_encode", args)
        if (ref is None) != (ours.returncode != 0):
            self.mismatches += 1
            self.examples.append(f"    {what}: reference {'fails' if ref is None else 'succeeds'}, "
                                 f"ours exit {ours.returncode}")
            return
        if ref is None:
            return
        got = parse_lines(ours.stdout)
        bad = [i for i in range(max(len(ref), len(got)))
               if i >= len(ref) or i >= len(got) or not same_message(ref[i], got[i])]
        if bad:  # render only the mismatching lines (compact form) for the report
            def compact(msgs, i):
                if i >= len(msgs):
                    return b"<missing line>"
                m = msgs[i]
                return b"!" + str(m).encode() if isinstance(m, ValueError) else \
                    to_compact(from_serialized(m), self.lines[i])
            self.mismatches += len(bad)
            for i in bad[:MAX_EXAMPLES]:
                self.examples.append(
                    f"    {what}: line {i + 1} ({self.labels[i] if i < len(self.labels) else 'n/a'})\n"
                    f"      ref:  {show(compact(ref, i))}\n      ours: {show(compact(got, i))}")

    def run(self):
        self.drop_fatal_lines()
        inp = self.write("input.txt", join_lines(self.lines))
        L = self.labels
        for extra in [""] + EXTRA_OPTIONS:
            opt = [f"--extra_options={extra}"] if extra else []
            sfx = f" {extra}" if extra else ""
            pieces = self.both("encode piece" + sfx, "spm_encode", opt + [inp], labels=L)
            ids = self.both("encode id" + sfx, "spm_encode", opt + ["--output_format=id", inp], labels=L)
            if not self.args.no_proto:
                self.offsets(inp, extra)
            if pieces.returncode == 0 and ids.returncode == 0:
                dec_opt = ["--extra_options=reverse"] if "reverse" in extra else []
                self.both("decode id" + sfx, "spm_decode", dec_opt + ["--input_format=id",
                          self.write(f"ids{extra}", ids.stdout)], labels=L)
                self.both("decode piece" + sfx, "spm_decode",
                          dec_opt + [self.write(f"pieces{extra}", pieces.stdout)], labels=L)
        self.both("normalize", "spm_normalize", [inp], labels=L)
        self.both("normalize internal", "spm_normalize", ["--use_internal_normalization=true", inp],
                  labels=L)
        self.both("export_vocab", "spm_export_vocab", [])
        self.both("export_vocab syms", "spm_export_vocab", ["--output_format=syms"])
        for f in ("decode_ids_edge.txt", "decode_pieces_edge.txt"):
            fmt = ["--input_format=id"] if "ids" in f else []
            self.both(f"decode {f}", "spm_decode", fmt + [str(TEXT_DIR / f)])
        return self


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bindir", required=True, type=Path, help="directory with our spm_* tools")
    ap.add_argument("--sample", type=int, default=0, help="N lines per corpus (default: all)")
    ap.add_argument("--models", nargs="*", help="model names or paths (default: testdata/models)")
    ap.add_argument("--no-proto", action="store_true", help="skip the offsets comparison")
    ap.add_argument("--no-bad-inputs", action="store_true", help="skip the bad-input checks")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    args = ap.parse_args()
    try:
        import sentencepiece  # noqa: F401  (the reference Python module)
    except ImportError:
        sentencepiece = None
    if not all((REF_BINDIR / t).is_file() for t in TOOLS) or sentencepiece is None:
        print("diff_test: reference SentencePiece (CLI and python3-sentencepiece) not "
              "installed; skipping", file=sys.stderr)
        return 77
    missing = [t for t in TOOLS if not (args.bindir / t).is_file()]
    if missing:
        print(f"diff_test: missing in {args.bindir}: {', '.join(missing)}", file=sys.stderr)
        return 2
    models = [Path(m) if m.endswith(".model") else MODELS_DIR / f"{m}.model"
              for m in (args.models or [])] or sorted(MODELS_DIR.glob("*.model"))
    lines, labels = load_inputs(args.sample)
    t0 = time.time()
    total = 0
    with tempfile.TemporaryDirectory(prefix="spm_diff_") as tmp, \
            futures.ThreadPoolExecutor(args.jobs) as pool:
        runs = [pool.submit(lambda m: ModelRun(m, lines, labels, args, tmp).run(), m) for m in models]
        for fut in runs:
            r = fut.result()
            total += r.mismatches
            print(f"{r.model.name}: {len(r.lines)} lines, {r.mismatches} mismatches", flush=True)
            for note in r.notes if args.verbose or r.mismatches else []:
                print(f"    note: {note}")
            for ex in r.examples[:4 * MAX_EXAMPLES]:
                print(ex)
    bad = 0 if args.no_bad_inputs else run_bad_input_checks(args.bindir, REF_BINDIR, args.verbose)
    print(f"diff: {len(models)} models x {len(lines)} input lines, {total} mismatches, "
          f"{bad} bad-input failures, {time.time() - t0:.0f}s")
    return 1 if total or bad else 0


if __name__ == "__main__":
    sys.exit(main())
