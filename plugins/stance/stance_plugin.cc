// The "stance" plugin: statements that take a position on the escalation of
// a conflict, their actors (linked to the "entities" result), per-actor
// summaries, the document balance and reported escalation events, as
// nlpd.v1.StanceResult (the server puts it in AnalyzeResponse.stance). The
// cue lexicons are compiled in (lexicon_data.cc); see docs/MODELS.md.
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "lexicon_data.h"
#include "nlpd/plugin_sdk.h"
#include "nlpd/v1/results.pb.h"
#include "stance_analyzer.h"

namespace nlpd::stance {

class StancePlugin {
 public:
  using Result = nlpd::v1::StanceResult;

  static sdk::PluginInfo Info() {
    return {.name = "stance",
            .version = "0.1.0",
            .description =
                "Stance toward escalation of a conflict (FAVOR, AGAINST, "
                "NONE) per statement and actor: cue lexicons, reported "
                "speech attribution",
            .languages = {"de", "en"},
            .dependencies = {"entities"}};
  }

  // Parses the embedded lexicons once. Takes no configuration; a non-empty
  // config is InvalidArgument.
  static absl::StatusOr<std::unique_ptr<StancePlugin>> Create(
      const sdk::CreateContext& context) {
    if (context.config.find_first_not_of(" \t\r\n") != std::string::npos) {
      return absl::InvalidArgumentError(
          "stance takes no configuration, got \"" +
          std::string(context.config) + "\"");
    }
    absl::StatusOr<std::unique_ptr<StanceAnalyzer>> analyzer =
        StanceAnalyzer::Create(EmbeddedLexicons());
    if (!analyzer.ok()) return analyzer.status();
    return std::unique_ptr<StancePlugin>(
        new StancePlugin(*std::move(analyzer)));
  }

  // Thread-safe: the analyzer is immutable. INVALID_ARGUMENT when the
  // entities result is missing or malformed. Checks `call` once per
  // sentence: CANCELLED (sdk::Call::CancelledError) once the result is no
  // longer wanted.
  absl::StatusOr<Result> Analyze(const nlpd::v1::PluginRequest& request,
                                 const sdk::Call& call) const {
    absl::StatusOr<nlpd::v1::EntitiesResult> entities =
        sdk::DependencyResult<nlpd::v1::EntitiesResult>(request, "entities");
    if (!entities.ok()) {
      return absl::InvalidArgumentError(
          std::string(entities.status().message()));
    }
    return analyzer_->Analyze(request.document(), *entities,
                              [&call] { return call.Cancelled(); });
  }

 private:
  explicit StancePlugin(std::unique_ptr<StanceAnalyzer> analyzer)
      : analyzer_(std::move(analyzer)) {}
  std::unique_ptr<StanceAnalyzer> analyzer_;
};

}  // namespace nlpd::stance

NLPD_PLUGIN(nlpd::stance::StancePlugin)
