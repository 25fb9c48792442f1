// Evaluation of the stance analyzer on a labelled JSON Lines file
// (/work/shared/data/stance/dev.jsonl format, GUIDELINES.md section 7): runs
// the server's text pipeline, the entities finder and the stance analyzer on
// each item, and scores the item's label and actor.
//
// The item's predicted label: the stance of the first statement whose
// actor matches the gold actor (preferring one with a FAVOR or AGAINST
// stance); if none matches, the first statement with a FAVOR or AGAINST
// stance (the main statement); else NONE.
//
// Actor matching (lenient, as GUIDELINES.md section 4): the predicted
// actor span overlaps an occurrence of the gold actor string in the text, or
// the normalized predicted name (lower-cased, leading determiners and
// punctuation removed) contains the normalized gold string or is contained
// in it.
#ifndef NLPD_TRAINING_STANCE_STANCE_EVAL_H_
#define NLPD_TRAINING_STANCE_STANCE_EVAL_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlpd/v1/document.pb.h"
#include "nlpd/v1/results.pb.h"

namespace nlpd::stance {

// The server's path for the stance analysis, in process: text pipeline,
// entities finder (embedded de/en models, the plugin's default threshold),
// stance analyzer (embedded lexicons). Immutable after Create; Run is
// thread-safe.
class StancePipeline {
 public:
  struct Analysis {
    nlpd::v1::Document document;
    nlpd::v1::EntitiesResult entities;
    nlpd::v1::StanceResult stance;
  };

  // Internal when ICU data or a model cannot be loaded; InvalidArgument for
  // a malformed lexicon.
  static absl::StatusOr<std::unique_ptr<StancePipeline>> Create();
  ~StancePipeline();

  // Analyzes `text` in `language`. For a language without an entities
  // model the stance is left empty, as the server skips the plugin there.
  absl::StatusOr<Analysis> Run(const std::string& text,
                               const std::string& language) const;

 private:
  struct Parts;
  explicit StancePipeline(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

struct ItemOutcome {
  std::string id;
  std::string language;
  std::string text;
  std::string gold_stance;  // "FAVOR", "AGAINST", "NONE"
  std::string gold_actor;   // empty for null
  std::string predicted_stance;
  std::string predicted_actor;  // of the statement that decided
  bool actor_matches = false;   // lenient
  bool actor_exact = false;
  // A statement has the gold actor and the gold stance (FAVOR/AGAINST items
  // with a gold actor).
  bool statement_found = false;
};

struct LanguageScores {
  int items = 0;
  double f_favor = 0, f_against = 0, f_avg = 0, accuracy = 0;
  int actor_items = 0, actor_lenient = 0, actor_exact = 0;
  int stance_items = 0, statements_found = 0;
};

struct Evaluation {
  std::vector<ItemOutcome> items;
  // By language, and "all".
  std::map<std::string, LanguageScores> scores;
  // A fixed-format table of the scores.
  std::string Table() const;
};

// Runs the pipeline, the entities finder and the stance analyzer on one
// document and renders the StanceResult readably (statements, actors,
// balance, events). Errors as EvaluateStance.
absl::StatusOr<std::string> DescribeDocument(const std::string& text,
                                             const std::string& language);

// Evaluates the embedded lexicons on `jsonl_path`. NotFound when the file is
// absent; Internal when the pipeline or a model cannot be loaded;
// InvalidArgument for a malformed line.
absl::StatusOr<Evaluation> EvaluateStance(const std::string& jsonl_path);

}  // namespace nlpd::stance

#endif  // NLPD_TRAINING_STANCE_STANCE_EVAL_H_
