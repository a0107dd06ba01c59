// The tables a normalizer derives from its rules and user-defined symbols
// (computed at load, or as text meets them), so that most characters are
// settled without a trie walk: plain bytes, ASCII runs and rules, the
// three-byte bitmap, and the per-character table.

#include "normalizer/normalizer.h"

#include <algorithm>
#include <atomic>

#include "common/utf8.h"

namespace sentencepiece {

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
  ComputeSeparators();
}

void Normalizer::ComputeSeparators() {
  other_separators_ = false;
  for (int b = 1; b < 0x20; ++b) {
    const auto c = static_cast<unsigned char>(b);
    const char text = static_cast<char>(c);
    // (Only where a space itself is isolated: no rule rewrites it or has
    // it in its source, no symbol holds it. Else the space would read
    // unlike the space a separator becomes, which no rule sees.)
    bool is = !trie_.empty() && spaces_always_isolated_ && !in_longer_rule_[c] &&
              !(matcher_ != nullptr && matcher_->ContainsByte(c));
    if (is) {
      const auto [chunk, len] = NormalizePrefix(std::string_view(&text, 1));
      is = len == 1 && chunk == " ";
    }
    separator_[c] = is;
    other_separators_ |= is;
  }
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
    // The entries, then Followers3().
    char_ = ZeroPageArray<std::atomic<uint64_t>>::TryAllocate(65536 + 1024);
    if (!char_) std::fill(std::begin(table_lead_), std::end(table_lead_), false);
  }
  plain3_.fill(0);
  for (int lead = 0xE0; lead < 0xF0; ++lead) {
    if (plain_[lead]) {
      // Every well-formed character of a plain lead byte: so that
      // IdentityCharLen() settles any three-byte character (kanji and kana
      // alike) from the bitmap first, one branch whichever block it is in.
      // (Overlong forms and surrogates end on 64-aligned code points: a
      // word of the bitmap is all in or all out.)
      for (uint32_t w = (lead & 0xFu) << 6; w < ((lead & 0xFu) + 1) << 6; ++w) {
        const uint32_t cp = w << 6;
        if (cp >= 0x800 && (cp < 0xD800 || cp >= 0xE000)) plain3_[w] = ~uint64_t{0};
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
  // run3_ starts as plain3_ (less the followers recorded so far: entries
  // outlive a new matcher); kana come back as they are seen again.
  std::lock_guard<std::mutex> lock(run3_mu_);
  for (size_t w = 0; w < plain3_.size(); ++w) {
    const uint64_t followers = char_ ? Followers3()[w].load(std::memory_order_relaxed) : 0;
    run3_[w].store(plain3_[w] & ~followers, std::memory_order_relaxed);
  }
}

void Normalizer::AdmitRun3(uint32_t cp) const {
  const uint64_t bit = uint64_t{1} << (cp & 63);
  std::lock_guard<std::mutex> lock(run3_mu_);
  // A follower stays out for good: RecordFollowers3() sets its bit under
  // the same lock before it removes it.
  if (Followers3()[cp >> 6].load(std::memory_order_relaxed) & bit) return;
  run3_[cp >> 6].fetch_or(bit, std::memory_order_release);
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
// rule ends there either). For a three-byte character without bit 11, bit
// 29 says that a longer rule continuing with a three-byte character starts
// with one whose bit is set in Followers3() (set before the entry is
// stored).

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
    } else if (first.count > 0 && c.size() == 3 && RecordFollowers3(node)) {
      entry |= kCharNext3;
    }
  }
  return entry;
}

bool Normalizer::RecordFollowers3(uint32_t node) const {
  // A follower leaves run3_ (for good: see AdmitRun3()) before the entry
  // that stands for it is stored.
  std::lock_guard<std::mutex> lock(run3_mu_);
  // Only continuations through a three-byte lead byte can match a
  // three-byte character; a rule that ends after one or two of its bytes
  // would match any character starting with them, which the bitmap cannot
  // say.
  for (int b0 = 0xE0; b0 < 0xF0; ++b0) {
    uint32_t n0 = node;
    const int r0 = trie_.Traverse(&n0, static_cast<unsigned char>(b0));
    if (r0 == DoubleArray::kNoPath) continue;
    if (r0 >= 0) return false;
    for (int b1 = 0x80; b1 < 0xC0; ++b1) {
      uint32_t n1 = n0;
      const int r1 = trie_.Traverse(&n1, static_cast<unsigned char>(b1));
      if (r1 == DoubleArray::kNoPath) continue;
      if (r1 >= 0) return false;
      for (int b2 = 0x80; b2 < 0xC0; ++b2) {
        uint32_t n2 = n1;
        if (trie_.Traverse(&n2, static_cast<unsigned char>(b2)) == DoubleArray::kNoPath) continue;
        const uint32_t cp = ((b0 & 0xFu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
        const uint64_t bit = uint64_t{1} << (cp & 63);
        Followers3()[cp >> 6].fetch_or(bit, std::memory_order_relaxed);
        run3_[cp >> 6].fetch_and(~bit, std::memory_order_relaxed);
      }
    }
  }
  return true;
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
    // Release: the Followers3() bits a kCharNext3 entry stands for.
    slot.store(e, std::memory_order_release);
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

}  // namespace sentencepiece
