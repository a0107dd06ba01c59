#!/usr/bin/python3
"""Builds testdata/models/ and testdata/rules/ with the reference SentencePiece.

* copies every model of ../shared/data/models unchanged;
* trains small models with /usr/bin/spm_train (fixed --random_seed and
  --num_threads, relative paths, so the bytes are reproducible);
* derives *_unused models by setting frequent NORMAL pieces to UNUSED.

Training runs in a scratch directory; the training corpora are rebuilt from
the shared corpora by build_training_corpora() (see testdata/README.md).
"""
import argparse
import collections
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import (MODELS_DIR, RULES_DIR, SHARED_CORPORA, SHARED_MODELS, TEXT_DIR,
                    join_lines, split_lines)

# Custom normalization rules: source code points <TAB> target code points.
NORM_RULES = (
    "E9\t65\t# LATIN SMALL E WITH ACUTE -> e\n"
    "AD\t\t# SOFT HYPHEN -> deleted\n"
    "3000\t20\t# IDEOGRAPHIC SPACE -> space\n"
    "9\t20\t# TAB -> space\n"
    "2026\t2E 2E 2E\t# HORIZONTAL ELLIPSIS -> ...\n"
    "4B 4D\t6B 6D\t# KM -> km\n"
    "61 308\tE4\t# a + COMBINING DIAERESIS -> a with diaeresis\n"
)
# Rules that rewrite the space itself and put spaces inside a character's
# normalization (the fast paths assume neither).
SPACE_RULES = (
    "20\t5F\t# SPACE -> LOW LINE\n"
    "B7\t20 B7 20\t# MIDDLE DOT -> space, middle dot, space\n"
    "A6\t7C 20 7C\t# BROKEN BAR -> bar, space, bar\n"
)
DENORM_RULES = (
    "2E 2E 2E\t2026\t# ... -> HORIZONTAL ELLIPSIS\n"
    "6B 6D\t4B 4D\t# km -> KM\n"
    "27\t2019\t# APOSTROPHE -> RIGHT SINGLE QUOTATION MARK\n"
)

# Corpora mixed into mixed.txt (first lines of each, up to MIX_BYTES bytes).
MIX_CORPORA = ["en_botchan", "de_fortunes", "ru_fortunes", "pl_fortunes", "el_vim_tutor",
               "vi_vim_tutor", "ja_emacs_tutorial", "ja_debian_handbook",
               "zh_hans_emacs_tutorial", "ko_emacs_tutorial", "ar_debian_handbook",
               "he_emacs_tutorial", "hi_libreoffice_help", "th_emacs_tutorial",
               "multi_emacs_hello"]
MIX_BYTES = 30000

COMMON = ["--random_seed=1", "--num_threads=2"]
IDENTITY = ["--normalization_rule_name=identity"]
UDS = ["--user_defined_symbols=<sep>,<cls>,ab", "--control_symbols=<ctl>"]

