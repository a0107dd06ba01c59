#!/usr/bin/python3
"""spm_train on bad input and when interrupted: a clear message naming the
file, flag or value, a non-zero exit, nothing under <prefix>.model or
<prefix>.vocab unless both are complete and belong together, the previous
outputs intact, and no temporary file left (except after SIGKILL, which
cannot be handled: then only *.tmp.* files may remain).

  spm_train_failures_test.py --bindir <build>/bin [-v]

Cases: missing, empty, whitespace-only and NUL-only corpora, a directory as
input, an impossible vocabulary size (0, negative, too large, not a number),
unknown model types and flags, missing or bad normalization rule files, an
unknown rule name, a missing, read-only or full output directory, SIGINT,
SIGTERM and SIGKILL during training, and SIGKILL at many moments of a run
(.model and .vocab must always be the old pair or the new pair).
"""

import argparse
import glob
import os
import random
import signal
import subprocess
import sys
import time

import tool_runner
from tool_runner import can_drop_privileges

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OLD_MODEL = b"old model bytes\n"
OLD_VOCAB = b"old\t0\n"


class Runner(tool_runner.Runner):
    def __init__(self, bindir, verbose):
        super().__init__(bindir, verbose, "spm-train-failures-")

    def train(self, args, as_nobody=False, timeout=600):
        rc, _, err = self.run("spm_train", ["--minloglevel=1"] + args, stdin=None,
                              as_nobody=as_nobody, timeout=timeout)
        return rc, err

    def set_previous(self, prefix):
        for ext, data in ((".model", OLD_MODEL), (".vocab", OLD_VOCAB)):
            with open(prefix + ext, "wb") as f:
                f.write(data)

    def outputs_problems(self, prefix, previous, allow_tmp=False):
        problems = []
        for ext, old in ((".model", OLD_MODEL), (".vocab", OLD_VOCAB)):
            path = prefix + ext
            if previous:
                if not os.path.exists(path):
                    problems.append("%s was removed" % path)
                else:
                    with open(path, "rb") as f:
                        if f.read() != old:
                            problems.append("%s changed" % path)
            elif os.path.exists(path):
                problems.append("%s exists" % path)
            strays = glob.glob(path + ".tmp.*")
            if strays and not allow_tmp:
                problems.append("stray temporary files %s" % strays)
        return problems

    def expect_failure(self, name, args, mentions, prefix, previous=True, prefixed=True,
                       as_nobody=False):
        if previous:
            self.set_previous(prefix)
        rc, err = self.train(args + ["--model_prefix=" + prefix], as_nobody=as_nobody)
        problems = []
        if rc <= 0:
            problems.append("exit status %d" % rc)
        if prefixed and not err.startswith("spm_train:") and "\nspm_train:" not in err:
            problems.append("no 'spm_train:' message")
        for m in mentions:
            if m not in err:
                problems.append("message does not mention %r" % m)
        if "Sanitizer" in err or "runtime error" in err:
            problems.append("sanitizer report")
        problems += self.outputs_problems(prefix, previous)
        self.check(name, not problems, "; ".join(problems) + "\n" + err[-2000:])


def corpus_text():
    text = b""
    for path in sorted(glob.glob(os.path.join(ROOT, "testdata", "text", "sample", "*.txt"))):
        with open(path, "rb") as f:
            text += f.read()
    return text or b"hello world\nthe quick brown fox jumps over the lazy dog\n" * 100


