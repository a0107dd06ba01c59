// Fuzzes the normalizer with the rules of every bundled model (normalizer
// and denormalizer charsmaps: nmt_nfkc, nfkc, nfkc_cf, nmt_nfkc_cf,
// identity, custom rule files, and the published models' own versions of
// nmt_nfkc). The rule builder's built-in sets are not compiled here: it
// takes a minute, and they are byte-identical to the models' (checked by
// tests/trainer).
//
// Input: [rule set][flags][user symbols][text...]
//   flags: add_dummy_prefix, remove_extra_whitespaces, escape_whitespaces,
//   treat_whitespace_as_suffix (bits 0-3).
//   user symbols: the user-defined symbols of one of the models (or none).
// Checks: the alignment has one entry per output byte plus the end, never
// decreases and stays inside the input; the output is valid UTF-8; both
// Normalize() forms agree; NormalizePrefix() consumes at least one byte and
// no more than it is given; without whitespace handling, the output is the
// NormalizePrefix() chunks joined.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/model_io.h"
#include "common/utf8.h"
#include "fuzz_util.h"
#include "normalizer/normalizer.h"
#include "normalizer/prefix_matcher.h"

namespace sentencepiece {
namespace fuzz {
namespace {

struct Corpus {
  std::vector<std::string> charsmaps;  // Distinct; "" (identity) first.
  std::vector<std::string> names;
  std::vector<std::unique_ptr<std::set<std::string>>> symbol_sets;  // Distinct; {} first.
  std::vector<PrefixMatcher> matchers;
};

const Corpus& GetCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    std::map<std::string, size_t> seen;
    auto add = [&](const std::string& blob, const std::string& name) {
      if (seen.emplace(blob, c->charsmaps.size()).second) {
        c->charsmaps.push_back(blob);
        c->names.push_back(name);
      }
    };
    add("", "identity");
    std::set<std::set<std::string>> symbol_sets = {{}};
    c->symbol_sets.push_back(std::make_unique<std::set<std::string>>());
    for (const std::string& name : ModelNames()) {
      auto proto = ReadModelProto(TestdataDir() + "/models/" + name + ".model");
      if (!proto.ok()) continue;
      add((*proto)->normalizer_spec().precompiled_charsmap(), name);
      add((*proto)->denormalizer_spec().precompiled_charsmap(), name + " (denormalizer)");
      std::set<std::string> symbols;
      for (const auto& piece : (*proto)->pieces()) {
        if (piece.type() == ModelProto::SentencePiece::USER_DEFINED) symbols.insert(piece.piece());
      }
      if (symbol_sets.insert(symbols).second) {
        c->symbol_sets.push_back(std::make_unique<std::set<std::string>>(symbols));
      }
    }
    for (const auto& set : c->symbol_sets) {
      std::set<std::string_view> views(set->begin(), set->end());
      auto matcher = PrefixMatcher::Create(views);
      if (!matcher.ok()) Fail("building a user-symbol matcher", matcher.status().ToString());
      c->matchers.push_back(*std::move(matcher));
    }
    return c;
  }();
  return *corpus;
}

// Normalizers are built once per (rule set, flags, symbols).
const Normalizer& GetNormalizer(size_t charsmap, uint8_t flags, size_t symbols) {
  static auto* cache =
      new std::map<std::tuple<size_t, uint8_t, size_t>, std::unique_ptr<Normalizer>>;
  auto& slot = (*cache)[{charsmap, flags, symbols}];
  if (slot == nullptr) {
    const Corpus& c = GetCorpus();
    NormalizerSpec spec;
    spec.set_precompiled_charsmap(c.charsmaps[charsmap]);
    spec.set_add_dummy_prefix(flags & 1);
    spec.set_remove_extra_whitespaces(flags & 2);
    spec.set_escape_whitespaces(flags & 4);
    auto n = Normalizer::Create(spec, /*treat_whitespace_as_suffix=*/flags & 8);
    if (!n.ok()) Fail("a bundled charsmap does not load", c.names[charsmap]);
    slot = *std::move(n);
    slot->SetPrefixMatcher(symbols == 0 ? nullptr : &c.matchers[symbols]);
  }
  return *slot;
}

int FuzzNormalize(FuzzInput& in) {
  const Corpus& corpus = GetCorpus();
  const auto [charsmap_byte, flag_byte, symbols_byte] = in.Bytes<3>();
  const size_t charsmap = charsmap_byte % corpus.charsmaps.size();
  const uint8_t flags = flag_byte & 15;
  const size_t symbols = symbols_byte % corpus.matchers.size();
  const std::string_view text = in.Rest();
  SetContext(corpus.names[charsmap] + " flags=" + std::to_string(flags) +
                 " symbols=" + std::to_string(symbols),
             text);
  const Normalizer& n = GetNormalizer(charsmap, flags, symbols);

  std::string normalized;
  std::vector<size_t> n2o;
  n.Normalize(text, &normalized, &n2o);
  if (normalized.empty()) {
    FUZZ_CHECK(n2o.size() <= 1, "alignment without output");
  } else {
    FUZZ_CHECK(n2o.size() == normalized.size() + 1, "alignment size");
  }
  for (size_t i = 0; i < n2o.size(); ++i) {
    FUZZ_CHECK(n2o[i] <= text.size(), "alignment past the input");
    if (i > 0) FUZZ_CHECK(n2o[i] >= n2o[i - 1], "alignment decreases");
  }
  FUZZ_CHECK(utf8::IsStructurallyValid(normalized), "normalized text is not valid UTF-8");
  FUZZ_CHECK(n.Normalize(text) == normalized, "the two Normalize() forms differ");

  // Chunk by chunk. Without whitespace handling (flags 0, or only the
  // suffix side, which then has no dummy to place), the line is its
  // chunks joined: the shortcuts that copy runs of characters no rule
  // touches (IdentityCharLen(), ThreeByteIdentityEnd()) must take exactly
  // the characters NormalizePrefix() returns as they are.
  std::string chunks;
  for (std::string_view rest = text; !rest.empty();) {
    const auto [chunk, len] = n.NormalizePrefix(rest);
    FUZZ_CHECK(len >= 1 && len <= rest.size(), "NormalizePrefix consumed " + std::to_string(len));
    FUZZ_CHECK(utf8::IsStructurallyValid(chunk), "a chunk is not valid UTF-8");
    chunks.append(chunk.data(), chunk.size());
    rest.remove_prefix(len);
  }
  if ((flags & 7) == 0) {
    FUZZ_CHECK(normalized == chunks, "the line differs from its chunks joined");
  }
  return 0;
}

}  // namespace
}  // namespace fuzz
}  // namespace sentencepiece

SPM_FUZZ_TARGET(FuzzNormalize)
