"""Shared helpers for the golden-file and differential tests.

Everything here treats text as raw bytes: the tools read lines with getline on
'\\n' and pass every byte through (NULs, CRs and invalid UTF-8 included).
"""
import lzma
import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TESTDATA = REPO / "testdata"
MODELS_DIR = TESTDATA / "models"
TEXT_DIR = TESTDATA / "text"
RULES_DIR = TESTDATA / "rules"
GOLDEN_DIR = TESTDATA / "golden"
SHARED = Path(os.environ.get("SPM_SHARED_DIR", REPO.parent / "shared"))
SHARED_CORPORA = SHARED / "data" / "corpora"
SHARED_MODELS = SHARED / "data" / "models"
REF_BINDIR = Path("/usr/bin")
TOOLS = ("spm_encode", "spm_decode", "spm_normalize", "spm_export_vocab")


def split_lines(data):
    """Lines exactly as std::getline(.., '\\n') yields them."""
    if not data:
        return []
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    return lines


def join_lines(lines):
    return b"".join(line + b"\n" for line in lines)


def read_xz(path):
    return lzma.decompress(Path(path).read_bytes())


def write_xz(path, data):
    """xz, default preset: deterministic, so regeneration is byte-stable
    (higher presets are slower and no smaller here)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(lzma.compress(data))


def run_tool(bindir, tool, args, stdin_data=None, timeout=600, cwd=None):
    """Runs bindir/tool args; returns CompletedProcess with bytes output."""
    cmd = [str(Path(bindir).resolve() / tool)] + [str(a) for a in args]
    return subprocess.run(cmd, input=stdin_data if stdin_data is not None else b"",
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout, check=False, cwd=cwd)


def first_diff(expected, actual, label=lambda i: "", max_show=3):
    """Human-readable description of the first differing lines."""
    exp, act = split_lines(expected), split_lines(actual)
    out, shown = [], 0
    for i in range(max(len(exp), len(act))):
        e = exp[i] if i < len(exp) else None
        a = act[i] if i < len(act) else None
        if e == a:
            continue
        start = 0
        if e is not None and a is not None:
            k = next((j for j, (x, y) in enumerate(zip(e, a)) if x != y), min(len(e), len(a)))
            start = max(0, k - 100)
        tag = label(i)
        out.append(f"  line {i + 1}{' ' + tag if tag else ''}:")
        out.append(f"    expected: {show(e, start)}")
        out.append(f"    actual:   {show(a, start)}")
        shown += 1
        if shown >= max_show:
            break
    if not out and expected != actual:
        out.append("  (differ only in the final newline)")
    if len(exp) != len(act):
        out.append(f"  expected {len(exp)} lines, got {len(act)}")
    return "\n".join(out)


def show(b, start=0, width=240):
    """repr of b[start:start+width] (bytes), with elision marks and its size."""
    if b is None:
        return "<missing line>"
    part = b[start:start + width]
    r = repr(part.decode("utf-8", errors="backslashreplace"))
    if start > 0:
        r = f"...[from byte {start}] " + r
    if start + width < len(b):
        r += f" ... ({len(b)} bytes)"
    return r