def input_cases(r, corpus):
    prefix = r.path("m")
    base = ["--model_type=bpe", "--vocab_size=200"]
    good = r.write("good.txt", corpus[:20000])
    cases = [
        ("missing input", ["--input=" + r.path("no-such.txt")] + base, ["no-such.txt"]),
        ("input is a directory", ["--input=" + r.tmp] + base, [r.tmp]),
        ("empty corpus", ["--input=" + r.write("empty.txt", b"")] + base, ["corpus is empty"]),
        ("blank corpus", ["--input=" + r.write("blank.txt", b"\n \n\t\n\n")] + base, []),
        ("NUL corpus", ["--input=" + r.write("nul.txt", b"\0\0\n\0\n")] + base, []),
        ("second input missing", ["--input=%s,%s" % (good, r.path("gone.txt"))] + base,
         ["gone.txt"]),
        ("vocab_size 0", ["--input=" + good, "--model_type=bpe", "--vocab_size=0"],
         ["vocab_size", "0"]),
        ("vocab_size -5", ["--input=" + good, "--model_type=bpe", "--vocab_size=-5"],
         ["vocab_size", "-5"]),
        ("vocab_size too large", ["--input=" + good, "--model_type=bpe", "--vocab_size=900000"],
         ["Vocabulary size too high (900000)"]),
        ("vocab_size below the meta pieces", ["--input=" + good, "--model_type=bpe",
                                              "--vocab_size=2"], ["vocab_size (2)"]),
        ("vocab_size below the characters", ["--input=" + good, "--model_type=bpe",
                                             "--vocab_size=20"], ["Vocabulary size"]),
        ("unigram vocab_size above what the corpus gives",
         ["--input=" + good, "--model_type=unigram", "--vocab_size=50000"],
         ["Vocabulary size too high (50000)", "<="]),
        ("missing rule file", ["--input=" + good, "--normalization_rule_tsv=" +
                               r.path("no-such.tsv")] + base, ["no-such.tsv"]),
        ("bad rule file", ["--input=" + good, "--normalization_rule_tsv=" +
                           r.write("bad.tsv", "zz\tyy\n")] + base, ["bad.tsv", "line 1"]),
        ("empty rule line", ["--input=" + good, "--normalization_rule_tsv=" +
                             r.write("blank.tsv", "41\t42\n\n43\t44\n")] + base, ["blank.tsv"]),
        ("bad denormalization rules", ["--input=" + good, "--denormalization_rule_tsv=" +
                                       r.write("bad2.tsv", "41\n\n")] + base, ["bad2.tsv"]),
        ("unknown rule name", ["--input=" + good, "--normalization_rule_name=nosuch"] + base,
         ["nosuch"]),
        ("missing symbols file", ["--input=" + good, "--user_defined_symbols_file=" +
                                  r.path("no-syms.txt")] + base, ["no-syms.txt"]),
        ("bad input_format", ["--input=" + good, "--input_format=csv"] + base, ["csv"]),
        ("character_coverage 2", ["--input=" + good, "--character_coverage=2"] + base,
         ["character_coverage"]),
    ]
    for name, args, mentions in cases:
        r.expect_failure("spm_train: " + name, args, mentions, prefix)
    flag_errors = [
        ("vocab_size abc", ["--input=" + good, "--model_type=bpe", "--vocab_size=abc"],
         ["--vocab_size", '"abc"']),
        ("unknown model type", ["--input=" + good, "--model_type=nosuch", "--vocab_size=200"],
         ["--model_type", '"nosuch"']),
        ("unknown flag", ["--input=" + good, "--frobnicate=1"] + base, ["frobnicate"]),
        ("bool flag value", ["--input=" + good, "--byte_fallback=maybe"] + base,
         ["--byte_fallback"]),
    ]
    for name, args, mentions in flag_errors:
        r.expect_failure("spm_train: " + name, args, mentions, prefix, prefixed=False)


def output_cases(r, corpus):
    good = r.write("out-good.txt", corpus[:20000])
    args = ["--input=" + good, "--model_type=bpe", "--vocab_size=200"]
    r.expect_failure("spm_train: prefix directory missing", args,
                     ["no-such-dir/m.model", "No such file"], r.path("no-such-dir/m"),
                     previous=False)
    if os.geteuid() != 0 or can_drop_privileges():
        ro = r.path("read-only")
        os.makedirs(ro, exist_ok=True)
        prefix = os.path.join(ro, "m")
        r.set_previous(prefix)
        os.chmod(ro, 0o555)
        if os.geteuid() == 0:  # Root writes anyway; the tool runs as nobody.
            r.expect_failure("spm_train: read-only output directory", args,
                             ["read-only/m", "Permission denied"], prefix, as_nobody=True)
        else:
            rc, err = r.train(args + ["--model_prefix=" + prefix])
            problems = r.outputs_problems(prefix, previous=True)
            r.check("spm_train: read-only output directory",
                    rc > 0 and "Permission denied" in err and not problems,
                    "; ".join(problems) + err[-1000:])
    else:
        r.skip("spm_train: read-only output directory", "root and cannot switch to nobody")
    # A full disk: the model fits in neither 24 KB nor the space left.
    mnt = r.path("full")
    os.makedirs(mnt, exist_ok=True)
    if os.geteuid() == 0 and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", mnt],
            stderr=subprocess.DEVNULL).returncode == 0:
        try:
            prefix = os.path.join(mnt, "m")
            r.set_previous(prefix)
            with open(os.path.join(mnt, "filler"), "wb") as f:
                f.write(b"\0" * (72 << 10))
            r.expect_failure("spm_train: full disk", args + ["--vocab_size=2000"],
                             ["No space left"], prefix, previous=True)
        finally:
            subprocess.run(["umount", mnt])
    else:
        r.skip("spm_train: full disk", "needs root to mount a tmpfs")