# name -> (corpus, spm_train flags).  Models without an explicit rule name use
# the trainer default nmt_nfkc (its 240 KB charsmap is stored in the model).
TRAINED = {
    "char_mixed": ("mixed.txt", ["--model_type=char", "--vocab_size=1000",
                                 "--normalization_rule_name=nfkc_cf",
                                 "--user_defined_symbols=<sep>,<cls>"]),
    "char_bytefb": ("mixed.txt", ["--model_type=char", "--vocab_size=600", "--byte_fallback",
                                  "--character_coverage=0.98"] + IDENTITY),
    "word_en": ("en.txt", ["--model_type=word", "--vocab_size=1000",
                           "--user_defined_symbols=<sep>"] + IDENTITY),
    "word_suffix": ("en.txt", ["--model_type=word", "--vocab_size=500",
                               "--treat_whitespace_as_suffix"] + IDENTITY),
    "bpe_suffix": ("en.txt", ["--model_type=bpe", "--vocab_size=500",
                              "--treat_whitespace_as_suffix"]),
    "unigram_suffix": ("mixed.txt", ["--model_type=unigram", "--vocab_size=3000",
                                     "--treat_whitespace_as_suffix"] + IDENTITY),
    "bpe_suffix_noextraws": ("en.txt", ["--model_type=bpe", "--vocab_size=500",
                                        "--treat_whitespace_as_suffix",
                                        "--remove_extra_whitespaces=false",
                                        "--allow_whitespace_only_pieces"] + IDENTITY),
    "unigram_nodummy": ("en.txt", ["--model_type=unigram", "--vocab_size=500",
                                   "--add_dummy_prefix=false"] + IDENTITY),
    # Gemma-style: BPE without a dummy prefix, raw text, byte fallback.
    "bpe_nodummy": ("en.txt", ["--model_type=bpe", "--vocab_size=800",
                               "--add_dummy_prefix=false", "--byte_fallback"] + IDENTITY),
    "bpe_noextraws": ("en.txt", ["--model_type=bpe", "--vocab_size=500",
                                 "--remove_extra_whitespaces=false"]),
    "unigram_raw_ws": ("en.txt", ["--model_type=unigram", "--vocab_size=500",
                                  "--add_dummy_prefix=false", "--remove_extra_whitespaces=false",
                                  "--allow_whitespace_only_pieces",
                                  "--split_by_whitespace=false"] + IDENTITY),
    "unigram_digits": ("mixed.txt", ["--model_type=unigram", "--vocab_size=3000",
                                     "--split_digits"] + IDENTITY),
    "unigram_uds": ("en.txt", ["--model_type=unigram", "--vocab_size=500"] + UDS),
    "bpe_uds": ("en.txt", ["--model_type=bpe", "--vocab_size=500"] + UDS + IDENTITY),
    "unigram_nmt_nfkc_cf": ("mixed.txt", ["--model_type=unigram", "--vocab_size=3000",
                                          "--normalization_rule_name=nmt_nfkc_cf"]),
    "unigram_rules": ("en.txt", ["--model_type=unigram", "--vocab_size=500",
                                 "--normalization_rule_tsv=rules/norm.tsv",
                                 "--denormalization_rule_tsv=rules/denorm.tsv"]),
    "bpe_rules": ("en.txt", ["--model_type=bpe", "--vocab_size=500",
                             "--normalization_rule_tsv=rules/norm.tsv"]),
    "unigram_space_rules": ("en.txt", ["--model_type=unigram", "--vocab_size=500",
                                       "--normalization_rule_tsv=rules/space.tsv"]),
    "unigram_cross_ws": ("en.txt", ["--model_type=unigram", "--vocab_size=2000",
                                    "--split_by_whitespace=false"]),
    "unigram_bytefb": ("mixed.txt", ["--model_type=unigram", "--vocab_size=1500",
                                     "--byte_fallback", "--character_coverage=0.98",
                                     "--normalization_rule_name=nfkc"]),
    "bpe_bytefb": ("mixed.txt", ["--model_type=bpe", "--vocab_size=1500", "--byte_fallback",
                                 "--character_coverage=0.98"]),
    "unigram_metaids": ("en.txt", ["--model_type=unigram", "--vocab_size=500", "--unk_id=3",
                                   "--bos_id=-1", "--eos_id=0", "--pad_id=1"] + IDENTITY),
    "bpe_metaids": ("en.txt", ["--model_type=bpe", "--vocab_size=500", "--unk_id=2",
                               "--bos_id=4", "--eos_id=3", "--pad_id=0", "--unk_piece=[UNK]",
                               "--bos_piece=[BOS]", "--eos_piece=[EOS]", "--pad_piece=[PAD]",
                               "--unk_surface=@@"] + IDENTITY),
}

# derived name -> (source model, number of multi-char pieces, number of single chars)
UNUSED = {
    "spm_test_model_unused": ("spm_test_model", 12, 2),
    "hf_test_bpe_unused": ("hf_test_sentencepiece_bpe", 12, 1),
}


