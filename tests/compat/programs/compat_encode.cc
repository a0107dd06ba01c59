// A program written against SentencePiece 0.1.97's sentencepiece_processor.h
// (and nothing else of it): loading, encoding, decoding, extra options, the
// vocabulary and the immutable results. It must compile unchanged against
// the reference's libsentencepiece-dev and against spm, and print the same.
//
//   compat_encode MODEL TEXT_FILE
//
// Prints, for each line of TEXT_FILE, everything the calls return.

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <type_traits>
#include <vector>

#include "sentencepiece_processor.h"

namespace {

// FNV-1a, to print serialized protos compactly.
std::string Hash(const std::string& bytes) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%zu:%016llx", bytes.size(), static_cast<unsigned long long>(h));
  return buf;
}

template <typename T>
std::string Join(const std::vector<T>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += ' ';
    if constexpr (std::is_same<T, int>::value) {
      out += std::to_string(v[i]);
    } else {
      out += v[i];
    }
  }
  return out;
}

// Whether walking `text` by UTF-8 lead bytes ends exactly at its end. The
// reference's ConvertToUnicodeSpans() writes past its buffer (and may
// crash) when the text ends inside a character, so it is only called on
// texts where this holds.
bool LeadBytesFit(const std::string& text) {
  size_t pos = 0;
  while (pos < text.size()) {
    pos += "\1\1\1\1\1\1\1\1\1\1\1\1\2\2\3\4"[static_cast<unsigned char>(text[pos]) >> 4];
  }
  return pos == text.size();
}

void PrintImmutable(const char* what, const sentencepiece::ImmutableSentencePieceText& r) {
  std::cout << what << " size=" << r.pieces_size() << " text=[" << r.text()
            << "] score=" << r.score() << " proto=" << Hash(r.SerializeAsString()) << "\n";
  for (const auto& p : r.pieces()) {
    std::cout << "  [" << p.piece() << "] " << p.id() << " [" << p.surface() << "] " << p.begin()
              << "-" << p.end() << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: compat_encode MODEL TEXT_FILE\n";
    return 2;
  }
  sentencepiece::SentencePieceProcessor sp;
  const sentencepiece::util::Status status = sp.Load(argv[1]);
  std::cout << "load: " << status.ToString() << " ok=" << status.ok() << "\n";
  if (!status.ok()) return 1;

  std::cout << "pieces=" << sp.GetPieceSize() << " unk=" << sp.unk_id() << " bos=" << sp.bos_id()
            << " eos=" << sp.eos_id() << " pad=" << sp.pad_id() << "\n";
  for (int id = 0; id < sp.GetPieceSize() && id < 300; ++id) {
    std::cout << id << " [" << sp.IdToPiece(id) << "] " << sp.GetScore(id) << " "
              << sp.IsUnknown(id) << sp.IsControl(id) << sp.IsUnused(id) << sp.IsByte(id) << " "
              << sp.PieceToId(sp.IdToPiece(id)) << "\n";
  }
  std::cout << "PieceToId(no such piece)=" << sp.PieceToId("no such piece, surely") << "\n";
  std::cout << "model_proto bytes=" << Hash(sp.serialized_model_proto()) << "\n";

  std::ifstream in(argv[2], std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);

  for (const std::string& line : lines) {
    std::cout << "== [" << line << "]\n";
    std::vector<std::string> pieces;
    std::vector<int> ids;
    std::cout << "Encode pieces: " << sp.Encode(line, &pieces).ToString() << " " << Join(pieces)
              << "\n";
    std::cout << "Encode ids: " << sp.Encode(line, &ids).ToString() << " " << Join(ids) << "\n";
    std::cout << "EncodeAsPieces: " << Join(sp.EncodeAsPieces(line)) << "\n";
    std::cout << "EncodeAsIds: " << Join(sp.EncodeAsIds(line)) << "\n";
    std::cout << "EncodeAsSerializedProto: " << Hash(sp.EncodeAsSerializedProto(line)) << "\n";

    const sentencepiece::ImmutableSentencePieceText r = sp.EncodeAsImmutableProto(line);
    PrintImmutable("EncodeAsImmutableProto", r);
    if (r.pieces_size() > 0) {
      const auto last = r.pieces(static_cast<int>(r.pieces_size()) - 1);
      std::cout << "last piece: [" << last.piece() << "] " << last.end() << "\n";
    }
    if (LeadBytesFit(line)) {
      sentencepiece::ImmutableSentencePieceText u = sp.EncodeAsImmutableProto(line);
      u.ConvertToUnicodeSpans();
      std::cout << "unicode spans:";
      for (const auto& p : u.pieces()) std::cout << " " << p.begin() << "-" << p.end();
      std::cout << " proto=" << Hash(u.SerializeAsString()) << "\n";
    }

    std::string text;
    std::cout << "Decode pieces: " << sp.Decode(pieces, &text).ToString() << " [" << text << "]\n";
    std::cout << "Decode ids: " << sp.Decode(ids, &text).ToString() << " [" << text << "]\n";
    std::cout << "DecodePieces: [" << sp.DecodePieces(pieces) << "]\n";
    std::cout << "DecodeIds: [" << sp.DecodeIds(ids) << "]\n";
    std::cout << "DecodeIdsAsSerializedProto: " << Hash(sp.DecodeIdsAsSerializedProto(ids)) << "\n";
    PrintImmutable("DecodeIdsAsImmutableProto", sp.DecodeIdsAsImmutableProto(ids));
    PrintImmutable("DecodePiecesAsImmutableProto", sp.DecodePiecesAsImmutableProto(pieces));
  }

  // Extra options, each on every line.
  for (const char* options :
       {"bos", "eos", "bos:eos", "reverse", "reverse:bos", "unk", "bos:unk"}) {
    std::cout << "SetEncodeExtraOptions(" << options
              << "): " << sp.SetEncodeExtraOptions(options).ToString() << "\n";
    for (const std::string& line : lines) {
      std::cout << Join(sp.EncodeAsIds(line)) << " | " << Join(sp.EncodeAsPieces(line)) << "\n";
      PrintImmutable("  immutable", sp.EncodeAsImmutableProto(line));
    }
  }
  std::cout << "SetEncodeExtraOptions(): " << sp.SetEncodeExtraOptions("").ToString() << "\n";
  for (const char* options : {"bos:eos", "reverse"}) {
    std::cout << "SetDecodeExtraOptions(" << options
              << "): " << sp.SetDecodeExtraOptions(options).ToString() << "\n";
    for (const std::string& line : lines) {
      const std::vector<int> ids = sp.EncodeAsIds(line);
      std::cout << "[" << sp.DecodeIds(ids) << "] [" << sp.DecodePieces(sp.EncodeAsPieces(line))
                << "]\n";
      PrintImmutable("  immutable", sp.DecodeIdsAsImmutableProto(ids));
    }
  }
  return 0;
}
