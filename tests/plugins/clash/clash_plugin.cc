// test_clash_a and test_clash_b: two SDK plugins with different names, built
// from this file (TEST_CLASH_NAME), that each compile the same .proto file,
// nlpd/testclash/v1/clash.proto, into their own library. Loading both into
// one process registers that file twice in protobuf's generated pool, which
// protobuf answers with "File already exists in database" and abort(). The
// server must refuse the second plugin by name instead of dying.
#include <memory>
#include <string>

#include "nlpd/plugin_sdk.h"
#include "nlpd/testclash/v1/clash.pb.h"

#ifndef TEST_CLASH_NAME
#error "define TEST_CLASH_NAME as the plugin name"
#endif

class ClashPlugin {
 public:
  using Result = nlpd::testclash::v1::ClashResult;

  static nlpd::sdk::PluginInfo Info() {
    return {.name = TEST_CLASH_NAME,
            .version = "1.0.0",
            .description = "Test plugin: ships nlpd/testclash/v1/clash.proto",
            .languages = {"*"}};
  }

  static absl::StatusOr<std::unique_ptr<ClashPlugin>> Create(
      const nlpd::sdk::CreateContext& /*context*/) {
    return std::make_unique<ClashPlugin>();
  }

  absl::StatusOr<Result> Analyze(const nlpd::v1::PluginRequest& request) const {
    Result result;
    result.set_plugin(TEST_CLASH_NAME);
    result.set_text_bytes(
        static_cast<uint32_t>(request.document().text().size()));
    return result;
  }
};

NLPD_PLUGIN(ClashPlugin)
