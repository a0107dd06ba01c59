// See charsmap_compiler.h for the blob layout and the contract.

#include "trainer/charsmap_compiler.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "trainer/charsmap_utf8.h"
#include "trainer/darts_clone_builder.h"
#include "trainer/darts_clone_view.h"

namespace sentencepiece {
namespace {

using internal::DartsCloneView;
using internal::EncodeCodepoints;
using internal::IsStructurallyValidUtf8;

// Limits for walking a decompiled trie. Paths may share positions (that is
// how suffixes are shared), so a corrupt array can describe endlessly deep
// or exponentially many paths. Real rule sets are far below both limits
// (the built-in nfkc has 262,047 nodes and keys of at most 10 bytes).
constexpr size_t kMaxDecompiledKeyBytes = 4096;
constexpr size_t kMaxDecompiledNodes = size_t{1} << 24;

constexpr char kBrokenBlob[] = "Blob for normalization rule is broken.";

// "U+0041 U+0300" for error messages.
std::string Describe(const std::u32string& cps) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char32_t cp : cps) {
    if (!out.empty()) out += ' ';
    out += "U+";
    std::string digits;
    for (uint32_t v = cp; v != 0 || digits.size() < 4; v >>= 4) {
      digits.insert(digits.begin(), kHex[v & 0xF]);
    }
    out += digits;
  }
  return out.empty() ? "(empty)" : out;
}

void AppendUint32Le(uint32_t value, std::string* out) {
  for (int shift = 0; shift < 32; shift += 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

uint32_t ReadUint32Le(std::string_view bytes) {
  uint32_t value = 0;
  for (int i = 3; i >= 0; --i) {
    value = (value << 8) | static_cast<uint8_t>(bytes[i]);
  }
  return value;
}

// Builds the target pool; fills `offsets` with each target's position.
absl::StatusOr<std::string> BuildPool(
    const NormalizationRules& rules,
    std::map<std::u32string, uint32_t>* offsets) {
  for (const auto& rule : rules) offsets->emplace(rule.second, 0);
  std::string pool;
  for (auto& [target, offset] : *offsets) {
    const std::string utf8 = EncodeCodepoints(target);
    if (!IsStructurallyValidUtf8(utf8)) {
      return absl::InvalidArgumentError(
          "normalization rule target " + Describe(target) +
          " is not valid UTF-8 (surrogate code point?)");
    }
    if (pool.size() > 0x7FFFFFFFu) {
      return absl::InvalidArgumentError("normalization rule targets too large");
    }
    offset = static_cast<uint32_t>(pool.size());
    pool += utf8;
    pool += '\0';
  }
  return pool;
}

// The trie's keys and values, sorted and unique.
absl::StatusOr<std::vector<std::pair<std::string, uint32_t>>> BuildKeys(
    const NormalizationRules& rules,
    const std::map<std::u32string, uint32_t>& offsets) {
  std::vector<std::pair<std::string, uint32_t>> keys;
  keys.reserve(rules.size());
  for (const auto& [source, target] : rules) {
    std::string utf8 = EncodeCodepoints(source);
    if (utf8.empty()) {
      return absl::InvalidArgumentError("normalization rule with empty source");
    }
    if (!IsStructurallyValidUtf8(utf8)) {
      return absl::InvalidArgumentError(
          "normalization rule source " + Describe(source) +
          " is not valid UTF-8 (surrogate code point?)");
    }
    if (utf8.find('\0') != std::string::npos) {
      return absl::InvalidArgumentError("normalization rule source " +
                                        Describe(source) + " contains U+0000");
    }
    keys.emplace_back(std::move(utf8), offsets.at(target));
  }
  // Same order as sorting (key, value) pairs; of equal keys the trie keeps
  // the first, i.e. the smallest pool offset.
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end(),
                         [](const auto& a, const auto& b) {
                           return a.first == b.first;
                         }),
             keys.end());
  return keys;
}

// Depth-first walk over every key of a decompiled trie, in byte order.
class TrieWalker {
 public:
  TrieWalker(const DartsCloneView& trie, std::string_view pool,
             NormalizationRules* rules)
      : trie_(trie), pool_(pool), rules_(rules) {}

