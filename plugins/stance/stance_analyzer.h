// The stance analysis of one document: per sentence, the cues that carry a
// position on escalation (cue_matcher.h), the actor who holds it
// (attribution.h; pronouns resolved to the last named speaker or subject
// that agrees in gender and number), and the
// statement with its stance and confidence; then the per-actor summaries,
// the document balance and the reported escalation events
// (document_summary.h).
#ifndef NLPD_PLUGINS_STANCE_STANCE_ANALYZER_H_
#define NLPD_PLUGINS_STANCE_STANCE_ANALYZER_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "language_data.h"
#include "lexicon.h"
#include "nlpd/v1/document.pb.h"
#include "nlpd/v1/results.pb.h"

namespace nlpd::stance {

class StanceAnalyzer {
 public:
  // Loads one lexicon per language from `languages` (language tag -> its
  // lexicon files in load order; language_data.h). Returns InvalidArgument
  // naming the file and line of the first mistake (Lexicon::Load). The
  // texts need only live for the call.
  static absl::StatusOr<std::unique_ptr<StanceAnalyzer>> Create(
      const LanguageFiles& languages);

  // The languages with a lexicon.
  std::vector<std::string> Languages() const;

  // Analyzes `document` (as the server's text pipeline made it) with the
  // entities `entities` found in it. Returns InvalidArgument when there is no
  // lexicon for the document's language (its primary subtag). Thread-safe:
  // the analyzer is immutable after Create.
  absl::StatusOr<nlpd::v1::StanceResult> Analyze(
      const nlpd::v1::Document& document,
      const nlpd::v1::EntitiesResult& entities) const;

  // The same, stopping early when the result is no longer wanted: polls
  // `should_stop` once per sentence and, once it returns true, returns
  // sdk::Call::CancelledError() (CANCELLED) without a result. Thread-safe
  // when `should_stop` is.
  absl::StatusOr<nlpd::v1::StanceResult> Analyze(
      const nlpd::v1::Document& document,
      const nlpd::v1::EntitiesResult& entities,
      absl::FunctionRef<bool()> should_stop) const;

 private:
  StanceAnalyzer() = default;
  std::map<std::string, Lexicon, std::less<>> lexicons_;
};

}  // namespace nlpd::stance

#endif  // NLPD_PLUGINS_STANCE_STANCE_ANALYZER_H_
