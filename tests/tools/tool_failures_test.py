#!/usr/bin/python3
"""The tools on bad input: each failure gives a clear message naming the
file, flag or value, exits non-zero, and leaves no partial output: neither
the --output file (a previous one stays as it was) nor a temporary file
beside it.

  tool_failures_test.py --bindir <build>/bin [-v]

Cases: missing, unreadable, empty, truncated and non-model model files; a
directory where a file is expected; missing and unreadable inputs (also the
second of two inputs, after output was produced); an output directory that
does not exist or is read-only, an output path that is a directory; a full
disk (a 64 KB tmpfs, mounted if we are root, else in a user namespace with
`unshare -rm`; skipped if neither works); stdout on /dev/full; unknown
flags, bad values, unknown formats and options; a bad id in the middle of
spm_decode's input; SIGINT, SIGTERM and SIGHUP while an output is being
written; address-space limits (ulimit -v) from too small to enough.
Unreadable files need a non-root user: as root the tools run as nobody
(setpriv/setuid), skipped if that is not possible.
"""

import argparse
import glob
import os
import resource
import signal
import stat
import subprocess
import sys
import time

import tool_runner
from tool_runner import can_drop_privileges

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(ROOT, "testdata", "models", "spm_test_model.model")
TOOLS = ["spm_encode", "spm_decode", "spm_normalize", "spm_export_vocab"]


class Runner(tool_runner.Runner):
    def __init__(self, bindir, verbose):
        super().__init__(bindir, verbose, "spm-tool-failures-")

    def expect_failure(self, name, tool, args, stdin=b"", mentions=(), output=None,
                       previous=None, as_nobody=False, prefixed=True):
        """Runs a failing command: non-zero exit, a message starting with the
        tool name (unless not `prefixed`: flag errors are printed as the
        reference prints them, the message then the flag list) and
        containing each of `mentions`, and at `output` either nothing or
        exactly `previous`, with no temp file."""
        rc, _, err = self.run(tool, args, stdin, as_nobody=as_nobody)
        problems = []
        if rc == 0:
            problems.append("exit status 0")
        if rc < 0:
            problems.append("killed by signal %d" % -rc)
        if prefixed and not err.startswith(tool + ":"):
            problems.append("message does not start with '%s:'" % tool)
        for m in mentions:
            if m not in err:
                problems.append("message does not mention %r" % m)
        if "AddressSanitizer" in err or "runtime error" in err:
            problems.append("sanitizer report")
        if output is not None:
            problems += leftover_problems(output, previous)
        self.check(name, not problems, "; ".join(problems) + "\n" + err[:2000])


def leftover_problems(output, previous):
    problems = []
    if previous is None and os.path.exists(output):
        problems.append("%s exists" % output)
    if previous is not None:
        with open(output, "rb") as f:
            if f.read() != previous:
                problems.append("%s changed" % output)
    strays = glob.glob(output + ".tmp.*")
    if strays:
        problems.append("stray temporary files: %s" % strays)
    return problems


def tool_args(tool, model, inputs=(), output=None):
    """Minimal working arguments for `tool`."""
    args = ["--model=" + model]
    if output is not None:
        args.append("--output=" + output)
    if tool != "spm_export_vocab":
        args += list(inputs)
    return args


def model_cases(r):
    with open(MODEL, "rb") as f:
        model_bytes = f.read()
    bad_models = [
        ("missing", r.path("no-such.model"), ["no-such.model", "No such file"]),
        ("directory", r.tmp, [r.tmp]),
        ("empty", r.write("empty.model", b""), ["empty.model", "empty"]),
        ("text", r.write("text.model", "not a model\n"), ["text.model", "could not parse"]),
        ("truncated", r.write("trunc.model", model_bytes[:1000]), ["trunc.model"]),
        ("no unk", r.write("nounk.model", strip_unk(model_bytes)), ["unk"]),
    ]
    text = r.write("in.txt", "hello world\n")
    for tool in TOOLS:
        for label, model, mentions in bad_models:
            out = r.path("out-%s-%s.txt" % (tool, label))
            r.expect_failure("%s: %s model" % (tool, label), tool,
                             tool_args(tool, model, [text], out), mentions=mentions, output=out)
        if can_drop_privileges() or os.geteuid() != 0:
            unreadable = r.write("unreadable.model", model_bytes, mode=0o000)
            r.expect_failure("%s: unreadable model" % tool, tool,
                             tool_args(tool, unreadable, [text]),
                             mentions=["unreadable.model", "Permission denied"],
                             as_nobody=os.geteuid() == 0)
        else:
            r.skip("%s: unreadable model" % tool, "root and cannot switch to nobody")