  // Visits the children of every node in byte order (0..255), recording a
  // rule at each node that holds a value. Iterative, so that a corrupt, very
  // deep trie cannot exhaust the call stack.
  absl::Status Walk() {
    struct Frame {
      uint32_t node;
      int next_byte;
    };
    std::vector<Frame> stack = {{0, 0}};
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next_byte > 255) {
        stack.pop_back();
        if (!stack.empty()) key_.pop_back();
        continue;
      }
      const uint8_t byte = static_cast<uint8_t>(top.next_byte++);
      const std::optional<uint32_t> child = trie_.Child(top.node, byte);
      if (!child) continue;
      if (++num_nodes_ > kMaxDecompiledNodes) {
        return absl::DataLossError("normalization trie has more than " +
                                   std::to_string(kMaxDecompiledNodes) +
                                   " nodes (corrupt blob?)");
      }
      if (key_.size() >= kMaxDecompiledKeyBytes) {
        return absl::DataLossError("normalization trie is deeper than " +
                                   std::to_string(kMaxDecompiledKeyBytes) +
                                   " bytes (corrupt blob?)");
      }
      key_.push_back(static_cast<char>(byte));
      if (const std::optional<uint32_t> value = trie_.Value(*child)) {
        absl::Status status = AddRule(*value);
        if (!status.ok()) return status;
      }
      stack.push_back({*child, 0});
    }
    return absl::OkStatus();
  }

 private:
  // The target is read as a C string from `value`, as the normalizer does;
  // later keys that decode to the same code points overwrite earlier ones.
  absl::Status AddRule(uint32_t value) {
    if (value > pool_.size()) {
      return absl::DataLossError("normalization trie value " +
                                 std::to_string(value) +
                                 " points outside the target pool of " +
                                 std::to_string(pool_.size()) + " bytes");
    }
    std::string_view target = pool_.substr(value);
    target = target.substr(0, target.find('\0'));
    (*rules_)[internal::DecodeUtf8Lenient(key_)] =
        internal::DecodeUtf8Lenient(target);
    return absl::OkStatus();
  }

  const DartsCloneView& trie_;
  std::string_view pool_;
  NormalizationRules* rules_;
  std::string key_;
  size_t num_nodes_ = 0;
};

}  // namespace

absl::StatusOr<std::string> CompileCharsMap(const NormalizationRules& rules) {
  if (rules.empty()) {
    return absl::InvalidArgumentError(
        "cannot compile an empty set of normalization rules");
  }
  std::map<std::u32string, uint32_t> offsets;
  absl::StatusOr<std::string> pool = BuildPool(rules, &offsets);
  if (!pool.ok()) return pool.status();
  absl::StatusOr<std::vector<std::pair<std::string, uint32_t>>> keys =
      BuildKeys(rules, offsets);
  if (!keys.ok()) return keys.status();
  absl::StatusOr<std::vector<uint32_t>> units =
      internal::BuildDartsCloneUnits(*keys);
  if (!units.ok()) return units.status();

  // The normalizer collects at most kMaxCharsMapPrefixMatches matches.
  const DartsCloneView trie(*units);
  for (const auto& key : *keys) {
    if (trie.CountPrefixMatches(key.first) >= kMaxCharsMapPrefixMatches) {
      return absl::InvalidArgumentError(
          "This charmaps contain many shared prefix. The number of shared "
          "prefix must be less than " +
          std::to_string(kMaxCharsMapPrefixMatches));
    }
  }

  std::string blob;
  const size_t trie_bytes = units->size() * 4;
  blob.reserve(4 + trie_bytes + pool->size());
  AppendUint32Le(static_cast<uint32_t>(trie_bytes), &blob);
  for (uint32_t unit : *units) AppendUint32Le(unit, &blob);
  blob += *pool;
  return blob;
}

absl::StatusOr<std::string> CompileCharsMapFromUtf8(
    const std::map<std::string, std::string>& utf8_rules) {
  NormalizationRules rules;
  for (const auto& [source, target] : utf8_rules) {
    if (!IsStructurallyValidUtf8(source) || !IsStructurallyValidUtf8(target)) {
      return absl::InvalidArgumentError(
          "normalization rule is not valid UTF-8: \"" + source + "\" -> \"" +
          target + "\"");
    }
    rules[internal::DecodeUtf8Lenient(source)] =
        internal::DecodeUtf8Lenient(target);
  }
  return CompileCharsMap(rules);
}

absl::StatusOr<NormalizationRules> DecompileCharsMap(std::string_view blob) {
  if (blob.size() <= 4) return absl::DataLossError(kBrokenBlob);
  const uint32_t trie_bytes = ReadUint32Le(blob);
  // The reference only checks trie_bytes < blob.size() and may then read
  // past the end; we also require the trie to fit after the header.
  if (trie_bytes >= blob.size() || trie_bytes > blob.size() - 4) {
    return absl::DataLossError(kBrokenBlob);
  }
  std::vector<uint32_t> units(trie_bytes / 4);
  for (size_t i = 0; i < units.size(); ++i) {
    units[i] = ReadUint32Le(blob.substr(4 + 4 * i, 4));
  }
  const std::string_view pool = blob.substr(4 + trie_bytes);

  NormalizationRules rules;
  const DartsCloneView trie(units);
  TrieWalker walker(trie, pool, &rules);
  absl::Status status = walker.Walk();
  if (!status.ok()) return status;
  return rules;
}

}  // namespace sentencepiece
