// test_recompiles_nlpd: an SDK plugin that compiles one of the server's own
// .proto files, nlpd/v1/document.proto, into itself instead of linking
// nlpd::proto (libnlpd-proto.so). Loading it into a process that already has
// libnlpd-proto.so registers that file twice in protobuf's generated pool,
// which protobuf answers with "File already exists in database:
// nlpd/v1/document.proto" and abort(). The server must refuse the plugin
// instead of dying. Its result is an nlpd.v1.EntitiesResult with one entity
// over the whole text.
#include <memory>
#include <string>

#include "nlpd/plugin_sdk.h"
#include "nlpd/v1/document.pb.h"
#include "nlpd/v1/results.pb.h"

class RecompilesNlpdPlugin {
 public:
  using Result = nlpd::v1::EntitiesResult;

  static nlpd::sdk::PluginInfo Info() {
    return {.name = "test_recompiles_nlpd",
            .version = "1.0.0",
            .description =
                "Test plugin: compiles nlpd/v1/document.proto into itself",
            .languages = {"*"}};
  }

  static absl::StatusOr<std::unique_ptr<RecompilesNlpdPlugin>> Create(
      const nlpd::sdk::CreateContext& /*context*/) {
    return std::make_unique<RecompilesNlpdPlugin>();
  }

  absl::StatusOr<Result> Analyze(const nlpd::v1::PluginRequest& request) const {
    Result result;
    nlpd::v1::Entity* entity = result.add_entities();
    const nlpd::v1::Document& document = request.document();
    entity->mutable_span()->set_byte_end(
        static_cast<uint32_t>(document.text().size()));
    uint32_t code_points = 0;
    for (char c : document.text()) {
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++code_points;
    }
    entity->mutable_span()->set_char_end(code_points);
    entity->set_label("WHOLE_TEXT");
    return result;
  }
};

NLPD_PLUGIN(RecompilesNlpdPlugin)
