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

void Normalizer::ComputePlainBytes() {
  plain_computed_ = true;
  space_in_symbols_ = matcher_ != nullptr && matcher_->ContainsByte(' ');
  for (int b = 0; b < 256; ++b) {
    const auto c = static_cast<unsigned char>(b);
    uint32_t node = 0;
    const bool starts_rule_or_symbol =
        (!trie_.empty() && trie_.Traverse(&node, c) != DoubleArray::kNoPath) ||
        (matcher_ != nullptr && matcher_->MayStartWith(c));
    const bool starts_char = (c < 0x80 || c >= 0xC2) && c < 0xF5;  // A UTF-8 lead byte.
    plain_[b] = c != ' ' && starts_char && !starts_rule_or_symbol;
    malformed_[b] = !starts_char && !starts_rule_or_symbol;
  }
  ComputePlain3();
  ComputeAsciiRuns();
  UpdateSpacesIsolated();
}

void Normalizer::ComputeAsciiRuns() {
  // (Bytes from 0x80 up stay 0.)
  for (int b = 0; b < 0x80; ++b) {
    const auto c = static_cast<unsigned char>(b);
    uint8_t kind = 0;
    ascii_rule_[b] = 0;
    if (plain_[c]) {
      kind = kAsciiPlain;
    } else if (c != ' ' && matcher_ != nullptr && matcher_->IsLoneByteSymbol(c)) {
      // A user-defined symbol of its own (ALBERT's "." and "("): kept as it
      // is, before any rule is looked at (NormalizePrefix()).
      kind = kAsciiPlain;
    } else if (table_lead_[c]) {
      // The char_ entry (computed here, as CharEntry() would compute it on
      // first sight): no longer rule continues with an ASCII byte.
      const char text = static_cast<char>(c);
      const uint64_t e = ComputeCharEntry(std::string_view(&text, 1));
      if ((e & (kCharNoAsciiNext | 3)) == (kCharNoAsciiNext | kCharIdentity)) {
        kind = kAsciiBeforeAscii;
      }
      if ((e & 3) == kCharRule && (e >> 32) == 0) ascii_rule_[b] = e;
    }
    ascii_identity_[b] = kind;
  }
}

