"""SentencePieceText handling for the offsets tests.

Our spm_encode --output_format=proto prints one SentencePieceText per input
line in protobuf text format (single-line mode).  We parse those lines (with
one `protoc --encode` call for speed, text_format.Parse as the fallback) into
messages of PROTO_SOURCE, which is proto/sentencepiece.proto with *bytes*
instead of string fields (same names and numbers, so the wire and text
formats are identical): the inputs deliberately contain invalid UTF-8, which
the Python protobuf runtime refuses in string fields.

The reference side comes from the Python module:
SentencePieceProcessor.encode(line_bytes, out_type='serialized_proto') with
SetEncodeExtraOptions(), which is the same C++ Encode() that spm_encode calls.
Golden files store the messages in the compact form of to_compact(), which
keeps field presence (equal compact lines mean equal messages); our output is
converted to the same form and compared byte for byte.  The live diff test
compares serialized messages instead.
"""
import atexit
import shutil
import subprocess
import tempfile
from pathlib import Path

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, text_format

# The same messages as proto/sentencepiece.proto, with bytes for string, plus
# a wrapper used to parse many lines with one protoc call.
PROTO_SOURCE = """syntax = "proto2";
package spm_golden;
message SentencePieceText {
  message SentencePiece {
    optional bytes piece = 1;
    optional uint32 id = 2;
    optional bytes surface = 3;
    optional uint32 begin = 4;
    optional uint32 end = 5;
    extensions 200 to max;
  }
  optional bytes text = 1;
  repeated SentencePiece pieces = 2;
  optional float score = 3;
  extensions 200 to max;
}
message Lines { repeated SentencePieceText line = 1; }
"""


def _build_classes():
    """Message classes for PROTO_SOURCE, built from a descriptor (no protoc)."""
    F = descriptor_pb2.FieldDescriptorProto
    fd = descriptor_pb2.FileDescriptorProto(
        name="spm_golden/sentencepiece_bytes.proto", package="spm_golden", syntax="proto2")
    msg = fd.message_type.add(name="SentencePieceText")
    piece = msg.nested_type.add(name="SentencePiece")
    lines = fd.message_type.add(name="Lines")

    def add(m, name, number, ftype, label=F.LABEL_OPTIONAL, type_name=None):
        f = m.field.add(name=name, number=number, type=ftype, label=label)
        if type_name:
            f.type_name = type_name

    add(piece, "piece", 1, F.TYPE_BYTES)
    add(piece, "id", 2, F.TYPE_UINT32)
    add(piece, "surface", 3, F.TYPE_BYTES)
    add(piece, "begin", 4, F.TYPE_UINT32)
    add(piece, "end", 5, F.TYPE_UINT32)
    add(msg, "text", 1, F.TYPE_BYTES)
    add(msg, "pieces", 2, F.TYPE_MESSAGE, F.LABEL_REPEATED,
        ".spm_golden.SentencePieceText.SentencePiece")
    add(msg, "score", 3, F.TYPE_FLOAT)
    add(lines, "line", 1, F.TYPE_MESSAGE, F.LABEL_REPEATED, ".spm_golden.SentencePieceText")
    for m in (msg, piece):
        m.extension_range.add(start=200, end=536870912)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fd)
    classes = []
    for name in ("SentencePieceText", "Lines"):
        desc = pool.FindMessageTypeByName("spm_golden." + name)
        if hasattr(message_factory, "GetMessageClass"):
            classes.append(message_factory.GetMessageClass(desc))
        else:
            classes.append(message_factory.MessageFactory(pool).GetPrototype(desc))
    return classes


SentencePieceText, Lines = _build_classes()
_F = descriptor_pb2.FieldDescriptorProto

_ASCII_ESCAPES = {0x0A: b"\\n", 0x0D: b"\\r", 0x09: b"\\t", 0x22: b'\\"', 0x27: b"\\'",
                  0x5C: b"\\\\"}


def _utf8_runs(data):
    """Splits bytes into (chunk, ok) runs: ok = a valid UTF-8 character
    (Python's strict rules: no overlongs, surrogates or > U+10FFFF)."""
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        size = 1 if b < 0x80 else 2 if 0xC2 <= b < 0xE0 else 3 if 0xE0 <= b < 0xF0 else \
            4 if 0xF0 <= b < 0xF5 else 0
        chunk = data[i:i + size]
        try:
            ok = size > 0 and len(chunk) == size and bool(chunk.decode("utf-8"))
        except UnicodeDecodeError:
            ok = False
        if not ok:
            chunk = data[i:i + 1]
        yield chunk, ok
        i += len(chunk)


def escape(data):
    """C-style escaping that keeps valid UTF-8 readable: invalid bytes and
    ASCII controls become \\ooo."""
    out = bytearray()
    for chunk, ok in _utf8_runs(data):
        b = chunk[0]
        if not ok or b < 0x20 or b == 0x7F:
            out += _ASCII_ESCAPES.get(b, b"\\%03o" % b) if ok else b"\\%03o" % b
        elif b in _ASCII_ESCAPES:
            out += _ASCII_ESCAPES[b]
        else:
            out += chunk
    return bytes(out)


