// Model mutation (model_mutation.h): every bundled model with random field
// edits through the generated ModelProto: piece types, strings and scores,
// deleted, added, duplicated and shuffled pieces, trainer and normalizer
// flags, special pieces, corrupt or swapped charsmaps, self-test samples.
//
// Work per model, at the default budget: 1000 variants with 1-3 random
// edits, scaled down above 64 KB (at least 100; for large models on the slim
// copy, plus 10 on the full model).

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "model_mutation.h"

namespace sentencepiece {
namespace model_mutation {
namespace {

using Piece = ModelProto::SentencePiece;

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
    const std::string b = ReadAll(ModelPath(other));
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
  run(slim_, SlimLabel(), Count(1000, 100));
  if (large_) run(proto_, name_, static_cast<int>(10 * Budget()));
  Report("field edits", stats);
}

}  // namespace
}  // namespace model_mutation
}  // namespace sentencepiece
