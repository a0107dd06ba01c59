#include "normalizer/normalizer.h"

#include <algorithm>
#include <cstring>

#include "absl/status/status.h"
#include "common/utf8.h"

namespace sentencepiece {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
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
  n->ComputeSpaceContext();
  n->ComputePlainBytes();  // (Then UpdateSpacesIsolated(), from both.)
  return n;
}

void Normalizer::UpdateSpacesIsolated() {
  bool any = space_in_symbols_ || space_rewritten_;
  for (int b = 0; b < 256; ++b) any = any || byte_then_space_[b] || space_then_byte_[b];
  spaces_always_isolated_ = !any;
}

void Normalizer::ComputeSpaceContext() {
  const std::vector<uint32_t>& units = trie_.units();
  if (units.empty()) return;
  // A rule for the space alone rewrites every separator.
  uint32_t space_node = 0;
  space_rewritten_ = trie_.Traverse(&space_node, ' ') >= 0;
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
      // A node below the root with a child: both labels are bytes of a
      // source of two or more bytes.
      if (label >= 0) in_longer_rule_[label] = in_longer_rule_[child] = true;
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
    if (const size_t len = IdentityCharLen(word, 0); len > 0) {
      word.remove_prefix(len);
      continue;
    }
    const auto [chunk, len] = NormalizePrefix(word);
    if (chunk != word.substr(0, len)) return false;
    word.remove_prefix(len);
  }
  return true;
}

bool Normalizer::AppendNormalizedWord(std::string_view word, std::string* out,
                                      bool* space_end) const {
  const size_t start = out->size();
  if (space_end != nullptr) *space_end = false;
  // As after a separator inside a line: with remove_extra_whitespaces, a
  // chunk's leading spaces are dropped while the output ends with a space
  // (the separator's, at first); spaces become `▁`.
  const bool remove_ws = spec_.remove_extra_whitespaces();
  bool prev_is_space = remove_ws;
  while (!word.empty()) {
    size_t run = 0;
    while (run < word.size()) {
      const size_t len = IdentityCharLen(word, run);
      if (len == 0) break;
      run += len;
      if (len == 3) run = ThreeByteIdentityEnd(word, run);
    }
    if (run > 0) {
      out->append(word.data(), run);
      word.remove_prefix(run);
      prev_is_space = false;
      continue;
    }
    // A run of malformed bytes (random or binary data): U+FFFD each, as
    // NormalizePrefix() would give, without its lookups. A byte that is
    // never a lead byte is one; so is a lead byte no rule or symbol starts
    // with (plain_) that does not begin a well-formed character here.
    size_t bad = 0;
    while (bad < word.size()) {
      const auto c = static_cast<unsigned char>(word[bad]);
      if (!malformed_[c]) {
        if (!plain_[c] || c < 0x80) break;
        size_t len;
        if (utf8::DecodeValid(word.substr(bad), &len)) break;
      }
      ++bad;
    }
    if (bad > 0) {
      const std::string_view r = utf8::kReplacementCharUtf8;
      const size_t at = out->size();
      out->resize(at + bad * r.size());
      for (size_t k = 0; k < bad; ++k) std::memcpy(&(*out)[at + k * r.size()], r.data(), r.size());
      word.remove_prefix(bad);
      prev_is_space = false;
      continue;
    }
    auto [chunk, len] = NormalizePrefix(word);
    word.remove_prefix(len);
    if (prev_is_space) {
      while (!chunk.empty() && chunk.front() == ' ') chunk.remove_prefix(1);
    }
    if (!chunk.empty()) {
      if (chunk.find(' ') == std::string_view::npos) {
        out->append(chunk.data(), chunk.size());
      } else {
        if (!spec_.escape_whitespaces()) return false;
        for (char c : chunk) {
          if (c == ' ') {
            out->append(utf8::kSpaceSymbol.data(), utf8::kSpaceSymbol.size());
          } else {
            out->push_back(c);
          }
        }
      }
      prev_is_space = remove_ws && chunk.back() == ' ';
    }
  }
  // A space at the end takes the next separator's place (which the line
  // then drops as a space after a space): the word is read without it.
  // (With nothing written, the flag is still the separator's.)
  if (prev_is_space && space_end != nullptr && out->size() > start) {
    out->resize(out->size() - utf8::kSpaceSymbol.size());
    *space_end = true;
  }
  // Any other trailing `▁` (a space's or the text's own) would meet the
  // next separator or the end of the line, where whitespace handling acts.
  const std::string_view result = std::string_view(*out).substr(start);
  if (result.empty()) return space_end != nullptr && remove_ws;
  return !EndsWith(result, utf8::kSpaceSymbol);
}

