"""The golden cases: which tool runs with which flags on which input.

Only the *definitions* live here; generate.py runs them against the
reference and stores the outputs, check_golden.py reruns them with our tools.
Paths are relative to the repository root.
"""
TEXT = "testdata/text"
MIX = f"{TEXT}/golden_mix.txt"
EDGE = f"{TEXT}/edge_cases.txt"
EDGE_SHORT = f"{TEXT}/edge_short.txt"  # offsets: long lines only in the live diff test
RULES = "testdata/rules"
RULE_NAMES = ["nfkc", "nmt_nfkc", "nfkc_cf", "nmt_nfkc_cf", "identity"]

# Models that additionally get the flag-syntax, multi-file, output-file cases.
FLAG_MODELS = ["spm_test_model", "llama2"]
# Models that get --generate_vocabulary and --vocabulary restriction cases.
VOCAB_MODELS = ["spm_test_model", "llama2", "hf_test_sentencepiece_bpe", "unigram_bytefb",
                "bpe_bytefb", "spm_test_model_unused", "unigram_uds", "char_mixed", "word_en"]
# Models that get offsets with --extra_options=bos:eos (bos/eos carry no offsets).
BOS_EOS_OFFSET_MODELS = ["spm_test_model", "llama2", "bpe_metaids", "unigram_uds", "char_mixed",
                         "word_en", "albert_spiece"]
# Models whose normalizer gets spm_normalize variants.
NORM_MODELS = ["spm_test_model", "llama2", "chinese_llama_human_unigram", "unigram_uds",
               "unigram_suffix", "unigram_raw_ws", "unigram_rules", "unigram_nmt_nfkc_cf"]


def model_path(model):
    return f"testdata/models/{model}.model"


def golden(name):
    """Argument placeholder: the stored output of case `name`, decompressed."""
    return "{xz:testdata/golden/" + name + ".xz}"


def case(name, tool, args, stdin=None, kind="bytes", **extra):
    c = {"name": name, "file": name + ".xz", "kind": kind, "tool": tool, "args": list(args)}
    if stdin:
        c["stdin"] = stdin
    c.update(extra)
    return c


def encode_cases(m, inputs):
    """inputs: {"mix", "edge", "edge_short"} -> path (possibly filtered per model).
    Every input gets piece/id encodes, decodes of those and spm_normalize;
    mix and edge_short get offsets."""
    M = f"--model={model_path(m)}"
    out = []
    for tag, inp in ((t, inputs[t]) for t in ("mix", "edge")):
        out += [
            case(f"{m}/encode_piece.{tag}", "spm_encode", [M, "--output_format=piece", inp]),
            case(f"{m}/encode_id.{tag}", "spm_encode", [M, "--output_format=id", f"--input={inp}"]),
            case(f"{m}/decode_id.{tag}", "spm_decode",
                 [M, "--input_format=id", "--input=" + golden(f"{m}/encode_id.{tag}")]),
            case(f"{m}/decode_piece.{tag}", "spm_decode", [M, golden(f"{m}/encode_piece.{tag}")]),
            case(f"{m}/normalize.{tag}", "spm_normalize", [M, f"--input={inp}"]),
        ]
    edge, short = inputs["edge"], inputs["edge_short"]
    for tag in ("mix", "edge_short"):
        out.append(case(f"{m}/offsets.{tag}", "spm_encode",
                        [M, "--output_format=proto", f"--input={inputs[tag]}"],
                        kind="proto", input=inputs[tag], extra_options=""))
    for fmt in ("piece", "id"):
        out.append(case(f"{m}/encode_{fmt}.edge_short.bos_eos", "spm_encode",
                        [M, f"--output_format={fmt}", "--extra_options=bos:eos", f"--input={short}"]))
    if m in BOS_EOS_OFFSET_MODELS:
        out.append(case(f"{m}/offsets.edge_short.bos_eos", "spm_encode",
                        [M, "--output_format=proto", "--extra_options=bos:eos", f"--input={short}"],
                        kind="proto", input=short, extra_options="bos:eos"))
    out += [
        case(f"{m}/decode_id.edge_short.bos_eos", "spm_decode",
             [M, "--input_format=id", golden(f"{m}/encode_id.edge_short.bos_eos")]),
        case(f"{m}/encode_piece.edge.reverse_unk", "spm_encode",
             [M, "--extra_options=reverse:unk", f"--input={edge}"]),
        case(f"{m}/encode_id.edge.reverse_unk", "spm_encode",
             [M, "--output_format=id", "--extra_options=reverse:unk", f"--input={edge}"]),
        case(f"{m}/offsets.edge_short.reverse_unk", "spm_encode",
             [M, "--output_format=proto", "--extra_options=reverse:unk", f"--input={short}"],
             kind="proto", input=short, extra_options="reverse:unk"),
        case(f"{m}/decode_piece.edge.reverse", "spm_decode",
             [M, "--extra_options=reverse", golden(f"{m}/encode_piece.edge.reverse_unk")]),
    ]
    return out


