// The "sentiment" plugin: how each actor is talked about (target-dependent
// sentiment toward every entity mention and every caller's target), the
// polarity of each sentence, and the tone of the document, in German and
// English, as nlpd.v1.SentimentResult (AnalyzeResponse.sentiment). The
// models are compiled in (model_data.cc); docs/MODELS.md says how they were
// trained and how well they do.
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "document_sentiment.h"
#include "model/sentiment_model.h"
#include "model_data.h"
#include "nlpd/plugin_sdk.h"
#include "nlpd/v1/results.pb.h"

namespace nlpd::sentiment {

class SentimentPlugin {
 public:
  using Result = v1::SentimentResult;

  static sdk::PluginInfo Info() {
    return {.name = "sentiment",
            .version = "0.1.0",
            .description =
                "Sentiment toward each entity and caller's target, per "
                "sentence and per document (negative/neutral/positive)",
            .languages = {"de", "en"},
            .dependencies = {"entities"}};
  }

  // Loads the embedded models. Takes no configuration.
  static absl::StatusOr<std::unique_ptr<SentimentPlugin>> Create(
      const sdk::CreateContext& context) {
    if (!context.config.empty()) {
      return absl::InvalidArgumentError(
          "sentiment takes no configuration, got \"" +
          std::string(context.config) + "\"");
    }
    std::unique_ptr<SentimentPlugin> plugin(new SentimentPlugin());
    for (const char* language : {"de", "en"}) {
      std::string error;
      auto model = SentimentModel::Load(EmbeddedModel(language), &error);
      if (!model) {
        return absl::InternalError(std::string(language) + " model: " + error);
      }
      plugin->models_[language] = std::move(model);
    }
    return plugin;
  }

  // Thread-safe: the models are immutable. Checks `call` once per sentence
  // and target mention: CANCELLED (sdk::Call::CancelledError) once the
  // result is no longer wanted.
  absl::StatusOr<Result> Analyze(const v1::PluginRequest& request,
                                 const sdk::Call& call) const {
    const std::string& language = request.document().language();
    auto model = models_.find(sdk::PrimarySubtag(language));
    if (model == models_.end()) {
      return absl::InvalidArgumentError("no sentiment model for language \"" +
                                        language + "\"");
    }
    absl::StatusOr<v1::EntitiesResult> entities =
        sdk::DependencyResult<v1::EntitiesResult>(request, "entities");
    if (!entities.ok()) return entities.status();
    return AnalyzeDocument(*model->second, request, *entities,
                           [&call] { return call.Cancelled(); });
  }

 private:
  SentimentPlugin() = default;
  std::map<std::string, std::unique_ptr<SentimentModel>, std::less<>> models_;
};

}  // namespace nlpd::sentiment

NLPD_PLUGIN(nlpd::sentiment::SentimentPlugin)
