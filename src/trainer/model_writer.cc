#include "trainer/model_writer.h"

#include <unistd.h>

#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/file_io.h"
#include "common/utf8.h"
#include "sentencepiece_processor.h"
#include "trainer/training_log.h"

namespace sentencepiece {
namespace {

absl::Status CheckPiece(const std::string& piece, std::set<std::string>* seen) {
  if (piece.empty()) return absl::InvalidArgumentError("piece must not be empty.");
  if (!utf8::IsStructurallyValid(piece)) {
    return absl::InvalidArgumentError(absl::StrCat("piece is not valid UTF-8: ", piece));
  }
  if (!seen->insert(piece).second) {
    return absl::InvalidArgumentError(absl::StrCat(piece, " is already defined"));
  }
  return absl::OkStatus();
}

absl::Status AddSelfTestSamples(const std::vector<std::string>& samples, ModelProto* model) {
  if (samples.empty()) return absl::OkStatus();
  SentencePieceProcessor sp;
  if (util::Status s = sp.Load(*model); !s.ok()) {
    return absl::InternalError(absl::StrCat("cannot load the trained model: ", s.ToString()));
  }
  for (const std::string& input : samples) {
    std::vector<std::string> pieces;
    if (util::Status s = sp.Encode(input, &pieces); !s.ok()) {
      return absl::InternalError(absl::StrCat("self-test encoding failed: ", s.ToString()));
    }
    auto* sample = model->mutable_self_test_data()->add_samples();
    sample->set_input(input);
    sample->set_expected(absl::StrJoin(pieces, " "));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ModelProto> BuildModel(const TrainingResult& r) {
  ModelProto model;
  std::set<std::string> seen;
  const TrainerSpec& spec = r.trainer_spec;
  size_t next = 0;
  for (int id = 0; id < spec.vocab_size(); ++id) {
    if (auto it = r.meta_pieces.find(id); it != r.meta_pieces.end()) {
      if (model.pieces_size() != id) {
        // Not enough learned pieces to fill the ids before this meta piece.
        return absl::InvalidArgumentError(absl::StrFormat(
            "Vocabulary size too high (%d). Please set it to a value <= %d.", spec.vocab_size(),
            r.meta_pieces.size() + r.pieces.size()));
      }
      auto* p = model.add_pieces();
      p->set_piece(it->second.first);
      p->set_type(it->second.second);
      p->set_score(0.0f);
      if (absl::Status s = CheckPiece(p->piece(), &seen); !s.ok()) return s;
    } else if (next < r.pieces.size()) {
      const ScoredPiece& w = r.pieces[next++];
      auto* p = model.add_pieces();
      p->set_piece(w.first);
      p->set_score(w.second);
      if (absl::Status s = CheckPiece(p->piece(), &seen); !s.ok()) return s;
    }
  }
  if (next != r.pieces.size()) {
    return absl::InternalError(absl::StrCat("only ", next, " of ", r.pieces.size(),
                                            " learned pieces fit in the vocabulary"));
  }
  *model.mutable_trainer_spec() = spec;
  *model.mutable_normalizer_spec() = r.normalizer_spec;
  if (!r.denormalizer_spec.normalization_rule_tsv().empty()) {
    *model.mutable_denormalizer_spec() = r.denormalizer_spec;
  }
  if (!spec.hard_vocab_limit() || spec.model_type() == TrainerSpec::CHAR) {
    model.mutable_trainer_spec()->set_vocab_size(model.pieces_size());
  } else if (model.pieces_size() != spec.vocab_size()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("Vocabulary size too high (%d). Please set it to a value <= %d.",
                        spec.vocab_size(), model.pieces_size()));
  }
  if (absl::Status s = AddSelfTestSamples(r.self_test_samples, &model); !s.ok()) return s;
  return model;
}

std::string VocabText(const ModelProto& model, bool with_scores) {
  std::ostringstream os;
  for (const auto& p : model.pieces()) {
    os << p.piece();
    if (with_scores) os << "\t" << p.score();
    os << "\n";
  }
  return os.str();
}

absl::Status WriteModelFiles(const std::string& prefix, const ModelProto& model) {
  const std::string model_path = prefix + ".model";
  const std::string vocab_path = prefix + ".vocab";
  for (const auto& p : model.pieces()) {
    if (p.piece().find_first_of(" \t\r\n") != std::string::npos) {
      training_log::Warning(absl::StrCat("The piece [", p.piece(),
                                         "] contains escaped characters that break the format of ",
                                         vocab_path));
    }
  }
  training_log::Info(absl::StrCat("Saving model: ", model_path));
  training_log::Info(absl::StrCat("Saving vocabs: ", vocab_path));
  std::string bytes;
  if (!model.SerializeToString(&bytes)) {
    return absl::InternalError("cannot serialize the model");
  }
  // Through file_io's OutputFile, as the tools write: a temporary file
  // beside each (removed on an error or a fatal signal), renamed onto a
  // symbolic link's target rather than over the link.
  auto model_out = OutputFile::Open(model_path);
  if (!model_out.ok()) return model_out.status();
  auto vocab_out = OutputFile::Open(vocab_path);
  if (!vocab_out.ok()) return vocab_out.status();
  (*model_out)->Write(bytes);
  (*vocab_out)->Write(VocabText(model, model.trainer_spec().vocabulary_output_piece_score()));
  // Both complete on disk before either replaces an earlier run's file
  // (on an error, each OutputFile not closed removes its temporary file);
  // then the .vocab goes first so that a .model never stands beside a
  // stale .vocab.
  if (absl::Status s = (*model_out)->Sync(); !s.ok()) return s;
  if (absl::Status s = (*vocab_out)->Sync(); !s.ok()) return s;
  if (absl::Status s = (*vocab_out)->Close(); !s.ok()) return s;
  if (absl::Status s = (*model_out)->Close(); !s.ok()) {
    unlink(vocab_path.c_str());
    return s;
  }
  return absl::OkStatus();
}

}  // namespace sentencepiece
