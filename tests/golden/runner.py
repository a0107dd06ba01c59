"""Runs one golden case (as described in testdata/golden/manifest.json).

A case is a dict:
  name     the case, e.g. "llama2/encode_id.mix"
  file     its stored output, relative to testdata/golden (default NAME.xz):
           ".xz" (xz-compressed),
           or ".sha256" for outputs stored only as a digest; cases with
           identical output share one file
  kind     "bytes"  (default) stdout compared byte for byte
           "proto"  stdout of spm_encode --output_format=proto, one
                    SentencePieceText per line, compared as messages with the
                    golden produced by the Python module (see sptext.py)
  tool     spm_encode | spm_decode | spm_normalize | spm_export_vocab
  args     argument list; paths are relative to the repository root,
           "{xz:testdata/golden/NAME.xz}" stands for that golden file,
           decompressed into a temporary file (decode reads encode output),
           and "{out}" for a temporary output file whose content replaces stdout
  stdin    optional input file fed on stdin
  exit     exit status of the reference (non-zero: ours must fail too)
  reference_args, reference_stdin
           optional: what the reference runs instead of args/stdin to make
           the expected output, for a documented deviation in how a command
           line is read (docs/runtime.md), e.g. a bare bool flag followed by
           a file name; reference_stdin "" means no stdin
  input    (proto only) the text file whose lines were encoded
  extra_options (proto only) as given to SetEncodeExtraOptions
"""
import hashlib
import json
import re
import tempfile
from pathlib import Path

from common import GOLDEN_DIR, REPO, read_xz, run_tool

XZ_REF = re.compile(r"\{xz:([^}]*)\}")


def materialize(args, tmpdir):
    """Replaces {xz:...} placeholders by decompressed temporary files."""
    out = []
    for a in args:
        m = XZ_REF.search(a)
        if m:
            src = REPO / m.group(1)
            dst = Path(tmpdir) / (m.group(1).replace("/", "__")[:-3])
            if not dst.exists():
                dst.write_bytes(read_xz(src))
            a = a[:m.start()] + str(dst) + a[m.end():]
        out.append(a)
    return out


def run_case(case, bindir, as_reference=False):
    """Runs the tool of `case` from bindir; returns the CompletedProcess.

    With as_reference, runs the case's reference_args/reference_stdin if it
    has them (the expected output of a documented deviation)."""
    raw_args = case["args"]
    stdin_path = case.get("stdin")
    if as_reference and "reference_args" in case:
        raw_args = case["reference_args"]
        stdin_path = case.get("reference_stdin", stdin_path)
    with tempfile.TemporaryDirectory(prefix="spm_golden_") as tmp:
        args = materialize(raw_args, tmp)
        out_file = Path(tmp) / "output.txt"
        args = [a.replace("{out}", str(out_file)) for a in args]
        stdin = (REPO / stdin_path).read_bytes() if stdin_path else None
        res = run_tool(bindir, case["tool"], args, stdin_data=stdin, cwd=REPO)
        if any("{out}" in a for a in raw_args):
            # --output=FILE: the file is the output (stray stdout counts too).
            res.stdout = (out_file.read_bytes() if out_file.exists() else b"") + res.stdout
        return res


def read_input(spec):
    """Contents of an input given as a repository path or "{xz:path}"."""
    m = XZ_REF.fullmatch(spec)
    return read_xz(REPO / m.group(1)) if m else (REPO / spec).read_bytes()


def digest_text(data):
    lines = data.count(b"\n")
    return f"sha256 {hashlib.sha256(data).hexdigest()}\nbytes {len(data)}\nlines {lines}\n"


MANIFEST = GOLDEN_DIR / "manifest.json"
_DEFAULTS = {"kind": "bytes"}


def save_manifest(models, cases):
    """One case per line; default values left out."""
    rows = []
    for c in cases:
        c = {k: v for k, v in c.items() if _DEFAULTS.get(k) != v
             and not (k == "file" and v == c["name"] + ".xz")}
        rows.append(json.dumps(c, ensure_ascii=False))
    head = json.dumps({"reference": "SentencePiece 0.1.97 (Debian): /usr/bin/spm_* and "
                       "python3-sentencepiece", "models": models}, ensure_ascii=False)
    MANIFEST.write_text(head[:-1] + ',\n "cases": [\n  ' + ",\n  ".join(rows) + "\n]}\n")


def load_manifest():
    cases = json.loads(MANIFEST.read_text())["cases"]
    for c in cases:
        c.setdefault("file", c["name"] + ".xz")
        for k, v in _DEFAULTS.items():
            c.setdefault(k, v)
    return cases