def model_cases(m):
    M = f"--model={model_path(m)}"
    out = [
        case(f"{m}/decode_ids_edge", "spm_decode",
             [M, "--input_format=id", f"{TEXT}/decode_ids_edge.txt"]),
        case(f"{m}/decode_pieces_edge", "spm_decode", [M, f"--input={TEXT}/decode_pieces_edge.txt"]),
        case(f"{m}/decode_pieces_edge.reverse_unk", "spm_decode",
             [M, "--extra_options=reverse:unk", f"--input={TEXT}/decode_pieces_edge.txt"]),
        case(f"{m}/export_vocab.vocab", "spm_export_vocab", [M]),
        case(f"{m}/export_vocab.syms", "spm_export_vocab", [M, "--output_format=syms"]),
    ]
    if m in VOCAB_MODELS:
        out += [
            case(f"{m}/generate_vocabulary.mix", "spm_encode",
                 [M, "--generate_vocabulary=true", MIX]),
            case(f"{m}/encode_piece.mix.vocabulary", "spm_encode",
                 [M, "--vocabulary=" + golden(f"{m}/generate_vocabulary.mix"),
                  "--vocabulary_threshold=2", MIX]),
            case(f"{m}/encode_id.edge.vocabulary", "spm_encode",
                 [M, "--output_format=id", "--vocabulary=" + golden(f"{m}/generate_vocabulary.mix"),
                  EDGE]),
        ]
    if m in NORM_MODELS:
        out += [
            case(f"{m}/normalize.edge.internal", "spm_normalize",
                 [M, "--use_internal_normalization=true", EDGE]),
            case(f"{m}/normalize.edge.keep_ws", "spm_normalize",
                 [M, "--remove_extra_whitespaces=false", EDGE]),
            case(f"{m}/normalize.decompile", "spm_normalize", [M, "--decompile"]),
        ]
    if m in FLAG_MODELS:
        out += flag_cases(m)
    if m == FLAG_MODELS[0]:
        out.append(case(f"{m}/flags.export_vocab_explicit", "spm_export_vocab",
                        [M, "--output_format=vocab", "--output={out}"]))
    return out


