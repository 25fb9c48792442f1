// test_targets: an SDK plugin that returns one EntitiesResult entity per
// caller's target mention it was given (PluginRequest.target_mentions),
// labeled "TARGET<index>", so tests can see what reached the plugin.
#include <memory>
#include <string>

#include "nlpd/plugin_sdk.h"
#include "nlpd/v1/results.pb.h"

class TargetsPlugin {
 public:
  using Result = nlpd::v1::EntitiesResult;

  static nlpd::sdk::PluginInfo Info() {
    return {.name = "test_targets",
            .version = "1.0.0",
            .description = "Test plugin: echoes the caller's target mentions",
            .languages = {"*"}};
  }

  static absl::StatusOr<std::unique_ptr<TargetsPlugin>> Create(
      const nlpd::sdk::CreateContext& /*context*/) {
    return std::make_unique<TargetsPlugin>();
  }

  absl::StatusOr<Result> Analyze(const nlpd::v1::PluginRequest& request) const {
    Result result;
    for (const nlpd::v1::TargetMention& mention : request.target_mentions()) {
      nlpd::v1::Entity* entity = result.add_entities();
      *entity->mutable_span() = mention.span();
      entity->set_label("TARGET" + std::to_string(mention.target()));
      entity->set_text(
          std::string(nlpd::sdk::SpanText(request.document(), mention.span())));
    }
    return result;
  }
};

NLPD_PLUGIN(TargetsPlugin)
