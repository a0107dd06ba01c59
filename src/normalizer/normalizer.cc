#include "normalizer/normalizer.h"

#include <algorithm>
#include <cstring>

#include "absl/status/status.h"
#include "common/utf8.h"

namespace sentencepiece {
namespace {

// The reference collects at most this many prefix matches per position and
// takes the longest among them; rule compilers guarantee fewer.
constexpr int kMaxPrefixMatches = 32;

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         std::memcmp(s.data() + s.size() - suffix.size(), suffix.data(), suffix.size()) == 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Normalizer>> Normalizer::Create(const NormalizerSpec& spec,
                                                               bool treat_whitespace_as_suffix) {
  std::unique_ptr<Normalizer> n(new Normalizer(spec, treat_whitespace_as_suffix));
  const std::string& blob = spec.precompiled_charsmap();
  if (blob.empty()) return n;
  // [uint32 LE trie size][trie units][pool].
  if (blob.size() <= 4) return absl::InternalError("Blob for normalization rule is broken.");
  const auto* p = reinterpret_cast<const unsigned char*>(blob.data());
  const uint32_t trie_size = uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 |
                             uint32_t{p[3]} << 24;
  if (trie_size >= blob.size() || trie_size > blob.size() - 4) {
    return absl::InternalError("Blob for normalization rule is broken.");
  }
  n->trie_ = DoubleArray::FromBytes(std::string_view(blob).substr(4, trie_size));
  n->pool_ = blob.substr(4 + trie_size);
  n->ComputePlainBytes();
  n->ComputeSpaceContext();
  return n;
}

void Normalizer::ComputeSpaceContext() {
  const std::vector<uint32_t>& units = trie_.units();
  if (units.empty()) return;
  // The children of a node live at base ^ label, and a unit names its own
  // label, so bucketing units by (index ^ label) lists every node's
  // children (units with labels that no real node uses land in buckets no
  // node reads). Then a depth-first walk visits every key.
  const uint32_t n = static_cast<uint32_t>(units.size());
  std::vector<int32_t> head(n, -1), next(n, -1);
  for (uint32_t q = 0; q < n; ++q) {
    const uint32_t u = units[q];
    if (u & 0x80000000u) continue;  // A value, not a node.
    const uint32_t base = q ^ (u & 0xFF);
    if (base >= n) continue;
    next[q] = head[base];
    head[base] = static_cast<int32_t>(q);
  }
  auto offset = [](uint32_t u) { return (u >> 10) << ((u & (1u << 9)) >> 6); };
  // A node's label is its own, whatever path leads to it, so each node is
  // visited once (the array shares suffixes between keys, and a corrupt one
  // could even loop).
  std::vector<bool> seen(n, false);
  std::vector<uint32_t> stack = {0};
  seen[0] = true;
  while (!stack.empty()) {
    const uint32_t node = stack.back();
    stack.pop_back();
    const int label = node == 0 ? -1 : static_cast<int>(units[node] & 0xFF);
    const uint32_t base = node ^ offset(units[node]);
    if (base >= n) continue;
    for (int32_t q = head[base]; q >= 0; q = next[q]) {
      const int child = static_cast<int>(units[q] & 0xFF);
      if (child == 0) continue;
      if (child == ' ' && label >= 0) byte_then_space_[label] = true;
      if (label == ' ') space_then_byte_[child] = true;
      if (!seen[q]) {
        seen[q] = true;
        stack.push_back(static_cast<uint32_t>(q));
      }
    }
  }
}

bool Normalizer::NormalizesToItself(std::string_view word) const {
  if (word.find(' ') != std::string_view::npos) return false;
  while (!word.empty()) {
    if (const size_t len = PlainCharLen(word, 0); len > 0) {
      word.remove_prefix(len);
      continue;
    }
    const auto [chunk, len] = NormalizePrefix(word);
    if (chunk != word.substr(0, len)) return false;
    word.remove_prefix(len);
  }
  return true;
}

void Normalizer::ComputePlainBytes() {
  space_in_symbols_ = matcher_ != nullptr && matcher_->ContainsByte(' ');
  for (int b = 0; b < 256; ++b) {
    const auto c = static_cast<unsigned char>(b);
    uint32_t node = 0;
    bool plain = c != ' ' && (c < 0x80 || c >= 0xC2) && c < 0xF5;
    if (plain && !trie_.empty()) plain = trie_.Traverse(&node, c) == DoubleArray::kNoPath;
    if (plain && matcher_ != nullptr) plain = !matcher_->MayStartWith(c);
    plain_[b] = plain;
  }
  ComputePlain3();
}

void Normalizer::ComputePlain3() {
  plain3_.assign(65536 / 64, 0);
  for (int lead = 0xE0; lead < 0xF0; ++lead) {
    if (plain_[lead] || (matcher_ != nullptr && matcher_->MayStartWith(lead))) continue;
    uint32_t node0 = 0;
    const int r0 = trie_.empty() ? DoubleArray::kNoPath : trie_.Traverse(&node0, lead);
    if (r0 >= 0) continue;  // A rule for the lead byte alone.
    for (int b1 = 0x80; b1 < 0xC0; ++b1) {
      uint32_t node1 = node0;
      const int r1 = r0 == DoubleArray::kNoPath ? DoubleArray::kNoPath : trie_.Traverse(&node1, b1);
      if (r1 >= 0) continue;
      for (int b2 = 0x80; b2 < 0xC0; ++b2) {
        uint32_t node2 = node1;
        if (r1 != DoubleArray::kNoPath && trie_.Traverse(&node2, b2) != DoubleArray::kNoPath) {
          continue;  // Some rule starts with this character.
        }
        const uint32_t cp = ((lead & 0xF) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
        if (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000)) continue;  // Malformed.
        plain3_[cp >> 6] |= uint64_t{1} << (cp & 63);
      }
    }
  }
}

template <bool kAlign>
size_t Normalizer::CopyPlainRun(std::string_view input, size_t consumed, std::string* normalized,
                                std::vector<size_t>* norm_to_orig) const {
  size_t i = 0;
  while (i < input.size()) {
    const size_t len = PlainCharLen(input, i);
    if (len == 0) break;
    if constexpr (kAlign) {
      normalized->append(input.data() + i, len);
      norm_to_orig->insert(norm_to_orig->end(), len, consumed + i);
    }
    i += len;
  }
  if constexpr (!kAlign) normalized->append(input.data(), i);  // One copy for the run.
  return i;
}

std::pair<std::string_view, size_t> Normalizer::NormalizePrefix(std::string_view input) const {
  if (matcher_ != nullptr) {
    bool found = false;
    const size_t len = matcher_->PrefixMatch(input, &found);
    if (found) return {input.substr(0, len), len};
  }
  size_t longest = 0;
  int value = 0;
  if (!trie_.empty()) {
    int matches = 0;
    trie_.CommonPrefixSearch(input, [&](size_t len, int v) {
      longest = len;
      value = v;
      return ++matches < kMaxPrefixMatches;
    });
  }
  if (longest > 0) {
    // The target runs to the next NUL (or the end of a malformed pool).
    if (static_cast<size_t>(value) >= pool_.size()) return {std::string_view(), longest};
    const char* start = pool_.data() + value;
    const void* nul = std::memchr(start, '\0', pool_.size() - value);
    const size_t len = nul ? static_cast<const char*>(nul) - start : pool_.size() - value;
    return {std::string_view(start, len), longest};
  }
  size_t len = 0;
  if (!utf8::DecodeValid(input, &len)) return {utf8::kReplacementCharUtf8, 1};
  return {input.substr(0, len), len};
}

template <bool kAlign>
void Normalizer::NormalizeImpl(std::string_view input, std::string* normalized,
                               std::vector<size_t>* norm_to_orig) const {
  normalized->clear();
  if constexpr (kAlign) norm_to_orig->clear();
  const bool remove_ws = spec_.remove_extra_whitespaces();
  const bool escape = spec_.escape_whitespaces();
  size_t consumed = 0;

  if (remove_ws) {
    while (!input.empty()) {
      const auto [chunk, len] = NormalizePrefix(input);
      if (chunk != " ") break;
      input.remove_prefix(len);
      consumed += len;
    }
  }
  if (input.empty()) return;

  normalized->reserve(input.size() * 3);
  if constexpr (kAlign) norm_to_orig->reserve(input.size() * 3);
  auto append_space = [&]() {
    if (escape) {
      normalized->append(utf8::kSpaceSymbol);
      if constexpr (kAlign) {
        norm_to_orig->insert(norm_to_orig->end(), utf8::kSpaceSymbol.size(), consumed);
      }
    } else {
      normalized->push_back(' ');
      if constexpr (kAlign) norm_to_orig->push_back(consumed);
    }
  };

  if (!suffix_ && spec_.add_dummy_prefix()) append_space();

  // With remove_extra_whitespaces, spaces right after a space (or at the
  // start) are dropped.
  bool prev_is_space = remove_ws;
  while (!input.empty()) {
    // Characters no rule touches are copied as they are.
    if (const size_t run = CopyPlainRun<kAlign>(input, consumed, normalized, norm_to_orig); run > 0) {
      prev_is_space = false;
      consumed += run;
      input.remove_prefix(run);
      continue;
    }
    auto [chunk, len] = NormalizePrefix(input);
    if (prev_is_space) {
      while (!chunk.empty() && chunk.front() == ' ') chunk.remove_prefix(1);
    }
    if (!chunk.empty()) {
      for (char c : chunk) {
        if (escape && c == ' ') {
          normalized->append(utf8::kSpaceSymbol);
          if constexpr (kAlign) {
            norm_to_orig->insert(norm_to_orig->end(), utf8::kSpaceSymbol.size(), consumed);
          }
        } else {
          normalized->push_back(c);
          if constexpr (kAlign) norm_to_orig->push_back(consumed);
        }
      }
      prev_is_space = chunk.back() == ' ';
    }
    consumed += len;
    input.remove_prefix(len);
    if (!remove_ws) prev_is_space = false;
  }

  if (remove_ws) {
    const std::string_view space = escape ? utf8::kSpaceSymbol : std::string_view(" ");
    while (EndsWith(*normalized, space)) {
      const size_t length = normalized->size() - space.size();
      normalized->resize(length);
      if constexpr (kAlign) {
        consumed = (*norm_to_orig)[length];
        norm_to_orig->resize(length);
      }
    }
  }

  if (suffix_ && spec_.add_dummy_prefix()) append_space();
  if constexpr (kAlign) norm_to_orig->push_back(consumed);
}

void Normalizer::Normalize(std::string_view input, std::string* normalized,
                           std::vector<size_t>* norm_to_orig) const {
  NormalizeImpl<true>(input, normalized, norm_to_orig);
}

void Normalizer::Normalize(std::string_view input, std::string* normalized) const {
  NormalizeImpl<false>(input, normalized, nullptr);
}

std::string Normalizer::Normalize(std::string_view input) const {
  std::string normalized;
  Normalize(input, &normalized);
  return normalized;
}

}  // namespace sentencepiece
