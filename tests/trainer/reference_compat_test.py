#!/usr/bin/python3
"""spm_train against the installed reference SentencePiece 0.1.97.

For every shared corpus (../shared/data/corpora, or $SPM_CORPORA_DIR):
  * char and word models: our .vocab must be byte-identical to the
    reference's for the same flags (several flag sets);
  * BPE models: the reference must load our model and encode the corpus
    exactly as our spm_encode does with it.
Expected outputs always come from the reference tools, run here.

Usage: reference_compat_test.py BUILD_BIN_DIR [--quick]
Exit status 0 when everything matches; prints "N passed, M failed".
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def corpora_dir():
    d = os.environ.get("SPM_CORPORA_DIR") or os.path.join(REPO, "..", "shared", "data", "corpora")
    return os.path.abspath(d)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def main():
    bin_dir = sys.argv[1]
    quick = "--quick" in sys.argv
    try:
        import sentencepiece as spm  # The reference's Python module.
    except ImportError:
        print("reference python module missing: 0 passed, 0 failed, 1 skipped")
        return 0
    if not os.path.isdir(corpora_dir()):
        print("no corpora at %s: 0 passed, 0 failed, 1 skipped" % corpora_dir())
        return 0
    corpora = sorted(f for f in os.listdir(corpora_dir()) if f.endswith(".txt"))
    if quick:
        corpora = [c for c in corpora if c in ("en_botchan.txt", "ja_wagahai.txt",
                                                "multi_emacs_hello.txt", "zh_tang_poems.txt")]
    passed, failed = 0, []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        vocab_flag_sets = [
            [],
            ["--character_coverage=1", "--use_all_vocab"],
            ["--treat_whitespace_as_suffix", "--normalization_rule_name=nfkc_cf",
             "--user_defined_symbols=the,of", "--control_symbols=<c>"],
            ["--byte_fallback", "--pad_id=3", "--remove_extra_whitespaces=false",
             "--hard_vocab_limit=false", "--vocabulary_output_piece_score=false"],
            ["--add_dummy_prefix=false", "--normalization_rule_name=identity",
             "--required_chars=xyz", "--input_sentence_size=200", "--max_sentence_length=300"],
        ]
        for corpus in corpora:
            path = os.path.join(corpora_dir(), corpus)
            for model_type in ("char", "word"):
                for i, flags in enumerate(vocab_flag_sets):
                    name = "%s/%s/%d" % (corpus, model_type, i)
                    args = ["--input=" + path, "--model_type=" + model_type,
                            "--vocab_size=%d" % (300 if model_type == "char" else 2000),
                            "--hard_vocab_limit=false", "--minloglevel=2"] + flags
                    ref = os.path.join(tmp, "ref")
                    ours = os.path.join(tmp, "ours")
                    r = subprocess.run(["spm_train", "--model_prefix=" + ref] + args,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                    o = subprocess.run([os.path.join(bin_dir, "spm_train"),
                                        "--model_prefix=" + ours] + args, env=env,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                    if r.returncode != 0 or o.returncode != 0:
                        if (r.returncode == 0) != (o.returncode == 0):
                            failed.append(name + ": exit %d vs ours %d: %s" % (
                                r.returncode, o.returncode, o.stderr.decode()[-300:]))
                        else:
                            passed += 1  # Both refuse.
                        continue
                    if open(ref + ".vocab", "rb").read() == open(ours + ".vocab", "rb").read():
                        passed += 1
                    else:
                        failed.append(name + ": .vocab differs")
            # BPE: the reference encodes the corpus with our model as we do.
            for i, flags in enumerate([[], ["--byte_fallback", "--user_defined_symbols=the"],
                                       ["--treat_whitespace_as_suffix",
                                        "--normalization_rule_name=nmt_nfkc_cf"],
                                       ["--split_by_whitespace=false", "--split_digits",
                                        "--normalization_rule_name=nfkc"]]):
                name = "%s/bpe/%d" % (corpus, i)
                ours = os.path.join(tmp, "bpe%d" % i)
                o = subprocess.run([os.path.join(bin_dir, "spm_train"), "--model_prefix=" + ours,
                                    "--input=" + path, "--model_type=bpe", "--vocab_size=4000",
                                    "--hard_vocab_limit=false", "--minloglevel=2"] + flags,
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                if o.returncode != 0:
                    failed.append(name + ": training failed: " + o.stderr.decode()[-300:])
                    continue
                sp = spm.SentencePieceProcessor(model_file=ours + ".model")
                with open(path, encoding="utf-8", errors="surrogateescape") as f:
                    lines = [l.rstrip("\n") for l in f][:3000]
                ref_out = "".join(" ".join(sp.encode(l, out_type=str)) + "\n" for l in lines)
                enc = subprocess.run([os.path.join(bin_dir, "spm_encode"), "--model=" + ours + ".model"],
                                     input="\n".join(lines).encode("utf-8", "surrogateescape") + b"\n",
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                if enc.returncode == 0 and enc.stdout.decode("utf-8", "surrogateescape") == ref_out:
                    passed += 1
                else:
                    failed.append(name + ": reference encoding differs from ours")
    for f in failed:
        print("FAIL " + f)
    print("%d passed, %d failed" % (passed, len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