def to_compact(msg, input_line):
    """Lossless one-line form of a SentencePieceText, given the input line.

    One token per piece: PIECE|ID|BEGIN|END, followed by |SURFACE only when the
    surface is not simply text[begin:end].  Strings use escape() with space and
    '|' escaped too; an absent string is \\N, an absent number '-'.  `text` is
    omitted when it equals the input line, else a leading token T=TEXT (T\\N if
    absent); a set `score` adds a final S=VALUE token.
    """
    def esc(b):
        return escape(b).replace(b" ", b"\\040").replace(b"|", b"\\174")

    def opt_str(m, name):
        return esc(getattr(m, name)) if m.HasField(name) else b"\\N"

    def opt_num(m, name):
        return str(getattr(m, name)).encode() if m.HasField(name) else b"-"

    tokens = []
    has_text = msg.HasField("text")
    if not has_text or msg.text != input_line:
        tokens.append(b"T=" + esc(msg.text) if has_text else b"T\\N")
    for p in msg.pieces:
        t = b"|".join([opt_str(p, "piece"), opt_num(p, "id"), opt_num(p, "begin"),
                       opt_num(p, "end")])
        derivable = (has_text and p.HasField("surface") and p.HasField("begin")
                     and p.HasField("end") and msg.text[p.begin:p.end] == p.surface)
        if not derivable:
            t += b"|" + opt_str(p, "surface")
        tokens.append(t)
    if msg.HasField("score"):
        tokens.append(b"S=" + repr(msg.score).encode())
    return b" ".join(tokens)


def ours_to_compact(stdout, input_lines):
    """Our spm_encode --output_format=proto stdout -> compact lines (bytes).
    Unparsable lines become '!<error>' lines (which never match)."""
    from common import join_lines
    out = []
    for i, msg in enumerate(parse_lines(stdout)):
        inp = input_lines[i] if i < len(input_lines) else b""
        if isinstance(msg, ValueError):
            out.append(b"!" + str(msg).encode())
        else:
            out.append(to_compact(from_serialized(msg), inp))
    return join_lines(out)


def parse(line):
    """Parses one line of text format (bytes).  Raises ValueError.
    C++ TextFormat in UTF-8 mode prints bytes >= 0x80 raw even when they are
    not valid UTF-8; those are turned into octal escapes first."""
    msg = SentencePieceText()
    line = b"".join(c if ok else b"\\%03o" % c[0] for c, ok in _utf8_runs(line))
    try:
        text_format.Parse(line.decode("utf-8"), msg)
    except (UnicodeDecodeError, text_format.ParseError) as e:
        raise ValueError(f"cannot parse as SentencePieceText text format: {e}") from None
    return msg


_PROTOC_DIR = None


def _protoc_encode(text):
    """Text format of a Lines message -> serialized bytes via protoc (C++,
    fast); None if protoc is missing or rejects the input."""
    global _PROTOC_DIR
    protoc = shutil.which("protoc")
    if not protoc:
        return None
    if _PROTOC_DIR is None:
        _PROTOC_DIR = tempfile.mkdtemp(prefix="spm_golden_proto_")
        atexit.register(shutil.rmtree, _PROTOC_DIR, True)
        (Path(_PROTOC_DIR) / "spm_golden.proto").write_text(PROTO_SOURCE)
    res = subprocess.run([protoc, f"-I{_PROTOC_DIR}", "--encode=spm_golden.Lines",
                          "spm_golden.proto"], input=text, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, check=False)
    return res.stdout if res.returncode == 0 else None


def parse_lines(data):
    """Our proto output (one text-format message per line) -> per line the
    serialized message (bytes) or a ValueError."""
    from common import split_lines
    lines = split_lines(data)
    blob = _protoc_encode(b"".join(b"line { " + line + b" }\n" for line in lines))
    if blob is not None:
        wrapper = Lines()
        wrapper.ParseFromString(blob)
        if len(wrapper.line) == len(lines):
            return [m.SerializeToString() for m in wrapper.line]
    out = []  # protoc rejected something: find it line by line
    for line in lines:
        try:
            out.append(parse(line).SerializeToString())
        except ValueError as e:
            out.append(e)
    return out


def from_serialized(data):
    msg = SentencePieceText()
    msg.ParseFromString(data)
    return msg


class ReferenceEncoder:
    """The reference Encode() through the Python module, one model."""

    def __init__(self, model_path):
        import sentencepiece as spm
        self.sp = spm.SentencePieceProcessor(model_file=str(model_path))

    def encode_serialized(self, lines, extra_options=""):
        self.sp.SetEncodeExtraOptions(extra_options)
        try:
            return [self.sp.encode(line, out_type="serialized_proto") for line in lines]
        finally:
            self.sp.SetEncodeExtraOptions("")

    def encode_lines(self, lines, extra_options=""):
        return [from_serialized(s) for s in self.encode_serialized(lines, extra_options)]
