// Helpers shared by the normalizer tests (normalizer_test.cc,
// normalizer_runs_test.cc, normalizer_word_test.cc).

#ifndef SPM_TESTS_NORMALIZER_NORMALIZER_TEST_UTIL_H_
#define SPM_TESTS_NORMALIZER_NORMALIZER_TEST_UTIL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/double_array_builder.h"
#include "common/model_io.h"
#include "gtest/gtest.h"
#include "normalizer/normalizer.h"

namespace sentencepiece {

// Identity rules (no charsmap): only the whitespace handling applies.
inline std::unique_ptr<Normalizer> Identity(bool dummy, bool remove_ws, bool escape,
                                            bool suffix) {
  NormalizerSpec spec;
  spec.set_add_dummy_prefix(dummy);
  spec.set_remove_extra_whitespaces(remove_ws);
  spec.set_escape_whitespaces(escape);
  return *Normalizer::Create(spec, suffix);
}

// The normalizer of the bundled ALBERT model (nmt_nfkc rules); null, with
// a failure recorded, if it does not load.
inline std::unique_ptr<Normalizer> AlbertNormalizer() {
  auto proto = ReadModelProto(std::string(SPM_TESTDATA_DIR) + "/models/albert_spiece.model");
  EXPECT_TRUE(proto.ok()) << proto.status();
  if (!proto.ok()) return nullptr;
  auto created = Normalizer::Create((*proto)->normalizer_spec(), false);
  EXPECT_TRUE(created.ok()) << created.status();
  return created.ok() ? *std::move(created) : nullptr;
}

// `s` normalized rule by rule as it reads inside a line after a space, for
// a model that removes extra whitespace and escapes it: leading spaces of
// a chunk are dropped while the output ends with a space, spaces become
// `▁` (as Normalizer::Normalize() does, after the reference).
inline std::string InLine(const Normalizer& n, std::string_view s) {
  std::string out;
  bool prev_is_space = true;
  while (!s.empty()) {
    auto [chunk, len] = n.NormalizePrefix(s);
    s.remove_prefix(len);
    if (prev_is_space) {
      while (!chunk.empty() && chunk.front() == ' ') chunk.remove_prefix(1);
    }
    if (chunk.empty()) continue;
    for (char c : chunk) out += c == ' ' ? std::string("\xE2\x96\x81") : std::string(1, c);
    prev_is_space = chunk.back() == ' ';
  }
  return out;
}

// A normalizer (whitespace handling as ALBERT's) whose charsmap holds
// `rules` (source, target); null, with a failure recorded, if it does not
// build.
inline std::unique_ptr<Normalizer> RulesNormalizer(
    const std::vector<std::pair<std::string, std::string>>& rules) {
  std::string pool;
  std::vector<std::pair<std::string_view, uint32_t>> keys;
  for (const auto& [from, to] : rules) {
    keys.emplace_back(from, static_cast<uint32_t>(pool.size()));
    pool += to;
    pool.push_back('\0');
  }
  SortKeys(&keys);
  auto trie = BuildDoubleArray(keys);
  EXPECT_TRUE(trie.ok()) << trie.status();
  if (!trie.ok()) return nullptr;
  std::string blob(4, '\0');
  const auto trie_bytes = static_cast<uint32_t>(trie->units().size() * 4);
  for (int i = 0; i < 4; ++i) blob[i] = static_cast<char>(trie_bytes >> (8 * i));
  for (uint32_t u : trie->units()) {
    for (int i = 0; i < 4; ++i) blob.push_back(static_cast<char>(u >> (8 * i)));
  }
  blob += pool;
  NormalizerSpec spec;
  spec.set_precompiled_charsmap(blob);
  spec.set_add_dummy_prefix(true);
  spec.set_remove_extra_whitespaces(true);
  spec.set_escape_whitespaces(true);
  auto created = Normalizer::Create(spec, false);
  EXPECT_TRUE(created.ok()) << created.status();
  return created.ok() ? *std::move(created) : nullptr;
}

}  // namespace sentencepiece

#endif  // SPM_TESTS_NORMALIZER_NORMALIZER_TEST_UTIL_H_
