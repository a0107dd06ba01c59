#!/usr/bin/python3
"""Regenerates testdata/golden/ from the reference SentencePiece 0.1.97.

Every expected output comes from /usr/bin/spm_* or, for offsets, from the
reference Python module (sptext.ReferenceEncoder).  Outputs are stored
xz-compressed (deterministic; read them with xzcat); outputs whose compressed
size exceeds --digest-limit are stored only as "sha256/bytes/lines"
(.sha256); cases with identical output share one file.

If the reference spm_encode dies on some line of an input for a model (it does,
e.g. word model + a word equal to a control piece), that model gets a copy of
the input without those lines (testdata/golden/<model>/input.<tag>.txt.xz) plus a
"fatal" case on the first failing line that our tool must fail on too.
"""
import argparse
import concurrent.futures as futures
import hashlib
import shutil
import sys
import time

import cases as C
from common import (GOLDEN_DIR, MODELS_DIR, REF_BINDIR, REPO, join_lines,
                    run_tool, split_lines, write_xz)
from runner import XZ_REF, digest_text, read_input, run_case, save_manifest
from sptext import ReferenceEncoder, to_compact

INPUTS = {"mix": C.MIX, "edge": C.EDGE, "edge_short": C.EDGE_SHORT}


def probe_inputs(model):
    """Returns (inputs, fatal cases) for the model (see module doc)."""
    inputs, fatal = dict(INPUTS), []
    mp = C.model_path(model)
    for tag, inp in INPUTS.items():
        if run_tool(REF_BINDIR, "spm_encode", [f"--model={mp}", inp], cwd=REPO).returncode == 0:
            continue
        lines = split_lines((REPO / inp).read_bytes())
        bad = [i for i, line in enumerate(lines)
               if run_tool(REF_BINDIR, "spm_encode", [f"--model={mp}"], stdin_data=line + b"\n",
                           cwd=REPO).returncode != 0]
        filtered = f"testdata/golden/{model}/input.{tag}.txt.xz"
        write_xz(REPO / filtered, join_lines([l for i, l in enumerate(lines) if i not in bad]))
        fatal_in = f"testdata/golden/{model}/fatal_line.{tag}.txt"
        (REPO / fatal_in).write_bytes(lines[bad[0]] + b"\n")
        inputs[tag] = "{xz:" + filtered + "}"
        fatal.append(C.case(f"{model}/encode_piece.fatal.{tag}", "spm_encode",
                            [f"--model={mp}", fatal_in]))
        print(f"  {model}: reference fails on {tag} lines {[i + 1 for i in bad]}; "
              f"using {filtered}", flush=True)
    return inputs, fatal


def reference_proto(case):
    """Offsets golden: one SentencePieceText per input line (compact form)."""
    model = case["args"][0].split("=", 1)[1]
    lines = split_lines(read_input(case["input"]))
    try:
        msgs = ReferenceEncoder(REPO / model).encode_lines(lines, case["extra_options"])
    except RuntimeError as e:  # e.g. 'id for `<s>` is not defined.'
        return b"", 255, str(e)
    # Consistency: the pieces and ids must equal what the reference CLI prints.
    opts = [f"--extra_options={case['extra_options']}"] if case["extra_options"] else []
    for fmt, get in (("piece", lambda p: p.piece), ("id", lambda p: str(p.id).encode())):
        cli = run_case({"tool": "spm_encode", "args": [f"--model={model}", f"--output_format={fmt}",
                                                        case["input"]] + opts}, REF_BINDIR)
        want = join_lines([b" ".join(get(p) for p in m.pieces) for m in msgs])
        if cli.returncode != 0 or cli.stdout != want:
            raise SystemExit(f"{case['name']}: Python module and spm_encode disagree ({fmt})")
    return join_lines([to_compact(m, line) for m, line in zip(msgs, lines)]), 0, ""


def generate_case(case, digest_limit):
    if case["kind"] == "proto":
        out, code, err = reference_proto(case)
    else:
        res = run_case(case, REF_BINDIR, as_reference=True)
        out, code, err = res.stdout, res.returncode, res.stderr.decode(errors="replace")
    case["exit"] = code
    case["_sha"] = hashlib.sha256(out).hexdigest()
    if code != 0:
        case["reference_error"] = err.strip().splitlines()[0][:300] if err.strip() else ""
    path = GOLDEN_DIR / case["file"]
    write_xz(path, out)
    if path.stat().st_size > digest_limit:
        path.unlink()
        case["file"] = case["name"] + ".sha256"
        (GOLDEN_DIR / case["file"]).write_text(digest_text(out))
    return case


def generate_model(model, digest_limit):
    t0 = time.time()
    inputs, fatal = probe_inputs(model)
    todo = C.encode_cases(model, inputs) + C.model_cases(model) + fatal
    done = [generate_case(c, digest_limit) for c in todo]  # in order: decode reads encode
    print(f"{model}: {len(done)} cases, {time.time() - t0:.1f}s", flush=True)
    return done


def deduplicate(all_cases):
    """Cases with identical output share one file (the first by name)."""
    first, renamed = {}, {}
    for c in all_cases:
        sha = c.pop("_sha")
        if sha in first:
            (GOLDEN_DIR / c["file"]).unlink()
            renamed["testdata/golden/" + c["file"]] = "testdata/golden/" + first[sha]
            c["file"] = first[sha]
        else:
            first[sha] = c["file"]
    for c in all_cases:
        c["args"] = [XZ_REF.sub(lambda m: "{xz:" + renamed.get(m.group(1), m.group(1)) + "}", a)
                     for a in c["args"]]
    print(f"{len(first)} distinct outputs for {len(all_cases)} cases")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--digest-limit", type=int, default=100_000,
                    help="store a digest instead of outputs whose .xz exceeds this")
    args = ap.parse_args()
    models = sorted(p.stem for p in MODELS_DIR.glob("*.model"))
    if not models:
        sys.exit("no models in testdata/models; run make_models.py first")
    if GOLDEN_DIR.exists():
        shutil.rmtree(GOLDEN_DIR)
    GOLDEN_DIR.mkdir(parents=True)
    t0 = time.time()
    all_cases = []
    with futures.ThreadPoolExecutor(args.jobs) as pool:
        for result in pool.map(lambda m: generate_model(m, args.digest_limit), models):
            all_cases += result
    all_cases += [generate_case(c, args.digest_limit) for c in C.global_cases()]
    all_cases.sort(key=lambda c: c["name"])
    deduplicate(all_cases)
    for c in all_cases:  # a digest cannot be decompressed as another case's input
        for a in c["args"]:
            for ref in XZ_REF.findall(a):
                if not (REPO / ref).exists():
                    sys.exit(f"{c['name']} reads a golden file stored only as a digest: {a}")
    save_manifest(models, all_cases)
    fatal = sum(1 for c in all_cases if c["exit"] != 0)
    print(f"{len(all_cases)} golden files ({fatal} with expected failure) "
          f"for {len(models)} models in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
