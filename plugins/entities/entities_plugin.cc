// The "entities" plugin: named entities (PER, LOC, ORG, MISC) with a
// confidence each, as nlpd.v1.EntitiesResult (the server puts it in
// AnalyzeResponse.entities). The tagger and its models are compiled in
// (model_data.cc); see docs/MODELS.md for how they were trained.
#include <cctype>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
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
            .version = "0.3.0",
            .description =
                "Named entities (PER, LOC, ORG, MISC) with confidences: "
                "averaged perceptron, Viterbi",
            .languages = {"de", "en"}};
  }

  // Loads the embedded models. Configuration: empty, or
  // "min_confidence=X" (0 <= X <= 1): entities with a lower confidence are
  // left out (default kDefaultMinConfidence, the best on GermEval dev).
  static constexpr float kDefaultMinConfidence = 0.2f;
  static absl::StatusOr<std::unique_ptr<EntitiesPlugin>> Create(
      const sdk::CreateContext& context) {
    std::unique_ptr<EntitiesPlugin> plugin(new EntitiesPlugin());
    std::string config(context.config);
    while (!config.empty() &&
           std::isspace(static_cast<unsigned char>(config.back()))) {
      config.pop_back();
    }
    if (!config.empty()) {
      constexpr std::string_view kKey = "min_confidence=";
      char* end = nullptr;
      float value = -1;
      if (config.rfind(kKey, 0) == 0) {
        value = std::strtof(config.c_str() + kKey.size(), &end);
      }
      if (end == nullptr || *end != '\0' ||
          end == config.c_str() + kKey.size() ||
          !(value >= 0.0f && value <= 1.0f)) {
        return absl::InvalidArgumentError(
            "entities config: expected \"min_confidence=X\" with 0 <= X <= 1, "
            "got \"" +
            config + "\"");
      }
      plugin->min_confidence_ = value;
    }
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

  // Thread-safe: the taggers are immutable. Checks `call` once per
  // sentence: CANCELLED (sdk::Call::CancelledError) once the result is no
  // longer wanted.
  absl::StatusOr<Result> Analyze(const nlpd::v1::PluginRequest& request,
                                 const sdk::Call& call) const {
    const std::string& language = request.document().language();
    auto it = taggers_.find(sdk::PrimarySubtag(language));
    if (it == taggers_.end()) {
      return absl::InvalidArgumentError("no entities model for language \"" +
                                        language + "\"");
    }
    return FindEntities(*it->second, request.document(), min_confidence_,
                        [&call] { return call.Cancelled(); });
  }

 private:
  EntitiesPlugin() = default;
  std::map<std::string, std::unique_ptr<ner::Tagger>, std::less<>> taggers_;
  float min_confidence_ = kDefaultMinConfidence;
};

}  // namespace nlpd::entities

NLPD_PLUGIN(nlpd::entities::EntitiesPlugin)
