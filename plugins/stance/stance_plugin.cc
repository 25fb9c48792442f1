// The "stance" plugin: statements that take a position on the escalation of
// a conflict, their actors (linked to the "entities" result), per-actor
// summaries, the document balance and reported escalation events, as
// nlpd.v1.StanceResult (the server puts it in AnalyzeResponse.stance). The
// languages are the folders lang/<tag>/, compiled in (language_data.h);
// the config adds cue files (plugin_config.h); see docs/STANCE.md.
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "language_data.h"
#include "nlpd/plugin_sdk.h"
#include "nlpd/v1/results.pb.h"
#include "plugin_config.h"
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
            .languages = Languages(),
            .dependencies = {"entities"}};
  }

  // Loads the embedded languages once, each followed by the extra cue
  // files the config names for it (plugin_config.h). InvalidArgument (or
  // NotFound for an unreadable file) naming the config line, or the file
  // and line of a mistake in a lexicon; the server then refuses the plugin.
  static absl::StatusOr<std::unique_ptr<StancePlugin>> Create(
      const sdk::CreateContext& context) {
    absl::StatusOr<std::vector<ExtraLexicon>> extras =
        LoadExtraLexicons(context.config);
    if (!extras.ok()) return extras.status();
    LanguageFiles languages = EmbeddedLanguages();
    for (const ExtraLexicon& extra : *extras) {
      auto it = languages.find(extra.language);
      if (it == languages.end()) {
        return absl::InvalidArgumentError(
            "stance config: cues for language \"" + extra.language +
            "\", which has no folder lang/" + extra.language + "/ (" +
            extra.path + ")");
      }
      it->second.push_back({.name = extra.path, .text = extra.text});
    }
    absl::StatusOr<std::unique_ptr<StanceAnalyzer>> analyzer =
        StanceAnalyzer::Create(languages);
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
  // The tags of the embedded language folders.
  static std::vector<std::string> Languages() {
    std::vector<std::string> tags;
    for (const auto& [tag, files] : EmbeddedLanguages()) tags.push_back(tag);
    return tags;
  }

  explicit StancePlugin(std::unique_ptr<StanceAnalyzer> analyzer)
      : analyzer_(std::move(analyzer)) {}
  std::unique_ptr<StanceAnalyzer> analyzer_;
};

}  // namespace nlpd::stance

NLPD_PLUGIN(nlpd::stance::StancePlugin)