def flag_cases(m):
    """Flag syntax variants and I/O forms; the outputs equal other cases'."""
    mp = model_path(m)
    M = f"--model={mp}"
    return [
        case(f"{m}/flags.space_separated", "spm_encode",
             ["--model", mp, "--output_format", "id", "--input", EDGE]),
        case(f"{m}/flags.single_dash.stdin", "spm_encode", [f"-model={mp}", "-output_format=piece"],
             stdin=MIX),
        case(f"{m}/flags.two_files", "spm_encode", [M, f"{TEXT}/no_final_newline.txt", MIX]),
        case(f"{m}/flags.no_final_newline", "spm_encode", [M, f"{TEXT}/no_final_newline.txt"]),
        case(f"{m}/flags.empty_input", "spm_encode", [M, f"{TEXT}/empty.txt"]),
        case(f"{m}/flags.output_file", "spm_encode", [M, "--output={out}", f"--input={MIX}"]),
        case(f"{m}/flags.bos__eos", "spm_encode", [M, "--extra_options=bos::eos", MIX]),
        case(f"{m}/flags.colon_unk_colon", "spm_encode", [M, "--extra_options=:unk:", EDGE]),
        case(f"{m}/flags.unk_piece", "spm_encode", [M, "--extra_options=unk_piece", EDGE]),
        case(f"{m}/flags.bos_reverse", "spm_encode", [M, "--extra_options=bos:reverse", MIX]),
        case(f"{m}/flags.eos_reverse_bos", "spm_encode",
             [M, "--output_format=id", "--extra_options=eos:reverse:bos", MIX]),
        case(f"{m}/flags.bad_extra_option", "spm_encode", [M, "--extra_options=bos:foo", MIX]),
        case(f"{m}/flags.decode_explicit_formats", "spm_decode",
             [M, "--input_format=piece", "--output_format=string", "--output={out}",
              golden(f"{m}/encode_piece.mix")]),
        case(f"{m}/flags.decode_stdin", "spm_decode", [M, "--input_format", "id"],
             stdin=f"{TEXT}/decode_ids_edge.txt"),
        # "--flag value": a bool flag takes the next argument as its value when
        # it is a bool word. Documented deviation: the reference also swallows
        # a non-bool word (here the input file, then reading stdin); ours
        # keeps it as an input file, so the expected output is the
        # reference's for the unambiguous "--flag=true FILE".
        case(f"{m}/flags.bool_takes_next_arg", "spm_encode",
             [M, "--generate_vocabulary", f"{TEXT}/no_final_newline.txt"], stdin=MIX,
             reference_args=[M, "--generate_vocabulary=true", f"{TEXT}/no_final_newline.txt"],
             reference_stdin=""),
        case(f"{m}/flags.bool_takes_next_word", "spm_encode",
             [M, "--generate_vocabulary", "yes", MIX]),
        case(f"{m}/flags.normalize_bool_takes_next_arg", "spm_normalize",
             [M, "--use_internal_normalization", EDGE], stdin=MIX,
             reference_args=[M, "--use_internal_normalization=true", EDGE], reference_stdin=""),
        case(f"{m}/flags.normalize_bool_word", "spm_normalize",
             [M, "--use_internal_normalization=yes", "--remove_extra_whitespaces=F", EDGE]),
    ]


def global_cases():
    """spm_normalize without a model: built-in rules and TSV files."""
    out = []
    for r in RULE_NAMES:
        for tag, inp in (("mix", MIX), ("edge", EDGE)):
            out.append(case(f"_normalize/{r}.{tag}", "spm_normalize",
                            [f"--normalization_rule_name={r}", f"--input={inp}"]))
        out.append(case(f"_normalize/{r}.decompile", "spm_normalize",
                        [f"--normalization_rule_name={r}", "--decompile"]))
    out += [
        case("_normalize/nmt_nfkc.edge.keep_ws", "spm_normalize",
             ["--normalization_rule_name=nmt_nfkc", "--remove_extra_whitespaces=false", EDGE]),
        case("_normalize/norm_tsv.edge", "spm_normalize",
             [f"--normalization_rule_tsv={RULES}/norm.tsv", EDGE]),
        case("_normalize/denorm_tsv.edge", "spm_normalize",
             [f"--normalization_rule_tsv={RULES}/denorm.tsv", "--remove_extra_whitespaces=false", EDGE]),
        case("_normalize/norm_tsv.decompile", "spm_normalize",
             [f"--normalization_rule_tsv={RULES}/norm.tsv", "--decompile"]),
        case("_normalize/tsv_beats_name.edge", "spm_normalize",
             [f"--normalization_rule_tsv={RULES}/norm.tsv", "--normalization_rule_name=nfkc", EDGE]),
    ]
    return out