def strip_unk(model_bytes):
    """The model with its unknown piece turned into a normal one."""
    from sentencepiece import sentencepiece_model_pb2 as pb
    m = pb.ModelProto()
    m.ParseFromString(model_bytes)
    for p in m.pieces:
        if p.type == pb.ModelProto.SentencePiece.UNKNOWN:
            p.type = pb.ModelProto.SentencePiece.NORMAL
    return m.SerializeToString()


def input_cases(r):
    good = r.write("good.txt", "hello world\n" * 1000)
    ids = r.write("ids.txt", "5 6 7\n" * 1000)
    for tool in ["spm_encode", "spm_decode", "spm_normalize"]:
        first = ids if tool == "spm_decode" else good
        extra = ["--input_format=id"] if tool == "spm_decode" else []
        out = r.path("out-%s-input.txt" % tool)
        missing = r.path("missing-input.txt")
        r.expect_failure("%s: missing input" % tool, tool,
                         tool_args(tool, MODEL, [missing], out) + extra,
                         mentions=["missing-input.txt", "No such file"], output=out)
        r.expect_failure("%s: missing --input" % tool, tool,
                         ["--model=" + MODEL, "--input=" + missing, "--output=" + out] + extra,
                         mentions=["missing-input.txt"], output=out)
        r.expect_failure("%s: input is a directory" % tool, tool,
                         tool_args(tool, MODEL, [r.tmp], out) + extra,
                         mentions=[r.tmp], output=out)
        # The second input fails after the first produced output: nothing
        # may appear under --output, and a previous output stays.
        previous = b"previous output\n"
        with open(out, "wb") as f:
            f.write(previous)
        r.expect_failure("%s: second input missing" % tool, tool,
                         tool_args(tool, MODEL, [first, missing], out) + extra,
                         mentions=["missing-input.txt"], output=out, previous=previous)
        os.unlink(out)
        if can_drop_privileges() or os.geteuid() != 0:
            unreadable = r.write("unreadable.txt", "hello\n", mode=0o000)
            r.expect_failure("%s: unreadable input" % tool, tool,
                             tool_args(tool, MODEL, [unreadable]) + extra,
                             mentions=["unreadable.txt", "Permission denied"],
                             as_nobody=os.geteuid() == 0)


def output_cases(r):
    text = r.write("out-in.txt", "hello world\n")
    for tool in TOOLS:
        out = r.path("no-such-dir/out.txt")
        r.expect_failure("%s: output directory missing" % tool, tool,
                         tool_args(tool, MODEL, [text], out),
                         mentions=["no-such-dir/out.txt", "No such file"], output=out)
        outdir = r.path("an-output-dir")
        os.makedirs(outdir, exist_ok=True)
        r.expect_failure("%s: output is a directory" % tool, tool,
                         tool_args(tool, MODEL, [text], outdir), mentions=[outdir])
        strays = glob.glob(outdir + ".tmp.*")
        r.check("%s: output is a directory: no temp" % tool, not strays, str(strays))
        if can_drop_privileges() or os.geteuid() != 0:
            ro = r.path("read-only-dir")
            os.makedirs(ro, exist_ok=True)
            os.chmod(ro, 0o555)
            r.expect_failure("%s: read-only output directory" % tool, tool,
                             tool_args(tool, MODEL, [text], os.path.join(ro, "out.txt")),
                             mentions=["read-only-dir/out.txt", "Permission denied"],
                             as_nobody=os.geteuid() == 0)
        # stdout that cannot be written.
        cmd = [os.path.join(r.bindir, tool)] + tool_args(tool, MODEL, [text])
        with open("/dev/full", "wb") as full:
            p = subprocess.run(cmd, stdout=full, stderr=subprocess.PIPE)
        err = p.stderr.decode("utf-8", "replace")
        r.check("%s: stdout on a full device" % tool,
                p.returncode > 0 and "No space left" in err and err.startswith(tool + ":"),
                "exit %d: %s" % (p.returncode, err))


