"""What scripts/bpe_quality.sh and scripts/unigram_quality.sh report for
both model types: the piece overlap of our model with the reference's, and
the tokens per byte each makes of the held-out text."""

import re


def learned(vocab):
    """The pieces of a .vocab file, meta and byte pieces excluded."""
    out = set()
    for line in open(vocab, encoding="utf-8"):
        piece = line.split("\t")[0]
        if not re.fullmatch(r"<0x[0-9A-F]{2}>|<unk>|<s>|</s>", piece):
            out.add(piece)
    return out


def compare(ref_vocab, our_vocab, ref_tok, our_tok, nbytes):
    """(overlap, ref_tok/B, our_tok/B, diff): the share (%) of the
    reference's learned pieces that ours also learned, the tokens per byte of
    each, and how many more tokens ours makes (%)."""
    ref, ours = learned(ref_vocab), learned(our_vocab)
    overlap = 100.0 * len(ref & ours) / len(ref)
    diff = 100.0 * (our_tok - ref_tok) / ref_tok
    return overlap, ref_tok / nbytes, our_tok / nbytes, diff
