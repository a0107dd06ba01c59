#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets into testdata/fuzz/<target>/.

Each seed has the layout its target reads (see the comment at the top of
tests/fuzz/<target>_fuzzer.cc): a few parameter bytes, then text, ids or
model bytes taken from the bundled models and sample text. Ids and pieces
for the decode seeds come from the reference SentencePiece (python3
sentencepiece 0.1.97), so they are realistic. The output is deterministic.

  /usr/bin/python3 tests/fuzz/make_seeds.py [--out testdata/fuzz]

The whole of testdata/fuzz stays under about 1 MB. Files named regress-*
(inputs that once failed, added by hand after the fix) are kept.
"""

import argparse
import glob
import hashlib
import os
import random
import sys

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as model_pb2

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TESTDATA = os.path.join(ROOT, "testdata")

# Must match ModelNames() in tests/fuzz/fuzz_util.cc (the selector byte is
# an index into it).
MODEL_NAMES = [
    "spm_test_model", "llama2", "unigram_bytefb", "bpe_bytefb", "char_mixed",
    "char_bytefb", "word_en", "word_suffix", "bpe_suffix", "unigram_suffix",
    "bpe_suffix_noextraws", "unigram_nodummy", "bpe_noextraws", "unigram_raw_ws",
    "unigram_digits", "unigram_uds", "bpe_uds", "unigram_nmt_nfkc_cf", "unigram_rules",
    "bpe_rules", "unigram_metaids", "bpe_metaids", "spm_test_model_unused",
    "hf_test_bpe_unused", "hf_test_sentencepiece_bpe", "spm_test_ja_model",
    "albert_spiece", "chinese_llama_human_unigram", "xlnet_spiece",
    "legal_t5_small_fr_en_spiece", "blingfire_laser_50k", "bpemb_en_vs100000",
]


def model_path(name):
    return os.path.join(TESTDATA, "models", name + ".model")


def read_lines(path):
    with open(path, "rb") as f:
        return [l for l in f.read().split(b"\n") if l]


def text_lines():
    """Short edge cases and multilingual lines, as bytes."""
    lines = read_lines(os.path.join(TESTDATA, "text", "edge_short.txt"))
    lines += read_lines(os.path.join(TESTDATA, "text", "golden_mix.txt"))
    for path in sorted(glob.glob(os.path.join(TESTDATA, "text", "sample", "*.txt"))):
        lines += read_lines(path)[:3]
    return [l[:600] for l in lines]


def special_lines(rng):
    """Inputs no corpus has: long lines, NULs, random bytes, runs."""
    out = [
        b"",
        b" ",
        b"\x00",
        b"a\x00b\x00\x00c",
        b"\xe2\x96\x81" * 50,
        b" " * 300 + b"x",
        b"\xff" * 64,
        b"<sep><cls>ab<ctl><s></s><unk><pad>",
        bytes(range(256)),
        ("\u00e9\u0301\ufb01\u2460\uff21\u3000" * 20).encode(),
    ]
    out.append(bytes(rng.randrange(256) for _ in range(2000)))
    word = b"internationalization "
    out.append(word * 200)  # 4 KB, one line
    return out


class Writer:
    def __init__(self, out_dir, target):
        self.dir = os.path.join(out_dir, target)
        os.makedirs(self.dir, exist_ok=True)
        # Regression inputs (regress-*: fuzzer findings, kept by hand) stay.
        for name in os.listdir(self.dir):
            if not name.startswith("regress-"):
                os.unlink(os.path.join(self.dir, name))
        self.count = 0
        self.bytes = 0

    def add(self, data, label=""):
        name = hashlib.sha1(data).hexdigest()[:16]
        if label:
            name = label + "-" + name
        with open(os.path.join(self.dir, name), "wb") as f:
            f.write(data)
        self.count += 1
        self.bytes += len(data)


def available_models():
    return [(i, n) for i, n in enumerate(MODEL_NAMES) if os.path.exists(model_path(n))]


def encode_seeds(out, lines, specials, rng):
    w = Writer(out, "encode")
    for i, name in available_models():
        picks = rng.sample(lines, 4) + [rng.choice(specials)]
        for k, text in enumerate(picks):
            option_bits = [0, 0x01, 0x1B, 0x8F, 0xFF][k]
            w.add(bytes([i, option_bits]) + text, name)
    for k, text in enumerate(specials):
        w.add(bytes([k % len(MODEL_NAMES), 0]) + text, "special")
    return w


def sample_seeds(out, lines, specials, rng):
    w = Writer(out, "sample_encode")
    # Indices into kSizes / kAlphas / kSamples of sample_encode_fuzzer.cc.
    for i, name in available_models():
        for k in range(3):
            nbest = [0, 4, 9][(k + i) % 3]     # -1, 3, 513
            alpha = [2, 1, 12][(k + i) % 3]    # 0.5, 0.1, NaN
            samples = [4, 5, 8][k]             # 2, 3, 1025
            flags = [0x3D, 0x3E, 0x3F][k]
            text = rng.choice(lines)[:200]
            w.add(bytes([i, nbest, alpha, samples, flags]) + text, name)
    for k, text in enumerate(specials[:8]):
        w.add(bytes([k, 0, 2, 4, 0x3F]) + text[:300], "special")
    return w


def decode_seeds(out, lines, rng):
    w = Writer(out, "decode")
    piece_lines = read_lines(os.path.join(TESTDATA, "text", "decode_pieces_edge.txt"))
    for i, name in available_models():
        sp = spm.SentencePieceProcessor(model_file=model_path(name))
        n = sp.get_piece_size()
        for k in range(2):
            text = rng.choice(lines)[:300].decode("utf-8", "replace")
            ids = sp.encode(text)
            if k == 1 and i % 2 == 0:
                ids = ids + [n + 2, -3]  # out of range
            payload = b"".join(((v + 4) % 65536).to_bytes(2, "little") for v in ids)
            w.add(bytes([i, 0, [0, 0x0B][k]]) + payload, name + "-ids")
            pieces = " ".join(sp.encode(text, out_type=str)).encode()
            w.add(bytes([i, 1, [0x01, 0x8F][k]]) + pieces, name + "-pieces")
        w.add(bytes([i, 1, 0]) + rng.choice(piece_lines), name + "-edge")
        byte_pieces = b" ".join(b"<0x%02X>" % b for b in "\u3042\u00e9x".encode())
        w.add(bytes([i, 1, 0]) + byte_pieces + b" <0xFF> <0xZZ> <0x4", name + "-bytes")
    return w


def normalize_seeds(out, lines, specials, rng):
    w = Writer(out, "normalize")
    # The target dedupes charsmaps at run time, so small indices cover every
    # distinct rule set (identity, the models' and the built-in ones).
    for charsmap in range(24):
        for k in range(4):
            flags = [0x07, 0x00, 0x0B, 0x02][k]
            symbols = k % 3
            text = rng.choice(lines + specials)[:400]
            w.add(bytes([charsmap, flags, symbols]) + text, "rules%02d" % charsmap)
    return w


def model_load_seeds(out):
    w = Writer(out, "model_load")
    small = [n for n in MODEL_NAMES
             if os.path.exists(model_path(n)) and os.path.getsize(model_path(n)) < 40000]
    for name in small:
        with open(model_path(name), "rb") as f:
            w.add(f.read(), name)
    # A model with self-test samples (none of the bundled ones has any), one
    # whose self-test fails, and one with a piece the reference rejects.
    base_name = "unigram_nodummy"
    if os.path.exists(model_path(base_name)):
        base = model_pb2.ModelProto()
        with open(model_path(base_name), "rb") as f:
            base.ParseFromString(f.read())
        sp = spm.SentencePieceProcessor(model_proto=base.SerializeToString())
        m = model_pb2.ModelProto()
        m.CopyFrom(base)
        for text in ["Hello world.", "This is a test.", "  spaces  "]:
            s = m.self_test_data.samples.add()
            s.input = text
            s.expected = " ".join(sp.encode(text, out_type=str))
        w.add(m.SerializeToString(), "selftest_ok")
        m.self_test_data.samples[0].expected = "H e l l o"
        w.add(m.SerializeToString(), "selftest_bad")
        m = model_pb2.ModelProto()
        m.CopyFrom(base)
        m.pieces[5].type = model_pb2.ModelProto.SentencePiece.BYTE
        w.add(m.SerializeToString(), "byte_without_fallback")
    return w


def charsmap_seeds(out):
    w = Writer(out, "charsmap")
    for path in sorted(glob.glob(os.path.join(TESTDATA, "rules", "*.tsv"))):
        with open(path, "rb") as f:
            w.add(b"\x00" + f.read(), "tsv-" + os.path.basename(path)[:-4])
    w.add(b"\x00" + b"41\t61\nFF21\t41\n3000\t20\n200B\t\n", "tsv-small")
    blobs = {}
    for name in ["unigram_rules", "spm_test_model", "unigram_nmt_nfkc_cf"]:
        if not os.path.exists(model_path(name)):
            continue
        m = model_pb2.ModelProto()
        with open(model_path(name), "rb") as f:
            m.ParseFromString(f.read())
        for which, spec in [("norm", m.normalizer_spec), ("denorm", m.denormalizer_spec)]:
            blob = spec.precompiled_charsmap
            if blob and blob not in blobs.values():
                blobs[name + "-" + which] = blob
    for label, blob in blobs.items():
        w.add(b"\x01" + blob, "blob-" + label)
    return w


def trainer_spec_seeds(out):
    w = Writer(out, "trainer_spec")
    tsv = os.path.join(TESTDATA, "models", "MODELS.tsv")
    if os.path.exists(tsv):
        for line in read_lines(tsv):
            if line.startswith(b"#") or b"\tspm_train " not in line:
                continue
            w.add(line.split(b"\tspm_train ", 1)[1], "models")
    for args in [
        b"--vocab_size=abc", b"--model_type=UNIGRAM --vocab_size=-5", b"--model_type=nosuch",
        b"--user_defined_symbols=a,b,,c --control_symbols=<unk>",
        b"--character_coverage=2 --num_threads=0 --max_sentencepiece_length=100000",
        b"--unk_id=5 --vocab_size=3", b"--unk_id=-1", b"--bos_id=-1 --eos_id=-1 --pad_id=0",
        b"--byte_fallback --vocab_size=100", b"--byte_fallback=maybe", b"--input_format=csv",
        b"--minloglevel=x", b"--random_seed=99999999999999999999", b"--unk_piece=",
        b"--shrinking_factor=nan --character_coverage=inf", b"--vocab_size=2147483648",
        b"--split_digits --treat_whitespace_as_suffix=yes --add_dummy_prefix=N",
        b"=", b"--", b"----=", b"--=x", b"  --vocab_size=10  ", b"--nosuchfield=1",
        b"--normalization_rule_name=nfkc_cf --denormalization_rule_tsv=x.tsv",
        b"--control_symbols=<s> --user_defined_symbols=<s>",
        b"--accept_language=en,ja --input=a.txt,b.txt --self_test_sample_size=2000",
        b"--max_sentence_length=9 --input_sentence_size=50",
    ]:
        w.add(args, "edge")
    return w


def train_seeds(out, lines, specials, rng):
    w = Writer(out, "train")
    for k in range(40):
        corpus = b"\n".join(rng.sample(lines, 8))[:1500]
        if k % 5 == 4:
            corpus += b"\n" + rng.choice(specials)[:300]
        model_type = k % 3                      # bpe, char, word
        vocab = [12, 28, 60, 100, 4][k % 5]     # vocab_size = 4 + vocab
        flags = [0x00, 0x01, 0x40, 0x22, 0x8D, 0x14, 0x41, 0x02][k % 8]
        norm = k % 5
        w.add(bytes([model_type, vocab, flags, norm]) + corpus, "train")
    for label, header, corpus in [
        ("empty", bytes([0, 20, 0, 0]), b""),
        ("blank-lines", bytes([0, 20, 0, 0]), b"\n\n \n\t\n"),
        ("nul", bytes([0, 20, 1, 0]), b"\x00\x00a\x00b\n\x00"),
        ("unigram", bytes([3, 20, 0, 0]), b"hello world\n"),
        ("vocab-zero", bytes([0, 0xFD, 0, 0]), b"hello world\n"),
        ("vocab-negative", bytes([0, 0xFE, 0, 0]), b"hello world\n"),
        ("vocab-huge", bytes([0, 0xFF, 0, 0]), b"hello world\n"),
        ("vocab-too-high", bytes([1, 100, 0, 0]), b"abc\n"),
        ("one-char", bytes([0, 8, 0, 0]), b"aaaaaaaaaaaaaaaa\n" * 8),
    ]:
        w.add(header + corpus, label)
    return w


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(TESTDATA, "fuzz"))
    args = parser.parse_args()
    rng = random.Random(20261129)
    lines = text_lines()
    specials = special_lines(rng)
    writers = [
        encode_seeds(args.out, lines, specials, rng),
        sample_seeds(args.out, lines, specials, rng),
        decode_seeds(args.out, lines, rng),
        normalize_seeds(args.out, lines, specials, rng),
        model_load_seeds(args.out),
        charsmap_seeds(args.out),
        trainer_spec_seeds(args.out),
        train_seeds(args.out, lines, specials, rng),
    ]
    total = 0
    for w in writers:
        print("%-40s %4d seeds %8d bytes" % (w.dir, w.count, w.bytes))
        total += w.bytes
    print("total %d bytes" % total)


if __name__ == "__main__":
    sys.exit(main())
