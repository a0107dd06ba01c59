// Malformed models: every bundled model (testdata/models/*.model), cut short
// at many byte offsets, with random byte flips and with random field edits
// (through the generated ModelProto), must either load or fail with a
// status (InvalidArgument: not a ModelProto; Internal: a check failed).
// A variant that loads is then used (tests/fuzz/fuzz_util.h
// ExerciseLoadedModel): encoding in every form, n-best, sampling, decoding.
// The sanitizer build (scripts/sanitize.sh) runs this under ASan and UBSan.
//
// Work per model, at the default budget (SPM_MUTATION_BUDGET=1):
//   Truncations: every byte offset for models up to 64 KB. Larger models
//     are mostly tested through a slim copy (their first 1000 pieces and
//     every other field as it is: the same specs, charsmaps and bytes after
//     the pieces, but a variant costs milliseconds instead of a second):
//     every offset in its first 2 KB and around and inside each non-piece
//     field (trainer, normalizer and denormalizer specs, self-test data; for
//     fields over 4 KB, such as a charsmap, their first 512 bytes, 64
//     offsets spread over them and their last 64), around 96 piece
//     boundaries, and 400 random offsets; the full model is cut at its first
//     2 KB, around 28 piece boundaries (first, last, random) and the end of
//     its pieces, and at 100 random offsets.
//   Byte flips: 3000 variants with 1-4 flipped or overwritten bytes, half of
//     them aimed at the non-piece fields, scaled down above 64 KB (at least
//     100; for large models on the slim copy, plus 10 on the full model).
//   Field edits: 1000 variants with 1-3 random edits, scaled likewise.
// SPM_MUTATION_BUDGET=<factor> multiplies the counts and the "small model"
// size (e.g. 10 for a long run; 0.1 for a quick one). SPM_MUTATION_MODELS
// (a comma-separated list of model names) restricts the models.
// SPM_MUTATION_KEEP=<file> keeps the variant being tested (see LoadAndUse).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "gtest/gtest.h"
#include "sentencepiece_processor.h"

