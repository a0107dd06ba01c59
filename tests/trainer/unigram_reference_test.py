#!/usr/bin/python3
"""Our Unigram models against the installed reference SentencePiece 0.1.97.

On a few shared corpora (../shared/data/corpora, or $SPM_CORPORA_DIR) and
flag sets, we train a Unigram model, then the reference's spm_encode and
ours encode the same lines with it, in every output form: pieces, ids,
n-best (pieces and ids) and sampling with a fixed --random_seed (both the
whole-lattice sampler, nbest_size=-1, and the n-best one). Outputs must be
byte-identical. Also the training errors for impossible vocabulary sizes
must carry the reference's messages (taken from the reference, run here).

Usage: unigram_reference_test.py BUILD_BIN_DIR
Exit status 0 when everything matches; prints "N passed, M failed".
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CORPORA = ("en_botchan.txt", "ja_wagahai.txt", "zh_tang_poems.txt", "multi_emacs_hello.txt")
FLAG_SETS = [
    [],
    ["--byte_fallback", "--user_defined_symbols=the,です", "--split_digits"],
    ["--split_by_whitespace=false", "--normalization_rule_name=nfkc"],
    ["--treat_whitespace_as_suffix", "--normalization_rule_name=nmt_nfkc_cf",
     "--max_sentencepiece_length=8"],
]
ENCODINGS = [
    ["--output_format=piece"],
    ["--output_format=id"],
    ["--output_format=nbest_piece", "--nbest_size=4"],
    ["--output_format=nbest_id", "--nbest_size=3"],
    ["--output_format=sample_piece", "--nbest_size=-1", "--alpha=0.2", "--random_seed=123"],
    ["--output_format=sample_id", "--nbest_size=8", "--alpha=0.5", "--random_seed=7"],
]


def corpora_dir():
    d = os.environ.get("SPM_CORPORA_DIR") or os.path.join(REPO, "..", "shared", "data", "corpora")
    return os.path.abspath(d)


def run(cmd, stdin=None):
    return subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def error_text(stderr):
    """The message of a failed spm_train, without the reference's source prefix."""
    lines = [l for l in stderr.decode("utf-8", "replace").splitlines() if "ocabulary size" in l]
    if not lines:
        return ""
    return re.sub(r"^.*\] ", "", re.sub(r"^spm_train: [A-Za-z ]+: ", "", lines[-1]))


def main():
    bin_dir = sys.argv[1]
    if shutil.which("spm_encode") is None or shutil.which("spm_train") is None:
        print("reference tools missing: 0 passed, 0 failed, 1 skipped")
        return 0
    if not os.path.isdir(corpora_dir()):
        print("no corpora at %s: 0 passed, 0 failed, 1 skipped" % corpora_dir())
        return 0
    passed, failed = 0, []
    ours_train = os.path.join(bin_dir, "spm_train")
    ours_encode = os.path.join(bin_dir, "spm_encode")
    with tempfile.TemporaryDirectory() as tmp:
        for corpus in CORPORA:
            path = os.path.join(corpora_dir(), corpus)
            if not os.path.exists(path):
                continue
            with open(path, "rb") as f:
                sample = b"".join(f.readlines()[:400])
            for i, flags in enumerate(FLAG_SETS):
                name = "%s/%d" % (corpus, i)
                prefix = os.path.join(tmp, "m")
                o = run([ours_train, "--input=" + path, "--model_prefix=" + prefix,
                         "--vocab_size=5000", "--hard_vocab_limit=false", "--minloglevel=2"] + flags)
                if o.returncode != 0:
                    failed.append(name + ": training failed: " + o.stderr.decode()[-300:])
                    continue
                for enc in ENCODINGS:
                    r = run(["spm_encode", "--model=" + prefix + ".model"] + enc, sample)
                    e = run([ours_encode, "--model=" + prefix + ".model"] + enc, sample)
                    if r.returncode == 0 and e.returncode == 0 and r.stdout == e.stdout:
                        passed += 1
                    else:
                        failed.append("%s %s: reference encoding differs from ours" %
                                      (name, " ".join(enc)))
        # Impossible vocabulary sizes: the reference's messages.
        path = os.path.join(corpora_dir(), "ja_wagahai.txt")
        for vocab in ("100", "200000"):
            args = ["--input=" + path, "--vocab_size=" + vocab, "--minloglevel=1"]
            r = run(["spm_train", "--model_prefix=" + os.path.join(tmp, "r")] + args)
            o = run([ours_train, "--model_prefix=" + os.path.join(tmp, "o")] + args)
            want, got = error_text(r.stderr), error_text(o.stderr)
            # The largest possible size may differ by a piece or two.
            want, got = re.sub(r"<= \d+", "<= N", want), re.sub(r"<= \d+", "<= N", got)
            if r.returncode != 0 and o.returncode != 0 and want and want == got:
                passed += 1
            else:
                failed.append("vocab_size=%s: %r vs reference %r" % (vocab, got, want))
    for f in failed:
        print("FAIL " + f)
    print("%d passed, %d failed" % (passed, len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