def pair_problems(r, prefix):
    """The outputs are the old pair, or a new .model with its own .vocab."""
    model, vocab = prefix + ".model", prefix + ".vocab"
    if not os.path.exists(model) or not os.path.exists(vocab):
        return ["%s or %s missing" % (model, vocab)]
    with open(model, "rb") as f:
        m = f.read()
    with open(vocab, "rb") as f:
        v = f.read()
    if m == OLD_MODEL and v == OLD_VOCAB:
        return []
    if m == OLD_MODEL or v == OLD_VOCAB:
        return ["one new and one old file"]
    exported = subprocess.run([os.path.join(r.bindir, "spm_export_vocab"), "--model=" + model],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if exported.returncode != 0:
        return ["the new .model does not load: " + exported.stderr.decode()[:300]]
    if exported.stdout != v:
        return ["the .vocab does not belong to the .model"]
    return []


def synthetic_corpus(lines):
    """Many distinct words (syllable strings): a few seconds of BPE training."""
    rng = random.Random(1)
    syllables = ["ka", "to", "ri", "mu", "sen", "pa", "lo", "qi", "zu", "ne", "xa", "bo", "dri",
                 "ght", "eu", "an", "or", "ish", "ve", "lu"]
    out = []
    for _ in range(lines):
        out.append(" ".join("".join(rng.choice(syllables) for _ in range(rng.randint(1, 6)))
                            for _ in range(12)))
    return ("\n".join(out) + "\n").encode()


def signal_cases(r):
    big = r.write("big.txt", synthetic_corpus(100000))  # 10 MB, ~3.5 s for 16k BPE
    args = ["--input=" + big, "--model_type=bpe", "--vocab_size=16000", "--num_threads=2",
            "--minloglevel=0"]
    prefix = r.path("sig")
    # How long a whole run takes here.
    r.set_previous(prefix)
    t0 = time.time()
    rc, err = r.train(args + ["--model_prefix=" + prefix])
    full = time.time() - t0
    r.check("spm_train: a full run succeeds", rc == 0 and not pair_problems(r, prefix) and
            not glob.glob(prefix + ".*.tmp.*"), err[-1000:])
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        name = "spm_train: %s during training" % signal.Signals(sig).name
        r.set_previous(prefix)
        p = subprocess.Popen([os.path.join(r.bindir, "spm_train"), "--model_prefix=" + prefix] +
                             args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # Wait until it is training (its first progress line), then a bit.
        p.stderr.readline()
        time.sleep(full / 4)
        p.send_signal(sig)
        p.communicate(timeout=600)
        problems = r.outputs_problems(prefix, previous=True, allow_tmp=sig == signal.SIGKILL)
        if p.returncode != -sig:
            problems.append("exit status %d (finished before the signal?)" % p.returncode)
        r.check(name, not problems, "; ".join(problems))
        for f in glob.glob(prefix + ".*.tmp.*"):
            os.unlink(f)
    # SIGKILL at many moments, the last ones around the writing of the files.
    rng = random.Random(5)
    bad = []
    kills = 12
    for k in range(kills):
        r.set_previous(prefix)
        delay = full * (0.2 + 0.85 * k / kills) + rng.uniform(-0.05, 0.05) * full
        p = subprocess.Popen([os.path.join(r.bindir, "spm_train"), "--model_prefix=" + prefix] +
                             args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(max(0.0, delay))
        p.kill()
        p.wait()
        problems = pair_problems(r, prefix)
        if problems:
            bad.append("kill after %.2f s: %s" % (delay, "; ".join(problems)))
        for f in glob.glob(prefix + ".*.tmp.*"):
            os.unlink(f)
    r.check("spm_train: SIGKILL at %d moments keeps a consistent pair" % kills, not bad,
            "\n".join(bad))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bindir", required=True)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if not os.path.exists(os.path.join(args.bindir, "spm_train")):
        print("no spm_train in %s: skipped" % args.bindir)
        return 77
    r = Runner(args.bindir, args.verbose)
    corpus = corpus_text()
    return r.run_cases(lambda r: input_cases(r, corpus), lambda r: output_cases(r, corpus),
                       signal_cases)


if __name__ == "__main__":
    sys.exit(main())
