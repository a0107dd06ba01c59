#!/usr/bin/python3
"""spm_train's command line: every flag of the reference exists and reaches
the model, file flags, bad values, usage errors, atomic output.

Usage: spm_train_cli_test.py BUILD_BIN_DIR
Prints "N passed, M failed"; exit status 1 on any failure.
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def varint(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, pos


def fields(buf):
    """Yields (field number, wire type, value) of a serialized message."""
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        num, wt = key >> 3, key & 7
        if wt == 0:
            val, pos = varint(buf, pos)
        elif wt == 1:
            val, pos = buf[pos:pos + 8], pos + 8
        elif wt == 2:
            n, pos = varint(buf, pos)
            val, pos = buf[pos:pos + n], pos + n
        elif wt == 5:
            val, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError("bad wire type %d" % wt)
        yield num, wt, val

passed, failed = 0, []


def check(name, cond, detail=""):
    global passed
    if cond:
        passed += 1
    else:
        failed.append(name + (": " + detail if detail else ""))


def spec_fields(model_path, number):
    """Field number -> list of raw values of TrainerSpec (2) / NormalizerSpec (3)."""
    data = open(model_path, "rb").read()
    out = {}
    for num, _, val in fields(data):
        if num == number:
            for n2, _, v2 in fields(val):
                out.setdefault(n2, []).append(v2)
    return out


def main():
    ours = os.path.join(sys.argv[1], "spm_train")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)

        def run(*args):
            return subprocess.run([ours] + list(args), env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, cwd=tmp)

        corpus = os.path.join(tmp, "c.txt")
        with open(corpus, "w") as f:
            f.write("hello world\nthe quick brown fox\njumps over the lazy dog\n" * 20)

        # Every reference flag is ours too.
        ref_help = subprocess.run(["spm_train", "--help"], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT).stdout.decode()
        our_help = run("--help")
        check("--help exits 0", our_help.returncode == 0)
        ref_flags = set(re.findall(r"^   --(\w+) ", ref_help, re.M))
        our_flags = set(re.findall(r"^   --(\w+) ", our_help.stdout.decode(), re.M))
        check("reference flags present", ref_flags <= our_flags, str(ref_flags - our_flags))
        check("--version", run("--version").stdout.decode().strip() == "sentencepiece 0.1.97")

        # Every flag reaches the model (values differ from the defaults).
        with open(os.path.join(tmp, "ctl.txt"), "w") as f:
            f.write("<c2>\n<c3>\n")
        with open(os.path.join(tmp, "uds.txt"), "w") as f:
            f.write("lazy\n")
        with open(os.path.join(tmp, "req.txt"), "w") as f:
            f.write("x\nyz\n")
        with open(os.path.join(tmp, "rules.tsv"), "w") as f:
            f.write("41\t61\n")
        args = ["--input=" + corpus, "--input_format=text", "--model_prefix=m",
                "--model_type=char", "--vocab_size=300", "--accept_language=en,de",
                "--self_test_sample_size=3", "--character_coverage=0.99",
                "--input_sentence_size=1000", "--shuffle_input_sentence=false",
                "--seed_sentencepiece_size=5000", "--shrinking_factor=0.8", "--num_threads=3",
                "--num_sub_iterations=3", "--max_sentencepiece_length=8",
                "--max_sentence_length=2000", "--split_by_unicode_script=false",
                "--split_by_number=false", "--split_by_whitespace=false", "--split_digits",
                "--treat_whitespace_as_suffix", "--allow_whitespace_only_pieces",
                "--control_symbols=<c1>", "--control_symbols_file=ctl.txt",
                "--user_defined_symbols=quick", "--user_defined_symbols_file=uds.txt",
                "--required_chars=q", "--required_chars_file=req.txt", "--byte_fallback",
                "--vocabulary_output_piece_score=false", "--normalization_rule_name=nfkc",
                "--normalization_rule_tsv=", "--denormalization_rule_tsv=rules.tsv",
                "--add_dummy_prefix=false", "--remove_extra_whitespaces=false",
                "--hard_vocab_limit=false", "--use_all_vocab", "--unk_id=1", "--bos_id=0",
                "--eos_id=-1", "--pad_id=2", "--unk_piece=<U>", "--bos_piece=<B>",
                "--eos_piece=<E>", "--pad_piece=<P>", "--unk_surface=??",
                "--train_extremely_large_corpus", "--random_seed=7",
                "--enable_differential_privacy=false", "--differential_privacy_noise_level=0.5",
                "--differential_privacy_clipping_threshold=3", "--minloglevel=1"]
        r = run(*args)
        check("all flags train", r.returncode == 0, r.stderr.decode()[-500:])
        if r.returncode == 0:
            t = spec_fields(os.path.join(tmp, "m.model"), 2)
            n = spec_fields(os.path.join(tmp, "m.model"), 3)
            d = spec_fields(os.path.join(tmp, "m.model"), 5)
            check("input", t[1] == [corpus.encode()])
            check("accept_language", t[5] == [b"en", b"de"])
            check("control symbols", t[30] == [b"<c1>", b"<c2>", b"<c3>"])
            check("user symbols", t[31] == [b"quick", b"lazy"])
            check("required_chars from file", t[36] == [b"xyz"])
            check("unk_piece", t[45] == [b"<U>"])
            check("unk_surface", t[44] == [b"??"])
            check("split_digits", t[25] == [1])
            check("model_type CHAR", t[3] == [4])
            check("normalizer name", n[1] == [b"nfkc"])
            check("add_dummy_prefix", n[3] == [0])
            check("escape_whitespaces not written", 5 not in n)
            check("denormalizer", d.get(6) == [b"rules.tsv"] and d.get(3) == [0])
            check("self-test", b"\x22" in open(os.path.join(tmp, "m.model"), "rb").read())
            vocab = open(os.path.join(tmp, "m.vocab"), encoding="utf-8").read().splitlines()
            check("no scores", "\t" not in vocab[0] and vocab[0] == "<B>", vocab[0])

        # Defaults are written as the reference writes them.
        r = run("--input=" + corpus, "--model_prefix=d", "--model_type=word", "--vocab_size=13",
                "--minloglevel=1")
        check("defaults train", r.returncode == 0, r.stderr.decode()[-300:])
        ref_dir = os.path.join(tmp, "ref")
        os.mkdir(ref_dir)
        subprocess.run(["spm_train", "--input=" + corpus, "--model_prefix=d", "--model_type=word",
                        "--vocab_size=13", "--minloglevel=2"], cwd=ref_dir, check=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        check("model bytes identical to the reference's",
              open(os.path.join(tmp, "d.model"), "rb").read() ==
              open(os.path.join(ref_dir, "d.model"), "rb").read())

        # Errors.
        for flag_args, text in [
            (["--vocab_size=abc"], "invalid value \"abc\" for flag --vocab_size"),
            (["--split_digits=maybe"], None),
            (["--model_type=foo"], "invalid value \"foo\" for flag --model_type"),
            (["--no_such_flag=1"], "Unknown/Invalid flag no_such_flag"),
            (["--random_seed=x"], "invalid value \"x\" for flag --random_seed"),
        ]:
            r = run("--input=" + corpus, "--model_prefix=e", *flag_args)
            err = r.stderr.decode()
            check("error " + flag_args[0], r.returncode != 0 and (text is None or text in err), err[:300])
        r = run("--model_prefix=e")
        check("missing --input", r.returncode != 0 and "--input must not be empty" in r.stderr.decode())
        r = run("--input=" + corpus)
        check("missing --model_prefix",
              r.returncode != 0 and "--model_prefix must not be empty" in r.stderr.decode())
        r = run("--input=" + corpus, "--model_prefix=e", "extra.txt")
        check("positional argument", r.returncode != 0 and "unexpected argument" in r.stderr.decode())
        r = run("--input=" + corpus, "--model_prefix=e", "--control_symbols_file=/nonexistent")
        check("missing symbols file", r.returncode != 0 and "/nonexistent" in r.stderr.decode())
        r = run("--input=" + corpus, "--model_prefix=e", "--model_type=bpe", "--vocab_size=5000")
        check("vocab too high", r.returncode != 0 and
              "Vocabulary size too high (5000). Please set it to a value <= " in r.stderr.decode())
        check("no partial output", not os.path.exists(os.path.join(tmp, "e.model")) and
              not os.path.exists(os.path.join(tmp, "e.vocab")) and
              not any(f.startswith("e.") for f in os.listdir(tmp)))

        # Progress on stderr, quiet with --minloglevel=1.
        r = run("--input=" + corpus, "--model_prefix=p", "--model_type=bpe", "--vocab_size=40")
        err = r.stderr.decode()
        check("progress", "BPE merges: done in" in err and "normalizing sentences" in err, err[-300:])
        r = run("--input=" + corpus, "--model_prefix=p", "--model_type=bpe", "--vocab_size=40",
                "--minloglevel=1")
        check("quiet", r.returncode == 0 and r.stderr == b"", r.stderr.decode()[:200])

    for f in failed:
        print("FAIL " + f)
    print("%d passed, %d failed" % (passed, len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