std::pair<std::string_view, size_t> Normalizer::PoolTarget(int value, size_t longest) const {
  // The target runs to the next NUL (or the end of a malformed pool).
  if (static_cast<size_t>(value) >= pool_.size()) return {std::string_view(), longest};
  const char* start = pool_.data() + value;
  const void* nul = std::memchr(start, '\0', pool_.size() - value);
  const size_t len = nul ? static_cast<const char*>(nul) - start : pool_.size() - value;
  return {std::string_view(start, len), longest};
}

namespace {

// Appends to a string through a raw pointer: std::string::append() costs a
// call and a capacity check per chunk, which dominated on text that
// alternates short plain runs with characters that rules start with
// (Japanese kana). Finish() trims the string to what was written.
class OutBuf {
 public:
  OutBuf(std::string* s, size_t expected) : s_(s) {
    s_->resize(expected);
    p_ = s_->data();
    end_ = p_ + s_->size();
  }
  void Append(const char* d, size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) Grow(n);
    if (n <= 4) {
      for (size_t i = 0; i < n; ++i) p_[i] = d[i];
    } else {
      std::memcpy(p_, d, n);
    }
    p_ += n;
  }
  void Push(char c) {
    if (p_ == end_) Grow(1);
    *p_++ = c;
  }
  void Finish() { s_->resize(p_ - s_->data()); }

 private:
  void Grow(size_t n) {
    const size_t used = p_ - s_->data();
    s_->resize(std::max(s_->size() * 2, used + n));
    p_ = s_->data() + used;
    end_ = s_->data() + s_->size();
  }
  std::string* s_;
  char* p_;
  char* end_;
};

}  // namespace

std::pair<std::string_view, size_t> Normalizer::NormalizePrefix(std::string_view input) const {
  const auto c = static_cast<unsigned char>(input[0]);
  // An ASCII byte whose rule nothing longer continues: that rule, as
  // PrefixFromTable() would find it.
  if (c < 0x80 && ascii_rule_[c] != 0) return RuleTarget(ascii_rule_[c], 1);
  if (table_lead_[c]) {
    std::pair<std::string_view, size_t> result;
    if (PrefixFromTable(input, &result)) return result;
  }
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
  if (longest > 0) return PoolTarget(value, longest);
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

  OutBuf out(normalized, input.size() * 2 + 8);
  if constexpr (kAlign) norm_to_orig->reserve(input.size() * 3);
  auto append_space = [&]() {
    if (escape) {
      out.Append(utf8::kSpaceSymbol.data(), utf8::kSpaceSymbol.size());
      if constexpr (kAlign) {
        norm_to_orig->insert(norm_to_orig->end(), utf8::kSpaceSymbol.size(), consumed);
      }
    } else {
      out.Push(' ');
      if constexpr (kAlign) norm_to_orig->push_back(consumed);
    }
  };

  if (!suffix_ && spec_.add_dummy_prefix()) append_space();

  // With remove_extra_whitespaces, spaces right after a space (or at the
  // start) are dropped.
  bool prev_is_space = remove_ws;
  while (!input.empty()) {
    // Characters no rule touches are copied as they are.
    size_t run = 0;
    while (run < input.size()) {
      const size_t len = IdentityCharLen(input, run);
      if (len == 0) break;
      const size_t end = len == 3 ? ThreeByteIdentityEnd(input, run + 3) : run + len;
      if constexpr (kAlign) {
        norm_to_orig->insert(norm_to_orig->end(), len, consumed + run);
        for (size_t at = run + len; at < end; at += 3) {
          norm_to_orig->insert(norm_to_orig->end(), 3, consumed + at);
        }
      }
      run = end;
    }
    if (run > 0) {
      out.Append(input.data(), run);
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
          out.Append(utf8::kSpaceSymbol.data(), utf8::kSpaceSymbol.size());
          if constexpr (kAlign) {
            norm_to_orig->insert(norm_to_orig->end(), utf8::kSpaceSymbol.size(), consumed);
          }
        } else {
          out.Push(c);
          if constexpr (kAlign) norm_to_orig->push_back(consumed);
        }
      }
      prev_is_space = chunk.back() == ' ';
    }
    consumed += len;
    input.remove_prefix(len);
    if (!remove_ws) prev_is_space = false;
  }
  out.Finish();

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

  if (suffix_ && spec_.add_dummy_prefix()) {  // `out` is finished: append directly.
    const std::string_view space = escape ? utf8::kSpaceSymbol : std::string_view(" ");
    normalized->append(space.data(), space.size());
    if constexpr (kAlign) norm_to_orig->insert(norm_to_orig->end(), space.size(), consumed);
  }
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
