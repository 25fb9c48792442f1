// The "entities" plugin: named entities (PER, LOC, ORG, MISC) with a
// confidence each, as nlpd.v1.EntitiesResult (the server puts it in
// AnalyzeResponse.entities). The tagger and its models are compiled in
// (model_data.cc); see docs/MODELS.md for how they were trained.
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "entity_finder.h"
#include "model_data.h"
#include "ner/tagger.h"
#include "nlpd/plugin_sdk.h"
#include "nlpd/v1/results.pb.h"

namespace nlpd::entities {

class EntitiesPlugin {
 public:
  using Result = nlpd::v1::EntitiesResult;

  static sdk::PluginInfo Info() {
    return {.name = "entities",
            .version = "0.1.0",
            .description =
                "Named entities (PER, LOC, ORG, MISC) with confidences: "
                "averaged perceptron, Viterbi",
            .languages = {"de", "en"}};
  }

  // Loads the embedded models; takes no configuration.
  static absl::StatusOr<std::unique_ptr<EntitiesPlugin>> Create(
      const sdk::CreateContext& context) {
    std::unique_ptr<EntitiesPlugin> plugin(new EntitiesPlugin());
    for (const char* language : {"de", "en"}) {
      std::string error;
      auto tagger = ner::Tagger::Load(EmbeddedModel(language), &error);
      if (!tagger) {
        return absl::InternalError(std::string(language) + " model: " + error);
      }
      plugin->taggers_[language] = std::move(tagger);
    }
    return plugin;
  }

  // Thread-safe: the taggers are immutable.
  absl::StatusOr<Result> Analyze(const nlpd::v1::PluginRequest& request) const {
    const std::string& language = request.document().language();
    auto it = taggers_.find(language.substr(0, language.find('-')));
    if (it == taggers_.end()) {
      return absl::InvalidArgumentError("no entities model for language \"" +
                                        language + "\"");
    }
    return FindEntities(*it->second, request.document());
  }

 private:
  EntitiesPlugin() = default;
  std::map<std::string, std::unique_ptr<ner::Tagger>> taggers_;
};

}  // namespace nlpd::entities

NLPD_PLUGIN(nlpd::entities::EntitiesPlugin)