namespace sentencepiece {
namespace {

namespace fs = std::filesystem;
using Piece = ModelProto::SentencePiece;

double Budget() {
  const char* env = std::getenv("SPM_MUTATION_BUDGET");
  const double b = env != nullptr ? std::atof(env) : 1.0;
  return b > 0 ? b : 1.0;
}

std::vector<std::string> ModelNamesInTestdata() {
  std::set<std::string> only;
  if (const char* env = std::getenv("SPM_MUTATION_MODELS"); env != nullptr && *env) {
    std::string s = env;
    for (size_t start = 0; start <= s.size();) {
      size_t comma = s.find(',', start);
      if (comma == std::string::npos) comma = s.size();
      only.insert(s.substr(start, comma - start));
      start = comma + 1;
    }
  }
  std::vector<std::string> names;
  const fs::path dir = fs::path(SPM_TESTDATA_DIR) / "models";
  if (!fs::is_directory(dir)) return names;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".model") continue;
    const std::string name = e.path().stem().string();
    if (only.empty() || only.count(name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A top-level field of a serialized ModelProto: [begin, end) in the bytes.
struct Field {
  int number;
  size_t begin;
  size_t end;
};

bool ReadVarint(const std::string& s, size_t* pos, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *pos < s.size(); shift += 7) {
    const auto b = static_cast<unsigned char>(s[(*pos)++]);
    *v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

// The top-level fields of well-formed model bytes (all length-delimited).
std::vector<Field> TopLevelFields(const std::string& s) {
  std::vector<Field> fields;
  size_t pos = 0;
  while (pos < s.size()) {
    const size_t begin = pos;
    uint64_t tag, len;
    if (!ReadVarint(s, &pos, &tag) || (tag & 7) != 2 || !ReadVarint(s, &pos, &len)) break;
    pos += len;
    fields.push_back({static_cast<int>(tag >> 3), begin, std::min(pos, s.size())});
  }
  return fields;
}

struct Stats {
  int variants = 0;
  int loaded = 0;
};

// Loads one variant; the status must be OK or a load error with a message.
// With SPM_MUTATION_KEEP=<file> set, each variant is written there before it
// is loaded, so the one that fails is left behind.
void LoadAndUse(std::string_view bytes, const std::string& what, Stats* stats) {
  fuzz::SetContext(what, "");
  if (const char* keep = std::getenv("SPM_MUTATION_KEEP"); keep != nullptr && *keep) {
    std::ofstream(keep, std::ios::binary).write(bytes.data(), bytes.size());
  }
  SentencePieceProcessor sp;
  const util::Status s = sp.LoadFromSerializedProto(bytes);
  ++stats->variants;
  if (!s.ok()) {
    FUZZ_CHECK(
        s.code() == util::StatusCode::kInvalidArgument || s.code() == util::StatusCode::kInternal,
        "unexpected load error: " + s.ToString());
    FUZZ_CHECK(std::string(s.message()).size() > 0, "load error without a message");
    FUZZ_CHECK(!sp.status().ok(), "a failed load left the processor loaded");
    return;
  }
  ++stats->loaded;
  fuzz::ExerciseLoadedModel(sp);
}

// Sizes above which a model is mostly tested through its slim copy.
constexpr size_t kSmallModelBytes = 64 * 1024;
constexpr int kSlimPieces = 1000;

class ModelMutationTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    name_ = GetParam();
    bytes_ = ReadAll(fs::path(SPM_TESTDATA_DIR) / "models" / (name_ + ".model"));
    ASSERT_FALSE(bytes_.empty());
    ASSERT_TRUE(proto_.ParseFromString(bytes_));
    large_ = bytes_.size() > kSmallModelBytes * Budget();
    slim_ = proto_;
    if (large_ && slim_.pieces_size() > kSlimPieces) {
      slim_.mutable_pieces()->DeleteSubrange(kSlimPieces, slim_.pieces_size() - kSlimPieces);
    }
    slim_bytes_ = large_ ? slim_.SerializeAsString() : bytes_;
    // Full counts up to 64 KB, fewer above.
    scale_ = std::min(1.0, kSmallModelBytes / static_cast<double>(slim_bytes_.size()));
    start_ = std::chrono::steady_clock::now();
  }
  void Report(const char* kind, const Stats& s) {
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::printf("%s %s: %d variants, %d loaded, %.1f s\n", name_.c_str(), kind, s.variants,
                s.loaded, secs);
    RecordProperty("variants", s.variants);
    RecordProperty("loaded", s.loaded);
  }
  int Count(int full, int minimum) const {
    return std::max(minimum, static_cast<int>(full * Budget() * scale_));
  }

  std::string name_;
  std::string bytes_;
  ModelProto proto_;
  bool large_ = false;
  ModelProto slim_;         // proto_ itself for small models.
  std::string slim_bytes_;  // bytes_ itself for small models.
  double scale_ = 1.0;
  std::chrono::steady_clock::time_point start_;
};

// Offsets to cut `bytes` at: all of them if `all`, else the sample the
// header describes.
std::set<size_t> TruncationOffsets(const std::string& bytes, bool all, std::mt19937* rng) {
  std::set<size_t> offsets;
  const size_t n = bytes.size();
  auto add_range = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < std::min(end, n); ++i) offsets.insert(i);
  };
  if (all) {
    add_range(0, n);
    return offsets;
  }
  add_range(0, 2048);
  std::vector<size_t> piece_ends;
  for (const Field& f : TopLevelFields(bytes)) {
    if (f.number == 1) {
      piece_ends.push_back(f.end);
      continue;
    }
    add_range(f.begin > 64 ? f.begin - 64 : 0, f.begin + 64);
    add_range(f.end > 64 ? f.end - 64 : 0, f.end + 64);
    if (f.end - f.begin <= 4096) {
      add_range(f.begin, f.end);
    } else {
      add_range(f.begin, f.begin + 512);  // A charsmap's size header and first units.
      for (int k = 0; k < 64; ++k) offsets.insert(f.begin + (f.end - f.begin) * k / 64);
    }
  }
  for (int k = 0; k < 96 && !piece_ends.empty(); ++k) {
    size_t at;
    if (k < 32) {
      at = piece_ends[std::min<size_t>(k, piece_ends.size() - 1)];
    } else if (k < 64) {
      at = piece_ends[piece_ends.size() - 1 - std::min<size_t>(k - 32, piece_ends.size() - 1)];
    } else {
      at = piece_ends[(*rng)() % piece_ends.size()];
    }
    add_range(at > 3 ? at - 3 : 0, at + 3);
  }
  for (int k = 0; k < static_cast<int>(400 * Budget()); ++k) offsets.insert((*rng)() % n);
  return offsets;
}

TEST_P(ModelMutationTest, Truncations) {
  std::mt19937 rng(1);
  Stats stats;
  const std::string label = large_ ? name_ + " (slim)" : name_;
  for (size_t at : TruncationOffsets(slim_bytes_, !large_, &rng)) {
    LoadAndUse(std::string_view(slim_bytes_).substr(0, at),
               label + " truncated to " + std::to_string(at) + " bytes", &stats);
  }
  if (large_) {
    // The full model: its start, the first, last and some random piece
    // boundaries, the end of the pieces, random offsets.
    std::set<size_t> offsets;
    for (size_t i = 0; i < 2048; ++i) offsets.insert(i);
    std::vector<size_t> piece_ends;
    size_t pieces_end = 0;
    for (const Field& f : TopLevelFields(bytes_)) {
      if (f.number == 1) {
        piece_ends.push_back(f.end);
        pieces_end = f.end;
      }
    }
    const size_t last = piece_ends.empty() ? 0 : piece_ends.size() - 1;
    for (size_t k = 0; k < 28 && !piece_ends.empty(); ++k) {
      size_t i;
      if (k < 16) {
        i = std::min(k, last);  // The first pieces: unknown, control, bytes.
      } else if (k < 20) {
        i = last - std::min(k - 16, last);
      } else {
        i = rng() % piece_ends.size();
      }
      offsets.insert(piece_ends[i]);
      offsets.insert(piece_ends[i] - 1);
    }
    for (size_t i = pieces_end > 8 ? pieces_end - 8 : 0; i < pieces_end + 8; ++i) offsets.insert(i);
    for (int k = 0; k < static_cast<int>(100 * Budget()); ++k)
      offsets.insert(rng() % bytes_.size());
    for (size_t at : offsets) {
      if (at >= bytes_.size()) continue;
      LoadAndUse(std::string_view(bytes_).substr(0, at),
                 name_ + " truncated to " + std::to_string(at) + " bytes", &stats);
    }
  }
  Report("truncations", stats);
}

// `bytes` with 1-4 bytes flipped or overwritten, half the time inside the
// non-piece fields `specs`.
std::string FlipBytes(const std::string& bytes, const std::vector<Field>& specs, bool aim,
                      std::mt19937* rng, std::string* what) {
  std::string variant = bytes;
  const int flips = 1 + static_cast<int>((*rng)() % 4);
  for (int f = 0; f < flips; ++f) {
    size_t at;
    if (aim && !specs.empty()) {
      const Field& field = specs[(*rng)() % specs.size()];
      // Mostly near the start of the field (tags, lengths, flags, the
      // charsmap's size header).
      const size_t span = std::min<size_t>(field.end - field.begin, (*rng)() % 2 ? 64 : 1 << 20);
      at = field.begin + (*rng)() % std::max<size_t>(span, 1);
    } else {
      at = (*rng)() % variant.size();
    }
    at = std::min(at, variant.size() - 1);
    if ((*rng)() % 3 == 0) {
      static const unsigned char kValues[] = {0x00, 0x01, 0x02, 0x05, 0x7F, 0x80,
                                              0xFF, 0x0A, 0x12, 0x1A, 0x22, 0x2A};
      variant[at] = static_cast<char>(kValues[(*rng)() % sizeof(kValues)]);
    } else {
      variant[at] = static_cast<char>(variant[at] ^ (1 << ((*rng)() % 8)));
    }
    *what += " @" + std::to_string(at);
  }
  return variant;
}

std::vector<Field> SpecFields(const std::string& bytes) {
  std::vector<Field> specs;
  for (const Field& f : TopLevelFields(bytes)) {
    if (f.number != 1) specs.push_back(f);
  }
  return specs;
}

TEST_P(ModelMutationTest, ByteFlips) {
  std::mt19937 rng(std::hash<std::string>()(name_));
  Stats stats;
  const std::vector<Field> slim_specs = SpecFields(slim_bytes_);
  const std::string label = large_ ? name_ + " (slim)" : name_;
  const int count = Count(3000, 100);
  for (int k = 0; k < count; ++k) {
    std::string what = label + " flip #" + std::to_string(k) + ":";
    const std::string variant = FlipBytes(slim_bytes_, slim_specs, k % 2 == 1, &rng, &what);
    LoadAndUse(variant, what, &stats);
  }
  if (large_) {
    const std::vector<Field> specs = SpecFields(bytes_);
    for (int k = 0; k < static_cast<int>(10 * Budget()); ++k) {
      std::string what = name_ + " flip #" + std::to_string(k) + ":";
      LoadAndUse(FlipBytes(bytes_, specs, k % 2 == 1, &rng, &what), what, &stats);
    }
  }
  Report("byte flips", stats);
}

// ---------------------------------------------------------------- field edits

std::string RandomString(std::mt19937* rng) {
  static const char* const kStrings[] = {
      "",
      " ",
      "\xE2\x96\x81",
      "\xE2\x96\x81\xE2\x96\x81",
      "a",
      "<unk>",
      "<s>",
      "</s>",
      "<pad>",
      "<0x41>",
      "<0xZZ>",
      "<0x4",
      "\xFF",
      "\xC3",
      "a b",
      "\xE2\x96\x81the",
      "<sep>",
      "\xEF\xBF\xBD",
      "ab",
  };
  const size_t k = (*rng)() % (std::size(kStrings) + 3);
  if (k < std::size(kStrings)) return kStrings[k];
  if (k == std::size(kStrings)) return std::string(1 + (*rng)() % 3, '\0');
  std::string s;
  const size_t len = k == std::size(kStrings) + 1 ? 1 + (*rng)() % 8 : 300 + (*rng)() % 800;
  for (size_t i = 0; i < len; ++i) s.push_back(static_cast<char>((*rng)() % 256));
  return s;
}

float RandomScore(std::mt19937* rng) {
  static const float kScores[] = {0.0f,
                                  -0.0f,
                                  1.0f,
                                  -1.0f,
                                  -1e-45f,
                                  1e38f,
                                  -1e38f,
                                  std::numeric_limits<float>::infinity(),
                                  -std::numeric_limits<float>::infinity(),
                                  std::numeric_limits<float>::quiet_NaN(),
                                  -20.0f};
  return kScores[(*rng)() % std::size(kScores)];
}

Piece::Type RandomType(std::mt19937* rng) {
  static const Piece::Type kTypes[] = {Piece::NORMAL,       Piece::UNKNOWN, Piece::CONTROL,
                                       Piece::USER_DEFINED, Piece::BYTE,    Piece::UNUSED};
  return kTypes[(*rng)() % std::size(kTypes)];
}

int RandomIndex(const ModelProto& m, std::mt19937* rng) {
  return m.pieces_size() == 0 ? -1 : static_cast<int>((*rng)() % m.pieces_size());
}

std::string Corrupt(std::string blob, std::mt19937* rng) {
  switch ((*rng)() % 6) {
    case 0:
      return "";
    case 1:
      blob.resize((*rng)() % (blob.size() + 1));
      return blob;
    case 2:  // The trie-size header.
      if (blob.size() >= 4) {
        static const uint32_t kSizes[] = {0, 1, 3, 4, 0xFFFFFFFF, 0x7FFFFFFF, 1024};
        uint32_t v = kSizes[(*rng)() % std::size(kSizes)];
        if ((*rng)() % 2) v = static_cast<uint32_t>(blob.size() - 4 - (*rng)() % 8);
        for (int i = 0; i < 4; ++i) blob[i] = static_cast<char>(v >> (8 * i));
      }
      return blob;
    case 3:  // Trie units or pool bytes.
      for (int i = 0; i < 1 + static_cast<int>((*rng)() % 16) && !blob.empty(); ++i) {
        blob[(*rng)() % blob.size()] = static_cast<char>((*rng)() % 256);
      }
      return blob;
    case 4:  // The pool without its NULs.
      for (char& c : blob) {
        if (c == '\0' && (*rng)() % 4 == 0) c = 'x';
      }
      return blob;
    default: {
      std::string random(1 + (*rng)() % 64, '\0');
      for (char& c : random) c = static_cast<char>((*rng)() % 256);
      return random;
    }
  }
}

using Edit = std::function<void(ModelProto*, const std::vector<ModelProto>&, std::mt19937*)>;

const std::vector<std::pair<const char*, Edit>>& Edits() {
  static const auto* edits = new std::vector<std::pair<const char*, Edit>>{
      {"piece type",
       [](ModelProto* m, const auto&, std::mt19937* rng) {
         if (int i = RandomIndex(*m, rng); i >= 0) m->mutable_pieces(i)->set_type(RandomType(rng));
       }},
      {"piece string",
       [](ModelProto* m, const auto&, std::mt19937* rng) {
         if (int i = RandomIndex(*m, rng); i >= 0)
           m->mutable_pieces(i)->set_piece(RandomString(rng));
       }},
      {"piece copies another",
       [](ModelProto* m, const auto&, std::mt19937* rng) {
         int i = RandomIndex(*m, rng), j = RandomIndex(*m, rng);
         if (i >= 0) m->mutable_pieces(i)->set_piece(m->pieces(j).piece());
       }},
      {"score",
       [](ModelProto* m, const auto&, std::mt19937* rng) {
         const int n = 1 + static_cast<int>((*rng)() % 4);
         for (int k = 0; k < n; ++k) {
           if (int i = RandomIndex(*m, rng); i >= 0)
             m->mutable_pieces(i)->set_score(RandomScore(rng));
         }
       }},
      {"all scores",
       [](ModelProto* m, const auto&, std::mt19937* rng) {
         const float s = RandomScore(rng);
         for (auto& p : *m->mutable_pieces()) p.set_score(s);
       }},
      {"delete a piece",
       [](ModelProto* m, const auto&, std::mt19937* rng) {
         if (int i = RandomIndex(*m, rng); i >= 0) {
           m->mutable_pieces()->DeleteSubrange(i, 1);
         }
       }},
      {"keep a prefix of the pieces",
       [](ModelProto* m, const auto&, std::mt19937* rng) {
         const int keep = static_cast<int>((*rng)() % (std::min(m->pieces_size(), 300) + 1));
         m->mutable_pieces()->DeleteSubrange(keep, m->pieces_size() - keep);
       }},
      {"add user-defined symbols",
       [](ModelProto* m, const auto&, std::mt19937* rng) {
         const int n = 1 + static_cast<int>((*rng)() % 6);
         for (int k = 0; k < n; ++k) {
           auto* p = m->add_pieces();
           p->set_piece(k % 2 ? RandomString(rng) : std::string(1 + k, 'a' + k % 3));
           p->set_type(Piece::USER_DEFINED);
         }
       }},
      {"add byte pieces",
       [](ModelProto* m, const auto&, std::mt19937* rng) {
         static constexpr char kHex[] = "0123456789ABCDEF";
         const int n = (*rng)() % 2 ? 256 : static_cast<int>((*rng)() % 256);
         for (int b = 0; b < n; ++b) {
           auto* p = m->add_pieces();
           p->set_piece(std::string("<0x") + kHex[b >> 4] + kHex[b & 15] + ">");
           p->set_type(Piece::BYTE);
         }
         m->mutable_trainer_spec()->set_byte_fallback((*rng)() % 4 != 0);
       }},
      {"model type",
       [](ModelProto* m, const auto&, std::mt19937* rng) {
         m->mutable_trainer_spec()->set_model_type(
             static_cast<TrainerSpec::ModelType>(1 + (*rng)() % 4));
       }},
      {"flags",
       [](ModelProto* m, const auto&, std::mt19937* rng) {
         auto* t = m->mutable_trainer_spec();
         auto* n = m->mutable_normalizer_spec();
         switch ((*rng)() % 6) {
           case 0:
             t->set_byte_fallback(!t->byte_fallback());
             break;
           case 1:
             t->set_treat_whitespace_as_suffix(!t->treat_whitespace_as_suffix());
             break;
           case 2:
             n->set_add_dummy_prefix(!n->add_dummy_prefix());
             break;
           case 3:
             n->set_remove_extra_whitespaces(!n->remove_extra_whitespaces());
             break;
           case 4:
             n->set_escape_whitespaces(!n->escape_whitespaces());
             break;
           default:
             m->clear_trainer_spec();
             break;
         }
       }},
      {"special pieces",
       [](ModelProto* m, const auto&, std::mt19937* rng) {
         auto* t = m->mutable_trainer_spec();
         switch ((*rng)() % 6) {
           case 0:
             t->set_unk_piece(RandomString(rng));
             break;
           case 1:
             t->set_bos_piece(RandomString(rng));
             break;
           case 2:
             t->set_eos_piece(RandomString(rng));
             break;
           case 3:
             t->set_pad_piece(RandomString(rng));
             break;
           case 4:
             t->set_unk_surface(RandomString(rng));
             break;
           default:
             t->set_unk_id(static_cast<int>((*rng)() % 8) - 2);
             t->set_bos_id(static_cast<int>((*rng)() % 8) - 2);
             break;
         }
       }},
      {"charsmap",
       [](ModelProto* m, const auto&, std::mt19937* rng) {
         auto* n = m->mutable_normalizer_spec();
         n->set_precompiled_charsmap(Corrupt(n->precompiled_charsmap(), rng));
       }},
      {"another model's charsmap",
       [](ModelProto* m, const std::vector<ModelProto>& others, std::mt19937* rng) {
         if (others.empty()) return;
         const ModelProto& o = others[(*rng)() % others.size()];
         m->mutable_normalizer_spec()->set_precompiled_charsmap(
             o.normalizer_spec().precompiled_charsmap());
       }},
      {"denormalizer",
       [](ModelProto* m, const std::vector<ModelProto>& others, std::mt19937* rng) {
         std::string blob;
         if (!others.empty()) {
           blob = others[(*rng)() % others.size()].normalizer_spec().precompiled_charsmap();
         }
         if ((*rng)() % 2) blob = Corrupt(blob, rng);
         m->mutable_denormalizer_spec()->set_precompiled_charsmap(blob);
       }},
      {"self-test samples",
       [](ModelProto* m, const auto&, std::mt19937* rng) {
         const int n = 1 + static_cast<int>((*rng)() % 3);
         for (int k = 0; k < n; ++k) {
           auto* s = m->mutable_self_test_data()->add_samples();
           s->set_input(k == 0 ? "Hello world" : RandomString(rng));
           s->set_expected((*rng)() % 2 ? "" : RandomString(rng));
         }
       }},
      {"duplicate all pieces",
       [](ModelProto* m, const auto&, std::mt19937*) {
         const int n = std::min(m->pieces_size(), 2000);
         for (int i = 0; i < n; ++i) *m->add_pieces() = m->pieces(i);
       }},
      {"shuffle pieces",
       [](ModelProto* m, const auto&, std::mt19937* rng) {
         auto* pieces = m->mutable_pieces();
         for (int i = pieces->size() - 1; i > 0; --i) {
           pieces->SwapElements(i, static_cast<int>((*rng)() % (i + 1)));
         }
       }},
  };
  return *edits;
}

TEST_P(ModelMutationTest, FieldEdits) {
  // A few other models' specs to swap in (small ones, to keep copies cheap).
  std::vector<ModelProto> others;
  for (const char* other : {"unigram_rules", "spm_test_model", "unigram_nmt_nfkc_cf"}) {
    const std::string b =
        ReadAll(fs::path(SPM_TESTDATA_DIR) / "models" / (std::string(other) + ".model"));
    ModelProto o;
    if (!b.empty() && o.ParseFromString(b)) {
      ModelProto slim;
      *slim.mutable_normalizer_spec() = o.normalizer_spec();
      *slim.mutable_denormalizer_spec() = o.denormalizer_spec();
      others.push_back(std::move(slim));
    }
  }
  std::mt19937 rng(std::hash<std::string>()(name_) ^ 0x5EED);
  Stats stats;
  auto run = [&](const ModelProto& base, const std::string& label, int count) {
    for (int k = 0; k < count; ++k) {
      ModelProto m = base;
      std::string what = label + " edit #" + std::to_string(k) + ":";
      const int edits = 1 + static_cast<int>(rng() % 3);
      for (int e = 0; e < edits; ++e) {
        const auto& [edit_label, edit] = Edits()[rng() % Edits().size()];
        edit(&m, others, &rng);
        what += std::string(" ") + edit_label + ";";
      }
      LoadAndUse(m.SerializeAsString(), what, &stats);
    }
  };
  run(slim_, large_ ? name_ + " (slim)" : name_, Count(1000, 100));
  if (large_) run(proto_, name_, static_cast<int>(10 * Budget()));
  Report("field edits", stats);
}

INSTANTIATE_TEST_SUITE_P(Models, ModelMutationTest, ::testing::ValuesIn(ModelNamesInTestdata()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace sentencepiece
