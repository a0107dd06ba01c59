#include "encoder/bpe_model.h"

#include <queue>
#include <random>

#include "absl/container/flat_hash_map.h"
#include "common/random.h"
#include "common/status_macros.h"

namespace sentencepiece {

absl::StatusOr<std::unique_ptr<Model>> BpeModel::Create(const ModelProto& proto) {
  ASSIGN_OR_RETURN(Vocabulary vocab, Vocabulary::Create(proto));
  std::unique_ptr<BpeModel> m(new BpeModel(proto, std::move(vocab)));
  // Any merge result is a piece of the non-reserved table.
  std::vector<std::string_view> pieces;
  for (int id = 0; id < m->vocab_.size(); ++id) {
    if (m->vocab_.FindNormalPiece(m->vocab_.IdToPiece(id)) == id) {
      pieces.push_back(m->vocab_.IdToPiece(id));
    }
  }
  m->splitter_ = WordSplitter(pieces);
  return std::unique_ptr<Model>(std::move(m));
}

void BpeModel::SampleEncode(std::string_view normalized, float dropout,
                            EncodeResult* out) const {
  out->clear();
  if (normalized.empty()) return;

  // The symbols form a doubly linked list over the text; a merged-away
  // symbol keeps an empty piece.
  struct Symbol {
    int prev;
    int next;
    bool frozen;  // A user-defined symbol: never merged.
    std::string_view piece;
  };
  // A candidate merge of symbols `left` and `left`'s next neighbour, valid
  // only while both still have the sizes they had when it was queued.
  struct Pair {
    float score;
    int left;
    int right;
    size_t size;
  };
  struct Lower {
    bool operator()(const Pair& a, const Pair& b) const {
      return a.score < b.score || (a.score == b.score && a.left > b.left);
    }
  };

  std::vector<Symbol> symbols;
  symbols.reserve(normalized.size());
  const PrefixMatcher& matcher = vocab_.user_defined_matcher();
  for (std::string_view rest = normalized; !rest.empty();) {
    bool frozen = false;
    const size_t len = matcher.PrefixMatch(rest, &frozen);
    const int index = static_cast<int>(symbols.size());
    symbols.push_back({index - 1, rest.size() == len ? -1 : index + 1, frozen, rest.substr(0, len)});
    rest.remove_prefix(len);
  }

  std::priority_queue<Pair, std::vector<Pair>, Lower> agenda;
  // Halves of every UNUSED piece that a merge produced.
  absl::flat_hash_map<std::string_view, std::pair<std::string_view, std::string_view>> unused_halves;

  auto maybe_queue = [&](int left, int right) {
    if (left < 0 || right < 0 || symbols[left].frozen || symbols[right].frozen) return;
    const std::string_view merged(symbols[left].piece.data(),
                                  symbols[left].piece.size() + symbols[right].piece.size());
    const int id = vocab_.FindNormalPiece(merged);
    if (id < 0) return;
    agenda.push({vocab_.GetScore(id), left, right, merged.size()});
    if (vocab_.IsUnused(id)) unused_halves[merged] = {symbols[left].piece, symbols[right].piece};
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

  while (!agenda.empty()) {
    const Pair top = agenda.top();
    agenda.pop();
    Symbol& left = symbols[top.left];
    Symbol& right = symbols[top.right];
    if (left.piece.empty() || right.piece.empty() ||
        left.piece.size() + right.piece.size() != top.size) {
      continue;  // Stale: one side has changed since.
    }
    if (skip_merge()) continue;
    left.piece = std::string_view(left.piece.data(), top.size);
    left.next = right.next;
    if (right.next >= 0) symbols[right.next].prev = top.left;
    right.piece = std::string_view();
    maybe_queue(left.prev, top.left);
    maybe_queue(top.left, left.next);
  }

  // Emits `piece`, splitting UNUSED pieces back into their halves.
  auto emit = [&](std::string_view piece, auto&& self) -> void {
    const int id = vocab_.PieceToId(piece);
    if (vocab_.IsUnused(id)) {
      if (auto it = unused_halves.find(piece); it != unused_halves.end()) {
        self(it->second.first, self);
        self(it->second.second, self);
        return;
      }
    }
    out->push_back({piece, id});
  };
  for (int i = 0; i >= 0; i = symbols[i].next) emit(symbols[i].piece, emit);
}

}  // namespace sentencepiece