def full_disk_cases(r):
    """Output to a 64 KB tmpfs: ENOSPC mid-write."""
    big = r.write("big.txt", ("hello world this is a test of a full disk " * 10 + "\n") * 3000)
    big_ids = r.write("big-ids.txt", ("5 6 7 8 9 10 11 12 13 14 15 " * 5 + "\n") * 3000)
    mnt = r.path("full")
    os.makedirs(mnt, exist_ok=True)
    mounted = False
    if os.geteuid() == 0 and not os.environ.get("SPM_TEST_FORCE_UNSHARE"):
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt],
                                 stderr=subprocess.DEVNULL).returncode == 0
    use_unshare = False
    if not mounted:
        probe = subprocess.run(["unshare", "-rm", "sh", "-c",
                                "mount -t tmpfs -o size=64k tmpfs '%s'" % mnt],
                               stderr=subprocess.DEVNULL)
        use_unshare = probe.returncode == 0
    if not mounted and not use_unshare:
        r.skip("full disk", "cannot mount a tmpfs (not root, no user namespaces)")
        return
    try:
        for tool, inputs in [("spm_encode", [big]), ("spm_decode", ["--input_format=id", big_ids]),
                             ("spm_normalize", [big]), ("spm_export_vocab", [])]:
            out = os.path.join(mnt, tool + ".out")
            previous = b"previous\n"
            args = tool_args(tool, MODEL, inputs, out)
            name = "%s: full disk" % tool
            if mounted:
                with open(out, "wb") as f:
                    f.write(previous)
                with open(os.path.join(mnt, "filler"), "wb") as f:  # Leaves about 8 KB.
                    f.write(b"\0" * (48 << 10))
                r.expect_failure(name, tool, args, mentions=[out, "No space left"], output=out,
                                 previous=previous)
                os.unlink(out)
                os.unlink(os.path.join(mnt, "filler"))
            else:
                # Everything inside one namespace: the tmpfs goes with it.
                script = ("mount -t tmpfs -o size=64k tmpfs '%s' && printf 'previous\\n' > '%s' && "
                          "head -c 49152 /dev/zero > '%s/filler' && "
                          "'%s' %s; echo \"rc=$?\" >&2; cat '%s'; rm '%s/filler'; ls -A '%s'" %
                          (mnt, out, mnt, os.path.join(r.bindir, tool),
                           " ".join("'%s'" % a for a in args), out, mnt, mnt))
                p = subprocess.run(["unshare", "-rm", "sh", "-c", script],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                err = p.stderr.decode("utf-8", "replace")
                lines = p.stdout.decode("utf-8", "replace").split("\n")
                ok = ("rc=0" not in err and "No space left" in err and lines[0] == "previous"
                      and lines[1:] == [tool + ".out", ""])
                r.check(name, ok, err + "\n" + "\n".join(lines))
    finally:
        if mounted:
            subprocess.run(["umount", mnt])


def flag_cases(r):
    text = r.write("flags-in.txt", "hello world\n")
    parse_errors = [
        ("spm_encode", ["--frobnicate"], ["Unknown/Invalid flag frobnicate"]),
        ("spm_encode", ["--nbest_size=abc"], ["--nbest_size", '"abc"']),
        ("spm_encode", ["--alpha=x1"], ["--alpha", '"x1"']),
        ("spm_decode", ["--frobnicate"], ["frobnicate"]),
        ("spm_normalize", ["--frobnicate=1"], ["frobnicate"]),
        ("spm_export_vocab", ["--output_format"], ["Unsupported output format"]),
    ]
    for tool, flags, mentions in parse_errors:
        out = r.path("flags-out.txt")
        r.expect_failure("%s %s" % (tool, " ".join(flags)), tool,
                         tool_args(tool, MODEL, [text], out) + flags, mentions=mentions,
                         output=out, prefixed=False)
    cases = [
        ("spm_encode", ["--output_format=bogus"], ["bogus"]),
        ("spm_encode", ["--extra_options=bos:bogus"], ["bogus"]),
        ("spm_encode", ["--vocabulary=" + r.path("no-such.vocab")], ["no-such.vocab"]),
        ("spm_encode", ["--output_format=sample_id", "--nbest_size=1000"], ["nbest_size", "512"]),
        ("spm_encode", ["--num_threads=-1"], ["--num_threads", "-1"]),
        ("spm_decode", ["--input_format=bogus"], ["bogus"]),
        ("spm_decode", ["--output_format=bogus"], ["bogus"]),
        ("spm_decode", ["--extra_options=bogus"], ["bogus"]),
        ("spm_export_vocab", ["--output_format=bogus"], ["bogus"]),
    ]
    for tool, flags, mentions in cases:
        out = r.path("flags-out.txt")
        r.expect_failure("%s %s" % (tool, " ".join(flags)), tool,
                         tool_args(tool, MODEL, [text], out) + flags, mentions=mentions,
                         output=out)
    for tool in TOOLS:
        r.expect_failure("%s without --model" % tool, tool, [text],
                         mentions=["model"] if tool != "spm_normalize" else ["--model"])
    rules = [
        ("missing rule file", ["--normalization_rule_tsv=" + r.path("no-such.tsv")],
         ["no-such.tsv"]),
        ("bad rule file", ["--normalization_rule_tsv=" + r.write("bad.tsv", "zz\tyy\n")],
         ["bad.tsv", "line 1"]),
        ("empty rule line", ["--normalization_rule_tsv=" + r.write("blank.tsv", "41\t42\n\n")],
         ["blank.tsv"]),
        ("unknown rule name", ["--normalization_rule_name=bogus"], ["bogus"]),
    ]
    for label, flags, mentions in rules:
        out = r.path("rules-out.txt")
        r.expect_failure("spm_normalize: " + label, "spm_normalize", flags + [text, "--output=" + out],
                         mentions=mentions, output=out)


def decode_cases(r):
    """A bad id after many good lines: no partial output."""
    good = "5 6 7\n" * 5000
    for label, bad, mentions in [("out-of-range id", "5 99999\n", ["Invalid id: 99999"]),
                                 ("negative id", "-3\n", ["-3"])]:
        inp = r.write("dec-in.txt", good + bad + good)
        out = r.path("dec-out.txt")
        previous = b"previous\n"
        with open(out, "wb") as f:
            f.write(previous)
        r.expect_failure("spm_decode: " + label, "spm_decode",
                         ["--model=" + MODEL, "--input_format=id", "--output=" + out, inp],
                         mentions=mentions, output=out, previous=previous)
    # A non-numeric id is read as the reference reads it (atoi), with a
    # warning naming the line and the token.
    rc, out, err = r.run("spm_decode", ["--model=" + MODEL, "--input_format=id"],
                         b"5 6\n5 abc 6\n")
    r.check("spm_decode: non-numeric id warns", rc == 0 and 'line 2: "abc"' in err and
            out.count(b"\n") == 2, "exit %d: %s" % (rc, err))
    rc, _, err = r.run("spm_decode", ["--model=" + MODEL, "--input_format=id"], b"99999\n")
    r.check("spm_decode: out-of-range id message as the reference prints it",
            rc > 0 and "Out of range: Invalid id: 99999" in err, err)


def signal_cases(r):
    """A signal while the output is open: the process dies of it, the
    temporary file is removed, a previous output is intact."""
    for tool in ["spm_encode", "spm_decode", "spm_normalize"]:
        for sig in [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]:
            name = "%s: %s while writing" % (tool, signal.Signals(sig).name)
            out = r.path("sig-%s.txt" % tool)
            previous = b"previous\n"
            with open(out, "wb") as f:
                f.write(previous)
            args = ["--model=" + MODEL, "--output=" + out]
            if tool == "spm_decode":
                args.append("--input_format=id")
            line = b"5 6 7\n" if tool == "spm_decode" else b"hello world\n"
            p = subprocess.Popen([os.path.join(r.bindir, tool)] + args, stdin=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
            p.stdin.write(line * 100000)  # Then it waits for more input.
            p.stdin.flush()
            deadline = time.time() + 60
            while not glob.glob(out + ".tmp.*") and time.time() < deadline and p.poll() is None:
                time.sleep(0.02)
            if not glob.glob(out + ".tmp.*"):
                p.kill()
                p.wait()
                r.check(name, False, "no temporary file appeared")
                continue
            p.send_signal(sig)
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            p.stdin.close()
            p.stderr.close()
            problems = leftover_problems(out, previous)
            if p.returncode != -sig:
                problems.append("exit status %d, expected death by the signal" % p.returncode)
            r.check(name, not problems, "; ".join(problems))


def memory_limit_cases(r):
    """Under an address-space limit (ulimit -v) from too small to enough,
    spm_encode either encodes as without it or says it ran out ("fatal:
    out of memory", or of resources when no thread can start) with exit
    status 1 and no output left: never an abort."""
    exe = os.path.join(r.bindir, "spm_encode")
    with open(exe, "rb") as f:
        binary = f.read()
    if b"__asan_init" in binary or b"__tsan_init" in binary:
        r.skip("memory limits", "sanitizers reserve shadow memory no limit admits")
        return
    # A dynamically linked build may not even load its libraries under the
    # smaller limits (the loader's failure, before any of our code).
    dynamic = b"ld-linux" in binary[:8192]
    text = r.write("limit-in.txt",
                   "".join("the quick brown fox %d jumps over the lazy dog %d\n" % (i, i * 7)
                           for i in range(20000)))
    base = ["--num_threads=2", "--model=" + MODEL, "--output_format=id", text]
    rc, expected, err = r.run("spm_encode", base)
    r.check("memory limits: unlimited run", rc == 0 and expected, err)
    outcomes = set()
    # (From 12 MB: below ~8 MB glibc itself cannot start the program.)
    for mb in (12, 16, 20, 24, 28, 32, 48, 64, 128):
        out = r.path("limit-out-%d.txt" % mb)
        limit = mb << 20
        p = subprocess.run([exe, "--output=" + out] + base, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=300,
                           preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)))
        err = p.stderr.decode("utf-8", "replace")
        name = "memory limit %d MB" % mb
        if dynamic and p.returncode == 127 and "error while loading shared libraries" in err:
            r.check(name + ": not started (loader), no output", not os.path.exists(out))
            continue
        if p.returncode == 0:
            with open(out, "rb") as f:
                r.check(name + ": output as without a limit", f.read() == expected)
            os.remove(out)
            outcomes.add("encoded")
        else:
            problems = leftover_problems(out, None)
            if p.returncode != 1:
                problems.append("exit status %d" % p.returncode)
            if not err.startswith("spm_encode: fatal: out of"):
                problems.append("message: " + err[:300])
            r.check(name + ": a clear failure", not problems, "; ".join(problems))
            outcomes.add("failed")
    r.check("memory limits: both outcomes seen",
            outcomes == {"encoded", "failed"} or (dynamic and outcomes == {"encoded"}),
            str(outcomes))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bindir", required=True)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    for tool in TOOLS:
        if not os.path.exists(os.path.join(args.bindir, tool)):
            print("missing %s in %s" % (tool, args.bindir))
            return 1
    r = Runner(args.bindir, args.verbose)
    return r.run_cases(model_cases, input_cases, output_cases, full_disk_cases, flag_cases,
                       decode_cases, signal_cases, memory_limit_cases)


if __name__ == "__main__":
    sys.exit(main())
