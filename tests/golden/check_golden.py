#!/usr/bin/python3
"""Runs our tools on the golden inputs and compares with testdata/golden/.

  check_golden.py --bindir BUILD/bin [--models M ...] [--cases GLOB ...] [-j N]

Each case of testdata/golden/manifest.json is rerun with BINDIR's tool and its
stdout compared byte for byte with the stored output (.xz) or its digest
(.sha256).  "proto" cases (spm_encode --output_format=proto) are parsed and
converted to the compact form of sptext.to_compact() first.  Where the
reference failed (exit != 0) ours must fail too.  Exit status: 0 all equal,
1 differences, 2 setup error.  Needs no reference SentencePiece.
"""
import argparse
import concurrent.futures as futures
import fnmatch
import sys
import time
from pathlib import Path

import cases as C
from common import GOLDEN_DIR, TEXT_DIR, TOOLS, first_diff, read_xz, split_lines
from runner import digest_text, load_manifest, read_input, run_case
from sptext import ours_to_compact


def mix_labels():
    """line index (0-based) in golden_mix.txt -> 'corpus #k'."""
    labels = []
    for row in (TEXT_DIR / "golden_mix.index").read_text().splitlines():
        if row.startswith("#"):
            continue
        name, _first, count = row.split("\t")
        labels += [f"({name} #{k + 1})" for k in range(int(count))]
    return labels


MIX_LABELS = mix_labels()


def label_fn(case):
    if any(C.MIX in a for a in case["args"]) or case.get("stdin") == C.MIX:
        return lambda i: MIX_LABELS[i] if i < len(MIX_LABELS) else ""
    return lambda i: ""


def check_case(case, bindir):
    """Returns (status, message); status is 'ok', 'FAIL' or 'note'."""
    res = run_case(case, bindir)
    err = res.stderr.decode(errors="replace").strip()
    if case["exit"] != 0:
        if res.returncode == 0:
            return "FAIL", (f"the reference fails here ({case.get('reference_error', '')}) "
                            f"but ours exited 0")
        if not err:
            return "FAIL", f"ours failed (exit {res.returncode}) without a message on stderr"
    elif res.returncode != 0:
        return "FAIL", f"ours exited {res.returncode}: {err[:500]}"
    actual = res.stdout
    if case["kind"] == "proto":
        actual = ours_to_compact(actual, split_lines(read_input(case["input"])))
    path = GOLDEN_DIR / case["file"]
    if path.suffix == ".sha256":
        if digest_text(actual) == path.read_text():
            return "ok", ""
        return _mismatch(case, "output differs from the stored digest (output too large to "
                         "store; run tests/diff/diff_test.py to see the difference)\n"
                         f"  expected {path.read_text().split()}\n"
                         f"  actual   {digest_text(actual).split()}")
    expected = read_xz(path)
    if actual == expected:
        return "ok", ""
    return _mismatch(case, first_diff(expected, actual, label_fn(case)))


def _mismatch(case, text):
    if case["exit"] != 0:  # both failed; partial output is not required to match
        return "note", "both failed as expected, but the partial stdout differs:\n" + text
    return "FAIL", text


def describe(case):
    cmd = " ".join([case["tool"]] + case["args"])
    if case.get("stdin"):
        cmd += " < " + case["stdin"]
    return cmd


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bindir", help="directory with our spm_* tools (required unless --list)")
    ap.add_argument("--models", nargs="*", help="only cases of these models (or _normalize)")
    ap.add_argument("--cases", nargs="*", help="only cases whose name matches these globs")
    ap.add_argument("--no-proto", action="store_true",
                    help="skip the --output_format=proto cases (for checking the reference)")
    ap.add_argument("--list", action="store_true", help="print the case commands and exit")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    args = ap.parse_args()

    all_cases = load_manifest()
    todo = [c for c in all_cases
            if (not args.models or c["name"].split("/")[0] in args.models)
            and (not args.cases or any(fnmatch.fnmatch(c["name"], g) for g in args.cases))
            and not (args.no_proto and c["kind"] == "proto")]
    if args.list:
        for c in todo:
            print(f"{c['name']}\t{c['file']}\texit={c['exit']}\t{describe(c)}")
        return 0
    if not args.bindir:
        ap.error("--bindir is required")
    bindir = Path(args.bindir)
    missing = [t for t in TOOLS if not (bindir / t).is_file()]
    if missing:
        print(f"check_golden: missing in {bindir}: {', '.join(missing)}", file=sys.stderr)
        return 2
    if not todo:
        print("check_golden: no cases selected", file=sys.stderr)
        return 2

    t0 = time.time()
    with futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda c: check_case(c, bindir), todo))
    per_model, failed, notes = {}, 0, 0
    for case, (status, msg) in zip(todo, results):
        model = case["name"].split("/")[0]
        n, bad = per_model.get(model, (0, 0))
        per_model[model] = (n + 1, bad + (status == "FAIL"))
        if status != "ok":
            failed += status == "FAIL"
            notes += status == "note"
            print(f"{status}: {case['name']}\n  $ {describe(case)}\n{msg}\n", flush=True)
    for model, (n, bad) in sorted(per_model.items()):
        print(f"{model}: {n} cases, {bad} failed")
    skipped = len(all_cases) - len(todo)
    print(f"golden: {len(todo)} cases, {failed} failed, {notes} notes, {skipped} not selected, "
          f"{time.time() - t0:.0f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
