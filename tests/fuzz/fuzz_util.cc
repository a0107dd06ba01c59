#include "fuzz_util.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

#include "encoder/vocabulary.h"

namespace sentencepiece {
namespace fuzz {
namespace {

std::string* context_model = nullptr;
std::string* context_input = nullptr;

std::string Escape(std::string_view s, size_t max_len) {
  std::string out;
  for (size_t i = 0; i < s.size() && i < max_len; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02X", c);
      out += buf;
    }
  }
  if (s.size() > max_len) out += "...";
  return out;
}

bool FileExists(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  std::fclose(f);
  return true;
}

}  // namespace

const std::vector<std::string>& ModelNames() {
  // Every kind of model: the four algorithms, byte fallback, user-defined
  // and control symbols, each normalization (nmt_nfkc, nfkc, nfkc_cf,
  // identity, custom rules with a denormalizer), whitespace options,
  // UNUSED pieces, unusual special ids, and published models.
  static const auto* names = new std::vector<std::string>{
      "spm_test_model",
      "llama2",
      "unigram_bytefb",
      "bpe_bytefb",
      "char_mixed",
      "char_bytefb",
      "word_en",
      "word_suffix",
      "bpe_suffix",
      "unigram_suffix",
      "bpe_suffix_noextraws",
      "unigram_nodummy",
      "bpe_noextraws",
      "unigram_raw_ws",
      "unigram_digits",
      "unigram_uds",
      "bpe_uds",
      "unigram_nmt_nfkc_cf",
      "unigram_rules",
      "bpe_rules",
      "unigram_metaids",
      "bpe_metaids",
      "spm_test_model_unused",
      "hf_test_bpe_unused",
      "hf_test_sentencepiece_bpe",
      "spm_test_ja_model",
      "albert_spiece",
      "chinese_llama_human_unigram",
      "xlnet_spiece",
      "legal_t5_small_fr_en_spiece",
      "blingfire_laser_50k",
      "bpemb_en_vs100000",
  };
  return *names;
}

std::string TestdataDir() {
  const char* env = std::getenv("SPM_TESTDATA_DIR");
  if (env != nullptr && *env != '\0') return env;
  return SPM_TESTDATA_DIR;
}

namespace {

// The index of the model `selector` picks: the selected one or the next
// present one; -1 if none is present.
int ResolveModel(uint8_t selector) {
  static const auto* present = [] {
    auto* p = new std::vector<bool>;
    for (const std::string& name : ModelNames()) {
      p->push_back(FileExists(TestdataDir() + "/models/" + name + ".model"));
    }
    return p;
  }();
  const size_t n = ModelNames().size();
  for (size_t k = 0; k < n; ++k) {
    const size_t i = (selector + k) % n;
    if ((*present)[i]) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

SentencePieceProcessor* GetModel(uint8_t selector) {
  static auto* loaded = new std::map<int, std::unique_ptr<SentencePieceProcessor>>;
  const int i = ResolveModel(selector);
  if (i < 0) return nullptr;
  auto& slot = (*loaded)[i];
  if (slot == nullptr) {
    slot = std::make_unique<SentencePieceProcessor>();
    const std::string path = TestdataDir() + "/models/" + ModelNames()[i] + ".model";
    const util::Status s = slot->Load(path);
    if (!s.ok()) Fail("loading a bundled model", path + ": " + s.ToString());
  }
  return slot.get();
}

const std::string& GetModelName(uint8_t selector) {
  static const std::string kNone = "(none)";
  const int i = ResolveModel(selector);
  return i < 0 ? kNone : ModelNames()[i];
}

SentencePieceProcessor* SelectModel(uint8_t selector, std::string_view input) {
  SentencePieceProcessor* sp = GetModel(selector);
  if (sp != nullptr) SetContext(GetModelName(selector), input);
  return sp;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= text.size();) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string ExtraOptions(uint8_t bits) {
  static const char* const kWords[] = {"bos", "eos", "reverse", "unk"};
  std::string out;
  const int count = bits & 3;  // 0..3 words, plus one more if bit 7.
  for (int k = 0; k < count + (bits >> 7); ++k) {
    if (!out.empty()) out += ':';
    out += kWords[(bits >> (2 + 2 * (k % 3))) & 3];
  }
  if ((bits & 0x7C) == 0x7C) out += ":nosuchoption";  // Must be rejected.
  return out;
}

void SetContext(std::string_view model, std::string_view input) {
  if (context_model == nullptr) {
    context_model = new std::string;
    context_input = new std::string;
  }
  context_model->assign(model.data(), model.size());
  context_input->assign(input.data(), input.size());
}

void Fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "\n*** fuzz invariant failed: %.*s\n    %.*s\n",
               static_cast<int>(what.size()), what.data(), static_cast<int>(detail.size()),
               detail.data());
  if (context_model != nullptr) {
    std::fprintf(stderr, "    model: %s\n    input (%zu bytes): \"%s\"\n", context_model->c_str(),
                 context_input->size(), Escape(*context_input, 400).c_str());
  }
  std::fflush(stderr);
  std::abort();
}

void CheckSegmentation(const Processor& p, std::string_view normalized, size_t input_size,
                       const std::vector<Token>& tokens) {
  const Vocabulary& v = p.vocab();
  std::string joined;
  uint32_t last_begin = 0;
  for (const Token& t : tokens) {
    FUZZ_CHECK(t.id >= 0 && t.id < v.size(), "id out of range: " + std::to_string(t.id));
    FUZZ_CHECK(t.begin <= t.end && t.end <= input_size,
               "offsets " + std::to_string(t.begin) + ".." + std::to_string(t.end) +
                   " outside the input of " + std::to_string(input_size) + " bytes");
    FUZZ_CHECK(t.begin >= last_begin, "offsets go backwards");
    last_begin = t.begin;
    if (v.IsControl(t.id)) continue;  // Covers no text.
    if (v.IsByte(t.id)) {
      const int b = PieceToByte(t.piece);
      FUZZ_CHECK(b >= 0 && v.ByteToId(static_cast<unsigned char>(b)) == t.id,
                 "byte piece " + Escape(t.piece, 100) + " does not match its id");
      joined.push_back(static_cast<char>(b));
      continue;
    }
    FUZZ_CHECK(!t.piece.empty(), "empty piece");
    if (!v.IsUnknown(t.id)) {
      FUZZ_CHECK(v.IdToPiece(t.id) == t.piece,
                 "piece \"" + Escape(t.piece, 100) + "\" has the id " + std::to_string(t.id) +
                     " of \"" + Escape(v.IdToPiece(t.id), 100) + "\"");
    }
    joined.append(t.piece.data(), t.piece.size());
  }
  FUZZ_CHECK(joined == normalized, "pieces concatenate to \"" + Escape(joined, 200) +
                                       "\", not the normalized text \"" + Escape(normalized, 200) +
                                       "\"");
}

void CheckEncodedText(const SentencePieceProcessor& sp, std::string_view input,
                      const SentencePieceText& spt) {
  FUZZ_CHECK(spt.text() == input, "SentencePieceText.text is not the input");
  for (const auto& piece : spt.pieces()) {
    FUZZ_CHECK(static_cast<int>(piece.id()) < sp.GetPieceSize(), "id out of range");
    FUZZ_CHECK(piece.begin() <= piece.end() && piece.end() <= input.size(),
               "offsets outside the input");
    if (piece.has_surface()) {
      FUZZ_CHECK(piece.surface() == input.substr(piece.begin(), piece.end() - piece.begin()),
                 "surface is not input[begin, end)");
    }
  }
}

void CheckSerialized(const google::protobuf::MessageLite& spt, const std::string& serialized) {
  std::unique_ptr<google::protobuf::MessageLite> parsed(spt.New());
  FUZZ_CHECK(parsed->ParseFromString(serialized), "serialized proto does not parse");
  FUZZ_CHECK(parsed->SerializeAsString() == spt.SerializeAsString(),
             "serialized proto differs from the structured result");
}

namespace {

const std::string_view kExerciseLines[] = {
    "Hello world.",
    "  leading and   repeated  spaces  ",
    "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE6\x96\x87",  // Japanese
    "\xEF\xBC\xA1\xE2\x85\xA0 <sep> <s> \xE2\x96\x81\xE2\x96\x81 12345",
    std::string_view("bad \xFF\xC3(\0) bytes", 15),
    "",
};

}  // namespace

void ExerciseLoadedModel(SentencePieceProcessor& sp) {
  const Processor& p = *sp.processor();
  const int n = sp.GetPieceSize();
  FUZZ_CHECK(n > 0, "a loaded model without pieces");
  for (std::string_view line : kExerciseLines) {
    EncodeOutput out;
    const absl::Status s = p.Encode(line, &out);
    // A model whose pieces cannot cover the text consistently (e.g. a
    // control piece with the string of a normal one) fails with Internal.
    if (!s.ok()) {
      FUZZ_CHECK(s.code() == absl::StatusCode::kInternal, "Encode: " + s.ToString());
      continue;
    }
    CheckSegmentation(p, out.normalized, line.size(), out.tokens);
    SentencePieceText spt;
    FUZZ_CHECK(sp.Encode(line, &spt).ok(), "Encode(spt) failed after Encode succeeded");
    CheckEncodedText(sp, line, spt);
    const std::vector<int> ids = sp.EncodeAsIds(line);
    FUZZ_CHECK(ids.size() == static_cast<size_t>(spt.pieces_size()), "EncodeAsIds size");
    std::vector<int> fast;
    FUZZ_CHECK(p.EncodeIds(line, &fast).ok() && fast == ids, "fast id path differs");
    std::string text;
    FUZZ_CHECK(sp.Decode(ids, &text).ok(), "decoding encoded ids failed");

    std::vector<std::vector<int>> nbest;
    sp.NBestEncode(line, 3, &nbest).IgnoreError();
    std::vector<int> sample;
    sp.SampleEncode(line, -1, 0.5f, &sample).IgnoreError();
    sp.SampleEncode(line, 4, 0.5f, &sample).IgnoreError();
    sp.SampleEncode(line, 0, 0.1f, &sample).IgnoreError();
    std::vector<std::pair<std::vector<int>, float>> scored;
    sp.SampleEncodeAndScore(line, 3, 0.5f, true, true, &scored).IgnoreError();
    sp.SampleEncodeAndScore(line, 2, 0.5f, false, false, &scored).IgnoreError();
    float entropy;
    sp.CalculateEntropy(line, 0.5f, &entropy).IgnoreError();
  }
  // Every id (up to 4096) decodes, as ids and as pieces.
  std::vector<int> all;
  for (int id = 0; id < n && id < 4096; ++id) all.push_back(id);
  std::string text;
  FUZZ_CHECK(sp.Decode(all, &text).ok(), "decoding every id failed");
  std::vector<std::string> pieces;
  for (int id : all) pieces.push_back(sp.IdToPiece(id));
  FUZZ_CHECK(sp.Decode(pieces, &text).ok(), "decoding every piece failed");
  // Accessors with ids out of range.
  for (int id : {-1, n, n + 1}) {
    sp.IdToPiece(id);
    sp.GetScore(id);
    sp.IsUnknown(id);
    sp.IsControl(id);
    sp.IsByte(id);
    sp.IsUnused(id);
  }
  sp.PieceToId("\xE2\x96\x81the");
  for (const char* options : {"bos:eos", "reverse:unk"}) {
    if (sp.SetEncodeExtraOptions(options).ok()) sp.EncodeAsIds(kExerciseLines[0]);
    if (sp.SetDecodeExtraOptions(options).ok()) sp.DecodeIds({0});
  }
}

}  // namespace fuzz
}  // namespace sentencepiece
