#include "encoder/bpe_model.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <queue>
#include <random>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "common/random.h"
#include "common/slice.h"
#include "common/status_macros.h"
#include "common/utf8.h"

namespace sentencepiece {

namespace {

// NORMAL, USER_DEFINED and UNUSED pieces: Vocabulary::FindNormalPiece()'s.
bool IsNormalTable(PieceType t) {
  return t == ModelProto::SentencePiece::NORMAL || t == ModelProto::SentencePiece::USER_DEFINED ||
         t == ModelProto::SentencePiece::UNUSED;
}

struct CachedSegment {
  uint16_t offset;
  uint16_t length;
  int32_t id;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Model>> BpeModel::Create(const ModelProto& proto,
                                                        Vocabulary vocab) {
  std::unique_ptr<BpeModel> m(new BpeModel(proto, std::move(vocab)));
  // PieceToId() prefers a reserved piece with the same string, so a
  // non-reserved piece shadowed by one outputs the reserved id (rare: the
  // output table exists only then). The per-character tables and the
  // splitter come on first need (BuildTables()).
  const Vocabulary& v = m->vocab_;
  for (int id : v.reserved_ids()) {
    const int normal = v.FindNormalPiece(v.IdToPiece(id));
    if (normal < 0) continue;
    if (m->output_id_.empty()) {
      m->output_id_.resize(v.size());
      for (int i = 0; i < v.size(); ++i) m->output_id_[i] = i;
    }
    m->output_id_[normal] = v.PieceToId(v.IdToPiece(id));
  }
  if (PairCache::Fits(v.size())) m->pairs_ = std::make_unique<PairCache>();
  return std::unique_ptr<Model>(std::move(m));
}

void BpeModel::BuildTables() const {
  // Any merge result is a piece of the non-reserved table: they feed the
  // splitter and the merge filter. Single characters are indexed by their
  // packed bytes.
  const Vocabulary& v = vocab_;
  for (int id = 0; id < v.size(); ++id) {
    if (!IsNormalTable(v.GetType(id))) continue;
    // (NaN fails the test too.)
    if (!(v.GetScore(id) > -std::numeric_limits<float>::infinity())) {
      scores_above_minus_inf_ = false;
    }
    const std::string_view p = v.IdToPiece(id);
    splitter_.Add(p);
    merge_starts_.Add(p);
    // Every string an initial symbol can be: one character as judged by
    // its lead byte, possibly cut short by the end of the text. A piece of
    // the non-reserved table is found there under its own id (strings are
    // unique within a table).
    if (p.size() <= utf8::OneCharLen(p[0])) char_ids_[utf8::PackChar(p)] = id;
  }
  // calloc: fresh zero pages, no fill. Without it (no memory) CharId()
  // takes the map: slower, same ids.
  three_byte_ids_.reset(static_cast<int32_t*>(std::calloc(65536, sizeof(int32_t))));
  for (const auto& [packed, id] : char_ids_) {
    // utf8::PackChar(): the length above the bytes.
    if ((packed >> 16) == 2) {
      const char c[2] = {static_cast<char>(packed >> 8), static_cast<char>(packed)};
      const int index = utf8::TwoByteIndex(std::string_view(c, 2));
      if (index >= 0) two_byte_ids_[index] = id + 1;
    } else if ((packed >> 24) == 3 && three_byte_ids_ != nullptr) {
      const char c[3] = {static_cast<char>(packed >> 16), static_cast<char>(packed >> 8),
                         static_cast<char>(packed)};
      const int index = utf8::ThreeByteIndex(std::string_view(c, 3));
      if (index >= 0) three_byte_ids_[index] = id + 1;
    }
  }
  for (int c = 0; c < 128; ++c) {
    const char ch = static_cast<char>(c);
    ascii_ids_[c] = CharIdSlow(std::string_view(&ch, 1));
  }
  BuildSmallPairs();
  const PrefixMatcher& matcher = v.user_defined_matcher();
  ascii_parts_ = !matcher.MayStartWith(static_cast<unsigned char>(utf8::kSpaceSymbol[0]));
  for (int c = 0; c < 128; ++c) ascii_parts_ = ascii_parts_ && !matcher.MayStartWith(c);
  tables_ready_.store(true, std::memory_order_release);
}

void BpeModel::BuildSmallPairs() const {
  const Vocabulary& v = vocab_;
  small_index_.assign(v.size(), kNotSmall);
  small_pairs_.assign(kSmallSymbols * kSmallSymbols, -1);
  // A piece's small index if it is one small symbol, else kNotSmall.
  auto small_of = [](std::string_view p) -> unsigned {
    if (p.size() == 1 && static_cast<unsigned char>(p[0]) < 0x80) {
      return static_cast<unsigned char>(p[0]);
    }
    return p == utf8::kSpaceSymbol ? kSmallSymbols - 1 : kNotSmall;
  };
  for (int id = 0; id < v.size(); ++id) {
    if (!IsNormalTable(v.GetType(id))) continue;
    const std::string_view p = v.IdToPiece(id);
    if (const unsigned s = small_of(p); s != kNotSmall) {
      small_index_[id] = static_cast<uint16_t>(s);
      continue;
    }
    // Two small symbols: ASCII and ASCII, `▁` and ASCII, or either way
    // round with two `▁`s.
    const size_t space = utf8::kSpaceSymbol.size();
    for (size_t cut : {size_t{1}, space}) {
      if (cut >= p.size()) continue;
      const unsigned a = small_of(p.substr(0, cut));
      const unsigned b = small_of(p.substr(cut));
      if (a != kNotSmall && b != kNotSmall) small_pairs_[a * kSmallSymbols + b] = id;
    }
  }
}

std::unique_ptr<PieceFilter> BpeModel::BuildPieceFilter() const {
  auto filter = std::make_unique<PieceFilter>();
  for (int id = 0; id < vocab_.size(); ++id) {
    if (IsNormalTable(vocab_.GetType(id))) filter->Add(vocab_.IdToPiece(id));
  }
  return filter;
}

int BpeModel::CharIdSlow(std::string_view c) const {
  if (c.size() > 4) return -1;
  auto it = char_ids_.find(utf8::PackChar(c));
  return it == char_ids_.end() ? -1 : it->second;
}

void BpeModel::EncodeWords(std::string_view normalized, EncodeResult* out,
                           const SegmentSink* consume) const {
  out->clear();
  // A model's first few texts go whole, without the tables (exact: the
  // reference merges whole texts too); then the tables are built.
  if (!tables_ready()) {
    if (normalized.size() <= kColdBytes && !vocab_.has_unused() &&
        cold_texts_.load(std::memory_order_relaxed) < kColdTexts) {
      cold_texts_.fetch_add(1, std::memory_order_relaxed);
      if (!EncodeShortImpl<false>(normalized, out)) HeapEncodeImpl<false>(normalized, 0.0f, out);
      return HandOverRest(out, consume);
    }
    EnsureTables();
  }
  // UNUSED pieces are re-split by the merge history of the whole text, so
  // words are not independent then.
  if (normalized.empty() || vocab_.has_unused()) {
    SampleEncode(normalized, 0.0f, out);
    HandOverRest(out, consume);
    return;
  }
  WordCache* cache = cache_.Get(uid());
  thread_local EncodeResult local_storage;
  EncodeResult& local = local_storage;  // (No per-use thread_local checks.)
  const PrefixMatcher& matcher = vocab_.user_defined_matcher();
  auto step = [&matcher](std::string_view t, size_t pos) {
    bool found;
    return matcher.PrefixMatch(t.substr(pos), &found);
  };
  auto segment_word = [&](size_t begin, size_t end) {
    const std::string_view word = normalized.substr(begin, end - begin);
    // Long words, and runs of unspaced scripts, which rarely repeat, are
    // never stored, so never looked up either.
    if (word.size() > WordCache::kMaxWordBytes || LikelyUnrepeated(word)) {
      EncodeWordInParts(word, &local, [&](const EncodeResult& part) {
        out->insert(out->end(), part.begin(), part.end());
        HandOver(out, consume);
      });
      return;
    }
    const uint64_t hash = HashWord(word);
    if (const WordCache::Entry* hit = cache->Find(word, hash)) {
      AppendCached(*hit, word, out);
      return;
    }
    EncodeNewWord(word, &local);
    Store(cache, word, hash, local);
    out->insert(out->end(), local.begin(), local.end());
  };
  splitter_.Split(normalized, step, [&](size_t begin, size_t end) {
    segment_word(begin, end);
    HandOver(out, consume);
  });
  HandOverRest(out, consume);
}

void BpeModel::SampleEncode(std::string_view normalized, float dropout,
                            EncodeResult* out) const {
  out->clear();
  if (normalized.empty()) return;
  EnsureTables();
  if (dropout <= 0.0f && (EncodeShort(normalized, out) || EncodeLong(normalized, out, nullptr))) {
    return;
  }
  HeapEncode(normalized, dropout, out);
}

void BpeModel::EncodeWordInParts(std::string_view text, EncodeResult* buffer,
                                 SegmentSink consume) const {
  buffer->clear();
  if (text.empty()) return;
  EnsureTables();
  // Such a text is mostly a run of an unspaced script: cut into parts
  // first (most parts are single characters, which merge with nothing),
  // rather than merged whole, once the model is warm (before, a short
  // text should not pay for building the cuts' table). zh under llama2:
  // -4%.
  const bool done = warm() ? EncodeLong(text, buffer, &consume) || EncodeShort(text, buffer)
                           : EncodeShort(text, buffer) || EncodeLong(text, buffer, &consume);
  if (!done) HeapEncode(text, 0.0f, buffer);
  HandOverRest(buffer, &consume);
}

bool BpeModel::EncodeLong(std::string_view text, EncodeResult* out,
                          const SegmentSink* consume) const {
  if (vocab_.has_unused()) return false;
  const CharAdjacency* adjacency = AdjacencyIfFree(text.size());
  if (adjacency == nullptr) return false;
  ForEachPart(text, *adjacency, [this, out, consume](std::string_view part, bool one_char) {
    if (one_char) {
      AppendChar(part, out);
    } else if (!EncodeShort(part, out)) {
      HeapEncode(part, 0.0f, out);
    }
    HandOver(out, consume);
  });
  return true;
}

template <typename Fn>
bool BpeModel::ForEachAsciiPart(std::string_view text, const CharAdjacency& adjacency,
                                Fn& part_fn) const {
  const size_t n = text.size();
  if (!ascii_parts_ || n > 64) return false;
  const auto* d = reinterpret_cast<const unsigned char*>(text.data());
  constexpr auto space_lead = static_cast<unsigned char>(utf8::kSpaceSymbol[0]);
  uint64_t cuts = 0;  // Bit i: a cut before byte i.
  // The symbol at `pos` (its small index) and its length; false if it is
  // neither an ASCII byte nor `▁`.
  auto symbol_at = [text, d](size_t pos, int* symbol, size_t* len) {
    *symbol = d[pos];
    *len = 1;
    if (*symbol < 0x80) return true;
    *symbol = CharAdjacency::kSpaceIndex;
    *len = utf8::kSpaceSymbol.size();
    return text.substr(pos, *len) == utf8::kSpaceSymbol;
  };
  int prev;  // The previous symbol.
  size_t pos;
  if (n == 0 || !symbol_at(0, &prev, &pos)) return false;
  while (pos < n) {
    int symbol;
    size_t len;
    if (!symbol_at(pos, &symbol, &len)) return false;
    // (Or'ed in whatever it says: a branch on it was mispredicted at
    // about every cut.)
    cuts |= uint64_t{adjacency.NeverAdjacentSmall(prev, symbol)} << pos;
    prev = symbol;
    pos += len;
  }
  // A part is one symbol when it is one byte, or three starting with `▁`'s
  // first byte (a `▁`: no other symbol here starts with it).
  auto one_symbol = [d](size_t begin, size_t end) {
    return end - begin == 1 ||
           (end - begin == utf8::kSpaceSymbol.size() && d[begin] == space_lead);
  };
  size_t part = 0;
  for (; cuts != 0; cuts &= cuts - 1) {
    const auto cut = static_cast<size_t>(__builtin_ctzll(cuts));
    part_fn(Slice(text, part, cut), one_symbol(part, cut));
    part = cut;
  }
  part_fn(Slice(text, part, n), one_symbol(part, n));
  return true;
}

template <typename Fn>
void BpeModel::ForEachPart(std::string_view text, const CharAdjacency& adjacency,
                           Fn&& part_fn) const {
  if (ForEachAsciiPart(text, adjacency, part_fn)) return;
  // Cut between two symbols that are single characters no piece has side
  // by side (user-defined symbols are never cut around).
  const PrefixMatcher& matcher = vocab_.user_defined_matcher();
  size_t part = 0;
  std::string_view prev;  // The previous symbol, if a single character,
  CharAdjacency::Key prev_key{};  // and its key.
  for (size_t pos = 0; pos < text.size();) {
    // An ASCII byte no user-defined symbol starts with (most bytes of
    // most words) is a whole character of its own, without the lookups.
    // So is a well-formed three-byte character (most of CJK).
    const auto lead = static_cast<unsigned char>(text[pos]);
    const bool plain = !matcher.MayStartWith(lead) &&
                       (lead < 0x80 ||
                        utf8::StartsWithWholeThreeByteChar(Slice(text, pos, text.size())));
    bool frozen = false;
    size_t len;
    if (plain) {
      len = lead < 0x80 ? 1 : 3;
    } else {
      len = matcher.PrefixMatch(Slice(text, pos, text.size()), &frozen);
    }
    const std::string_view symbol = Slice(text, pos, pos + len);
    const bool one_char = plain || (!frozen && utf8::IsWholeChar(symbol));
    if (one_char) {
      const CharAdjacency::Key key =
          len == 1 && lead < 0x80 ? CharAdjacency::AsciiKey(lead) : CharAdjacency::KeyOf(symbol);
      if (!prev.empty() && adjacency.NeverAdjacent(prev_key, key)) {
        // (The part is that previous symbol alone if it began there.)
        part_fn(Slice(text, part, pos), prev.data() == text.data() + part);
        part = pos;
      }
      prev_key = key;
    }
    prev = one_char ? symbol : std::string_view();
    pos += len;
  }
  part_fn(Slice(text, part, text.size()), !prev.empty() && prev.data() == text.data() + part);
}

void BpeModel::AppendCached(const WordCache::Entry& entry, std::string_view word,
                            EncodeResult* out) {
  const auto* segs = static_cast<const CachedSegment*>(entry.value());
  const size_t n = entry.value_size / sizeof(CachedSegment);
  for (size_t i = 0; i < n; ++i) {
    AppendPiece(out, word.substr(segs[i].offset, segs[i].length), segs[i].id);
  }
}

void BpeModel::Store(WordCache* cache, std::string_view word, uint64_t hash,
                     const EncodeResult& segments) {
  if (word.size() > WordCache::kMaxWordBytes) return;
  thread_local std::vector<CachedSegment> value;
  value.clear();
  for (const EncodedPiece& p : segments) {
    value.push_back({static_cast<uint16_t>(p.piece.data() - word.data()),
                     static_cast<uint16_t>(p.piece.size()), p.id});
  }
  cache->Insert(word, hash, value.data(), value.size() * sizeof(CachedSegment));
}

void BpeModel::EncodeNewWord(std::string_view word, EncodeResult* out) const {
  EnsureTables();
  // Before the model is warm, a first encode should not pay for building
  // the adjacency filter.
  const CharAdjacency* adjacency =
      vocab_.has_unused() || !warm() ? nullptr : AdjacencyIfFree(word.size());
  // Each part, and for a part other than a lone character (which merges
  // with nothing: no lookup) its hash; the lookups' memory is asked for up
  // front so that they overlap.
  struct Part {  // (Trivial: the array below is not filled up front.)
    const char* data;
    size_t size;
    uint64_t hash;
    bool one_char;
    std::string_view text() const { return {data, size}; }
  };
  // (In place: a thread's vector cost ~25 instructions a part in its
  // out-of-line push_back.) A word of more parts, rare, goes whole.
  constexpr size_t kMaxParts = 64;
  Part parts[kMaxParts];
  size_t num_parts = 0;
  // The parts other than lone characters, by index: the loops below that
  // look at those alone have no test to mispredict (one on `one_char` in
  // each was mispredicted about as often as it was false).
  uint8_t looked_up[kMaxParts];
  size_t num_looked_up = 0;
  if (adjacency != nullptr) {
    ForEachPart(word, *adjacency, [&](std::string_view part, bool one_char) {
      if (num_parts < kMaxParts) {
        parts[num_parts] = {part.data(), part.size(), 0, one_char};
        looked_up[num_looked_up] = static_cast<uint8_t>(num_parts);
        num_looked_up += !one_char;
      }
      ++num_parts;
    });
  }
  if (num_parts < 2 || num_parts > kMaxParts) {
    SampleEncode(word, 0.0f, out);
    return;
  }
  out->clear();
  WordCache* cache = cache_.Get(uid());
  for (size_t j = 0; j < num_looked_up; ++j) {
    Part& p = parts[looked_up[j]];
    p.hash = HashWord(p.text());
    cache->PrefetchSlot(p.hash);
  }
  for (size_t j = 0; j < num_looked_up; ++j) cache->PrefetchEntry(parts[looked_up[j]].hash);
  thread_local EncodeResult local_storage;
  EncodeResult& local = local_storage;
  for (size_t i = 0; i < num_parts; ++i) {
    const Part& p = parts[i];
    if (p.one_char) {
      AppendChar(p.text(), out);
      continue;
    }
    if (const WordCache::Entry* hit = cache->Find(p.text(), p.hash)) {
      AppendCached(*hit, p.text(), out);
      continue;
    }
    SampleEncode(p.text(), 0.0f, &local);
    Store(cache, p.text(), p.hash, local);
    out->insert(out->end(), local.begin(), local.end());
  }
}

template <bool kTables>
void BpeModel::HeapEncodeImpl(std::string_view normalized, float dropout,
                              EncodeResult* out) const {
  if (normalized.empty()) return;
  // The symbols form a doubly linked list over the text; a merged-away
  // symbol keeps an empty piece.
  struct Symbol {
    int prev;
    int next;
    int id;       // Non-reserved piece id of `piece`, or -1.
    bool frozen;  // A user-defined symbol: never merged.
    std::string_view piece;
  };
  // A candidate merge of symbols `left` and `left`'s next neighbour, valid
  // only while both still have the sizes they had when it was queued.
  struct Pair {
    float score;
    int left;
    int right;
    int id;
    size_t size;
  };
  struct Lower {
    bool operator()(const Pair& a, const Pair& b) const {
      return a.score < b.score || (a.score == b.score && a.left > b.left);
    }
  };

  // Plain references: a thread_local with a constructor costs an
  // initialization check on every use, lambdas included.
  thread_local std::vector<Symbol> symbols_storage;
  thread_local std::vector<Pair> heap_storage;
  std::vector<Symbol>& symbols = symbols_storage;
  std::vector<Pair>& heap = heap_storage;
  symbols.clear();
  heap.clear();
  const PrefixMatcher& matcher = vocab_.user_defined_matcher();
  for (std::string_view rest = normalized; !rest.empty();) {
    bool frozen = false;
    const size_t len = matcher.PrefixMatch(rest, &frozen);
    const int index = static_cast<int>(symbols.size());
    const std::string_view piece = rest.substr(0, len);
    const int id = InitialId<kTables>(piece, frozen);
    symbols.push_back({index - 1, rest.size() == len ? -1 : index + 1, id, frozen, piece});
    rest.remove_prefix(len);
  }

  // Halves of every UNUSED piece that a merge produced.
  absl::flat_hash_map<std::string_view, std::pair<std::string_view, std::string_view>> unused_halves;
  const bool any_unused = vocab_.has_unused();

  const PieceFilter* filter = kTables ? WarmPieceFilter() : nullptr;
  auto maybe_queue = [&](int left, int right) {
    if (left < 0 || right < 0 || symbols[left].frozen || symbols[right].frozen) return;
    const std::string_view merged(symbols[left].piece.data(),
                                  symbols[left].piece.size() + symbols[right].piece.size());
    if (!MayMergeIf<kTables>(merged, filter)) return;
    const int id = MergeId<kTables>(symbols[left].id, symbols[right].id, merged, filter != nullptr);
    if (id < 0) return;
    heap.push_back({vocab_.GetScore(id), left, right, id, merged.size()});
    std::push_heap(heap.begin(), heap.end(), Lower());
    if (any_unused && vocab_.IsUnused(id)) {
      unused_halves[merged] = {symbols[left].piece, symbols[right].piece};
    }
  };

  for (int i = 1; i < static_cast<int>(symbols.size()); ++i) maybe_queue(i - 1, i);

  // BPE-dropout: the draw happens only for merges that are still valid.
  std::mt19937* rng = nullptr;
  auto skip_merge = [&]() {
    if (dropout <= 0.0f) return false;
    if (dropout >= 1.0f) return true;
    if (rng == nullptr) rng = random::GetGenerator();
    std::uniform_real_distribution<> uniform(0.0, 1.0);
    return uniform(*rng) < dropout;
  };

  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), Lower());
    const Pair top = heap.back();
    heap.pop_back();
    Symbol& left = symbols[top.left];
    Symbol& right = symbols[top.right];
    if (left.piece.empty() || right.piece.empty() ||
        left.piece.size() + right.piece.size() != top.size) {
      continue;  // Stale: one side has changed since.
    }
    if (skip_merge()) continue;
    left.piece = std::string_view(left.piece.data(), top.size);
    left.id = top.id;
    left.next = right.next;
    if (right.next >= 0) symbols[right.next].prev = top.left;
    right.piece = std::string_view();
    maybe_queue(left.prev, top.left);
    maybe_queue(top.left, left.next);
  }

  // Emits `piece`, splitting UNUSED pieces back into their halves.
  auto emit = [&](std::string_view piece, int id, auto&& self) -> void {
    const int out_id = SymbolOutputId(piece, id);
    if (any_unused && vocab_.IsUnused(out_id)) {
      if (auto it = unused_halves.find(piece); it != unused_halves.end()) {
        self(it->second.first, vocab_.FindNormalPiece(it->second.first), self);
        self(it->second.second, vocab_.FindNormalPiece(it->second.second), self);
        return;
      }
    }
    AppendPiece(out, piece, out_id);
  };
  for (int i = 0; i >= 0; i = symbols[i].next) emit(symbols[i].piece, symbols[i].id, emit);
}

template void BpeModel::HeapEncodeImpl<true>(std::string_view, float, EncodeResult*) const;
template void BpeModel::HeapEncodeImpl<false>(std::string_view, float, EncodeResult*) const;

}  // namespace sentencepiece