def build_training_corpora(work):
    (work / "en.txt").write_bytes((SHARED_CORPORA / "en_botchan.txt").read_bytes())
    mixed = []
    for name in MIX_CORPORA:
        size = 0
        for line in split_lines((SHARED_CORPORA / f"{name}.txt").read_bytes()):
            if size + len(line) > MIX_BYTES:
                break
            mixed.append(line)
            size += len(line) + 1
    (work / "mixed.txt").write_bytes(join_lines(mixed))
    rules = work / "rules"
    rules.mkdir(exist_ok=True)
    (rules / "norm.tsv").write_text(NORM_RULES)
    (rules / "denorm.tsv").write_text(DENORM_RULES)
    (rules / "space.tsv").write_text(SPACE_RULES)


def train(work, name, corpus, flags):
    cmd = ["/usr/bin/spm_train", f"--input={corpus}", f"--model_prefix={name}",
           "--minloglevel=1"] + COMMON + flags
    res = subprocess.run(cmd, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if res.returncode != 0:
        sys.exit(f"training {name} failed:\n{res.stderr.decode(errors='replace')}")
    shutil.copyfile(work / f"{name}.model", MODELS_DIR / f"{name}.model")
    return " ".join(cmd[1:])


def make_unused(name, source, n_multi, n_single):
    """Sets the most frequent NORMAL pieces of `source` (by count in the
    encoded golden_mix + samples; ties by piece) to UNUSED."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2 as mpb
    src = MODELS_DIR / f"{source}.model"
    sp = spm.SentencePieceProcessor(model_file=str(src))
    counts = collections.Counter()
    files = [TEXT_DIR / "golden_mix.txt"] + sorted((TEXT_DIR / "sample").glob("*.txt"))
    for f in files:
        for line in split_lines(f.read_bytes()):
            counts.update(sp.encode(line))
    model = mpb.ModelProto()
    model.ParseFromString(src.read_bytes())
    normal = [(-c, model.pieces[i].piece, i) for i, c in counts.items()
              if model.pieces[i].type == mpb.ModelProto.SentencePiece.NORMAL
              and model.pieces[i].piece != "\u2581"]
    normal.sort()
    multi = [i for _, p, i in normal if len(p) > 1][:n_multi]
    single = [i for _, p, i in normal if len(p) == 1][:n_single]
    for i in multi + single:
        model.pieces[i].type = mpb.ModelProto.SentencePiece.UNUSED
    (MODELS_DIR / f"{name}.model").write_bytes(model.SerializeToString())
    return [model.pieces[i].piece for i in multi + single]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", help="train only these models")
    args = ap.parse_args()
    MODELS_DIR.mkdir(parents=True, exist_ok=True)
    RULES_DIR.mkdir(parents=True, exist_ok=True)
    (RULES_DIR / "norm.tsv").write_text(NORM_RULES)
    (RULES_DIR / "denorm.tsv").write_text(DENORM_RULES)
    (RULES_DIR / "space.tsv").write_text(SPACE_RULES)
    if not args.only:
        for m in sorted(SHARED_MODELS.glob("*.model")):
            shutil.copyfile(m, MODELS_DIR / m.name)
    log = []
    with tempfile.TemporaryDirectory(prefix="spm_train_") as tmp:
        work = Path(tmp)
        build_training_corpora(work)
        for name, (corpus, flags) in TRAINED.items():
            if args.only and name not in args.only:
                continue
            cmd = train(work, name, corpus, flags)
            log.append(f"{name}.model\tspm_train {cmd}")
            print(f"trained {name}", flush=True)
    for name, (source, n_multi, n_single) in UNUSED.items():
        if args.only and name not in args.only:
            continue
        pieces = make_unused(name, source, n_multi, n_single)
        log.append(f"{name}.model\t{source}.model with UNUSED: {' '.join(pieces)}")
        print(f"derived {name}: {' '.join(pieces)}", flush=True)
    if not args.only:
        (MODELS_DIR / "MODELS.tsv").write_text(
            "# model<TAB>how it was made (trained in a scratch dir, see testdata/README.md)\n"
            + "\n".join(log) + "\n")


if __name__ == "__main__":
    main()