void Normalizer::ComputePlain3() {
  for (int b = 0; b < 256; ++b) {
    // (Never a space: spaces are not plain, whatever the rules say.)
    table_lead_[b] = !trie_.empty() && b != ' ' && b < 0xF0 && (b < 0x80 || b >= 0xC2) &&
                     !(matcher_ != nullptr && matcher_->MayStartWith(b));
  }
  // Entries depend on the rules only, so a new matcher keeps the table.
  if (!trie_.empty() && !char_) {
    static_assert(sizeof(std::atomic<uint64_t>) == 8 && std::atomic<uint64_t>::is_always_lock_free,
                  "the table relies on lock-free 64-bit atomics laid out as plain words");
    char_ = ZeroPageArray<std::atomic<uint64_t>>::TryAllocate(65536);
    if (!char_) std::fill(std::begin(table_lead_), std::end(table_lead_), false);
  }
  plain3_.assign(65536 / 64, 0);
  for (int lead = 0xE0; lead < 0xF0; ++lead) {
    if (plain_[lead]) {
      // Every well-formed character of a plain lead byte: so that
      // IdentityCharLen() settles any three-byte character (kanji and kana
      // alike) from the bitmap first, one branch whichever block it is in.
      for (uint32_t cp = (lead & 0xFu) << 12; cp < ((lead & 0xFu) + 1) << 12; ++cp) {
        if (cp >= 0x800 && (cp < 0xD800 || cp >= 0xE000)) plain3_[cp >> 6] |= uint64_t{1} << (cp & 63);
      }
      continue;
    }
    if (matcher_ != nullptr && matcher_->MayStartWith(lead)) continue;
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

// char_ entries, per code point below U+10000 (the code point and the
// byte length identify the bytes of a well-formed character): bits 0-1 the
// state (0: not computed yet; 1: the table does not answer; 2: the
// character itself; 3: the rule at pool offset bits 12-31, target length
// bits 2-9), bits 32-63 the trie node after the character when longer rules
// continue from it (else 0: the root is nobody's child). For the character
// itself, bit 10 says that no longer rule continues with an ASCII byte; bit
// 11 that every longer rule continues with byte bits 12-19 and no rule
// ends there, bit 28 that they then continue with byte bits 20-27 (and no
// rule ends there either).

uint64_t Normalizer::ComputeCharEntry(std::string_view c) const {
  uint32_t node = 0;
  int r = DoubleArray::kNoPath;
  for (size_t i = 0; i < c.size(); ++i) {
    r = trie_.Traverse(&node, static_cast<unsigned char>(c[i]));
    if (r == DoubleArray::kNoPath) return kCharIdentity;
    // Rules for part of a character: rare, left to the general path.
    if (r >= 0 && i + 1 < c.size()) return kCharComplex;
  }
  uint64_t entry = kCharIdentity;
  if (r >= 0) {
    const auto [target, len] = PoolTarget(r, c.size());
    const size_t offset = target.empty() ? 0 : target.data() - pool_.data();
    if (target.size() > 0xFF || offset >= (size_t{1} << 20)) return kCharComplex;
    entry = kCharRule | (uint64_t{target.size()} << 2) | (uint64_t{offset} << 12);
  }
  // Children of `from`: how many (0, 1 or 2 meaning "more"), the smallest
  // label, and for a single child its label and node.
  struct Children {
    int count = 0;
    int smallest = 256;
    int label = 0;
    uint32_t node = 0;
  };
  auto children = [this](uint32_t from) {
    Children c;
    for (int b = 1; b < 256 && c.count < 2; ++b) {
      uint32_t child = from;
      if (trie_.Traverse(&child, static_cast<unsigned char>(b)) != DoubleArray::kNoPath) {
        if (c.count++ == 0) {
          c.smallest = b;
          c.label = b;
          c.node = child;
        }
      }
    }
    return c;
  };
  const Children first = children(node);
  if (first.count > 0) entry |= uint64_t{node} << 32;
  if ((entry & 3) == kCharIdentity) {
    if (first.smallest >= 0x80) entry |= kCharNoAsciiNext;
    // Longer rules all continue with one byte (and maybe then one more)
    // that ends no rule: a quick test rules most continuations out.
    if (first.count == 1 && trie_.ValueAt(first.node) < 0) {
      entry |= kCharNext1 | (uint64_t{static_cast<uint32_t>(first.label)} << 12);
      const Children second = children(first.node);
      if (second.count == 1 && trie_.ValueAt(second.node) < 0) {
        entry |= kCharNext2 | (uint64_t{static_cast<uint32_t>(second.label)} << 20);
      }
    }
  }
  return entry;
}

uint64_t Normalizer::CharEntry(std::string_view input, size_t* n) const {
  const auto b0 = static_cast<unsigned char>(input[0]);
  uint32_t cp;
  if (b0 < 0x80) {
    cp = b0;
    *n = 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    if (input.size() < 2) return 0;
    const auto b1 = static_cast<unsigned char>(input[1]);
    if ((b1 & 0xC0) != 0x80) return 0;
    cp = ((b0 & 0x1F) << 6) | (b1 & 0x3F);
    *n = 2;
    if (cp < 0x80) return 0;  // Overlong.
  } else if ((b0 & 0xF0) == 0xE0) {
    if (input.size() < 3) return 0;
    const auto b1 = static_cast<unsigned char>(input[1]);
    const auto b2 = static_cast<unsigned char>(input[2]);
    if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) return 0;
    cp = ((b0 & 0xF) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
    *n = 3;
    if (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000)) return 0;  // Malformed.
  } else {
    return 0;
  }
  std::atomic<uint64_t>& slot = char_.get()[cp];
  uint64_t e = slot.load(std::memory_order_relaxed);
  if (e == 0) {
    e = ComputeCharEntry(input.substr(0, *n));
    slot.store(e, std::memory_order_relaxed);
  }
  return (e & 3) == kCharComplex ? 0 : e;
}

size_t Normalizer::TableIdentityLen(std::string_view input, size_t i) const {
  size_t n = 0;
  const uint64_t e = CharEntry(input.substr(i), &n);
  if ((e & 3) != kCharIdentity) return 0;
  const auto node = static_cast<uint32_t>(e >> 32);
  if (node == 0) return n;
  // A longer rule matching here would replace the character.
  return RuleContinues(input, i + n, node) ? 0 : n;
}

bool Normalizer::PrefixFromTable(std::string_view input,
                                 std::pair<std::string_view, size_t>* out) const {
  size_t n = 0;
  const uint64_t e = CharEntry(input, &n);
  if (e == 0) return false;
  const uint64_t state = e & 3;
  if (const auto node0 = static_cast<uint32_t>(e >> 32); node0 != 0) {
    // Longer rules continue from here: CommonPrefixSearch() past the
    // character.
    int matches = state == kCharRule ? 1 : 0;
    size_t longest = 0;
    int value = 0;
    uint32_t node = node0;
    for (size_t i = n; i < input.size() && matches < kMaxPrefixMatches; ++i) {
      const int v = trie_.Traverse(&node, static_cast<unsigned char>(input[i]));
      if (v == DoubleArray::kNoPath) break;
      if (v >= 0) {
        longest = i + 1;
        value = v;
        ++matches;
      }
    }
    if (longest > 0) {
      *out = PoolTarget(value, longest);
      return true;
    }
  }
  if (state == kCharRule) {
    *out = RuleTarget(e, n);
  } else {
    *out = {input.substr(0, n), n};
  }
  return true;
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
      if constexpr (kAlign) norm_to_orig->insert(norm_to_orig->end(), len, consumed + run);
      run += len;
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
