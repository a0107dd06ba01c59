"""Bad-input checks for diff_test.py: reference and ours must both fail.

Identical messages are not required, but ours must print something on stderr.
"""
import tempfile
from pathlib import Path

from common import MODELS_DIR, REPO, TOOLS, run_tool

GOOD_MODEL = MODELS_DIR / "spm_test_model.model"


def _model_files(tmp):
    data = GOOD_MODEL.read_bytes()
    files = {
        "missing model file": tmp / "does_not_exist.model",
        "empty model file": tmp / "empty.model",
        "truncated model (first half)": tmp / "truncated_half.model",
        "truncated model (first 1000 bytes)": tmp / "truncated_1000.model",
        "garbage bytes as model": tmp / "garbage.model",
        "text file as model": tmp / "text.model",
        "directory as model": tmp,
    }
    files["empty model file"].write_bytes(b"")
    files["truncated model (first half)"].write_bytes(data[:len(data) // 2])
    files["truncated model (first 1000 bytes)"].write_bytes(data[:1000])
    # Deterministic garbage: bytes of a fixed linear congruential sequence.
    x, garbage = 12345, bytearray()
    for _ in range(4096):
        x = (1103515245 * x + 12345) % 2**31
        garbage.append(x >> 23)
    files["garbage bytes as model"].write_bytes(bytes(garbage))
    files["text file as model"].write_bytes(b"this is not a model\n" * 50)
    return files


def _cases(tmp):
    text = tmp / "input.txt"
    text.write_bytes(b"hello world\n")
    out = []
    for name, path in _model_files(tmp).items():
        for tool in TOOLS:
            out.append((f"{tool}: {name}", tool, [f"--model={path}", str(text)], None))
    m = f"--model={GOOD_MODEL}"
    for tool in TOOLS:
        out.append((f"{tool}: unknown flag", tool, [m, "--no_such_flag=1", str(text)], None))
    out += [
        ("spm_encode: no --model", "spm_encode", [str(text)], None),
        ("spm_decode: no --model", "spm_decode", [str(text)], None),
        ("spm_export_vocab: no --model", "spm_export_vocab", [], None),
        ("spm_normalize: no model and no rule", "spm_normalize", [str(text)], None),
        ("spm_encode: missing input file", "spm_encode", [m, str(tmp / "nope.txt")], None),
        ("spm_encode: unknown --output_format", "spm_encode", [m, "--output_format=bogus"], b"x\n"),
        ("spm_encode: unknown extra option", "spm_encode", [m, "--extra_options=bos:foo"], b"x\n"),
        ("spm_encode: upper-case extra option", "spm_encode", [m, "--extra_options=BOS"], b"x\n"),
        ("spm_decode: unknown --input_format", "spm_decode", [m, "--input_format=bogus"], b"x\n"),
        ("spm_decode: id out of range", "spm_decode", [m, "--input_format=id"], b"1 2 99999\n"),
        ("spm_decode: negative id", "spm_decode", [m, "--input_format=id"], b"5 -1\n"),
        ("spm_decode: unknown extra option", "spm_decode", [m, "--extra_options=foo"], b"x\n"),
        ("spm_export_vocab: unknown --output_format", "spm_export_vocab",
         [m, "--output_format=bogus"], None),
        ("spm_normalize: unknown rule name", "spm_normalize",
         ["--normalization_rule_name=no_such_rule", str(text)], None),
        ("spm_normalize: missing rule TSV", "spm_normalize",
         [f"--normalization_rule_tsv={tmp / 'nope.tsv'}", str(text)], None),
        ("spm_normalize: --decompile of identity", "spm_normalize",
         ["--normalization_rule_name=identity", "--decompile"], None),
    ]
    return out


def run_bad_input_checks(bindir, ref_bindir, verbose=False):
    """Returns the number of failed checks; prints one line per check."""
    failed = 0
    with tempfile.TemporaryDirectory(prefix="spm_bad_") as tmp_name:
        tmp = Path(tmp_name)
        for name, tool, args, stdin in _cases(tmp):
            ref = run_tool(ref_bindir, tool, args, stdin_data=stdin, cwd=REPO, timeout=60)
            ours = run_tool(bindir, tool, args, stdin_data=stdin, cwd=REPO, timeout=60)
            msg = ours.stderr.decode(errors="replace").strip().splitlines()
            problems = []
            if ref.returncode == 0:
                problems.append("the reference did not fail (test is wrong?)")
            if ours.returncode == 0:
                problems.append("ours exited 0")
            elif not msg:
                problems.append(f"ours exited {ours.returncode} with nothing on stderr")
            if problems:
                failed += 1
                print(f"  FAIL  {name}: {'; '.join(problems)}")
            elif verbose:
                print(f"  ok    {name}: ref exit {ref.returncode}, ours exit {ours.returncode}: "
                      f"{msg[0][:150] if msg else ''}")
    return failed
