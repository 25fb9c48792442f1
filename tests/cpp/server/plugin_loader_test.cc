// The C ABI loader against real shared libraries: a good plugin, a wrong ABI
// version, a future ABI's entry symbol, a library that is no plugin, and a
// plugin whose create() fails.
#include "plugins/plugin_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace nlpd {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string PluginPath(const std::string& name) {
  return std::string(NLPD_TEST_PLUGIN_DIR) + "/libnlpd_" + name + ".so";
}

TEST(PluginLoaderTest, LoadsGoodPluginAndReadsDescriptor) {
  absl::StatusOr<PluginLibrary> library =
      OpenPluginLibrary(PluginPath("test_dependent"));
  ASSERT_TRUE(library.ok()) << library.status();
  EXPECT_EQ(library->info.name(), "test_dependent");
  EXPECT_EQ(library->info.version(), "1.0.0");
  EXPECT_THAT(library->info.languages(), ElementsAre("de"));
  EXPECT_THAT(library->info.dependencies(), ElementsAre("test_echo"));
  EXPECT_EQ(library->info.result_type(), "nlpd.v1.SentimentResult");
  EXPECT_EQ(library->info.path(), PluginPath("test_dependent"));

  absl::StatusOr<std::unique_ptr<Plugin>> plugin =
      InstantiatePlugin(*library, "");
  ASSERT_TRUE(plugin.ok()) << plugin.status();
  EXPECT_TRUE((*plugin)->SupportsLanguage("de"));
  EXPECT_TRUE((*plugin)->SupportsLanguage("de-AT"));
  EXPECT_TRUE((*plugin)->SupportsLanguage("DE_ch"));
  EXPECT_FALSE((*plugin)->SupportsLanguage("en"));
  EXPECT_FALSE((*plugin)->SupportsLanguage("den"));
}

TEST(PluginLoaderTest, AnalyzeReturnsResultBytesAndPluginErrors) {
  absl::StatusOr<PluginLibrary> library =
      OpenPluginLibrary(PluginPath("test_echo"));
  ASSERT_TRUE(library.ok()) << library.status();
  absl::StatusOr<std::unique_ptr<Plugin>> plugin =
      InstantiatePlugin(*library, "");
  ASSERT_TRUE(plugin.ok()) << plugin.status();

  const std::string de = "de";
  const CallContext context;
  absl::StatusOr<std::string> result =
      (*plugin)->Analyze({"", "Hallo", &de, &context});
  ASSERT_TRUE(result.ok()) << result.status();
  v1::EntitiesResult entities;
  ASSERT_TRUE(entities.ParseFromString(*result));
  ASSERT_EQ(entities.entities_size(), 1);
  EXPECT_EQ(entities.entities(0).label(), "TEST");
  EXPECT_EQ(entities.entities(0).span().byte_end(), 5u);

  absl::StatusOr<std::string> failed =
      (*plugin)->Analyze({"", "FAIL_PLUGIN", &de, &context});
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(failed.status().message()),
              HasSubstr("plugin 'test_echo': asked to fail"));
}

TEST(PluginLoaderTest, RefusesWrongAbiVersion) {
  absl::StatusOr<PluginLibrary> library =
      OpenPluginLibrary(PluginPath("test_wrong_abi"));
  EXPECT_EQ(library.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(library.status().message()),
              HasSubstr("libnlpd_test_wrong_abi.so"));
  EXPECT_THAT(std::string(library.status().message()),
              HasSubstr("ABI version 2.0, server speaks 1.1"));
}

TEST(PluginLoaderTest, NamesTheAbiOfAFutureEntrySymbol) {
  absl::StatusOr<PluginLibrary> library =
      OpenPluginLibrary(PluginPath("test_v2_symbol"));
  EXPECT_EQ(library.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(
      library.status().message(),
      HasSubstr(
          "exports nlpd_plugin_v2: built for ABI version 2, server speaks 1"));
}

TEST(PluginLoaderTest, RefusesLibraryWithoutEntrySymbol) {
  absl::StatusOr<PluginLibrary> library =
      OpenPluginLibrary(PluginPath("test_no_symbol"));
  EXPECT_EQ(library.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(library.status().message()),
              HasSubstr("no entry symbol nlpd_plugin_v1"));
}

TEST(PluginLoaderTest, RefusesFileThatIsNoLibrary) {
  absl::StatusOr<PluginLibrary> library =
      OpenPluginLibrary("/nonexistent/libnlpd_x.so");
  EXPECT_EQ(library.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(library.status().message()),
              HasSubstr("cannot load"));
}

TEST(PluginLoaderTest, ReportsCreateFailureWithPluginReason) {
  absl::StatusOr<PluginLibrary> library =
      OpenPluginLibrary(PluginPath("test_create_fails"));
  ASSERT_TRUE(library.ok()) << library.status();
  absl::StatusOr<std::unique_ptr<Plugin>> plugin =
      InstantiatePlugin(*library, "");
  EXPECT_EQ(plugin.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(plugin.status().message()),
              HasSubstr("create failed"));
  EXPECT_THAT(std::string(plugin.status().message()),
              HasSubstr("model file test.model not found"));
}

}  // namespace
}  // namespace nlpd
