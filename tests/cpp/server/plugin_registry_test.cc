// The registry over a directory with good and bad plugins: the good ones
// load in dependency order, every bad one is reported, plans resolve
// dependencies.
#include "plugins/plugin_registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugins/plugin_manager.h"

namespace nlpd {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Names(const PluginRegistry& registry) {
  std::vector<std::string> names;
  for (const auto& entry : registry.plugins()) {
    names.push_back(entry.plugin->name());
  }
  return names;
}

std::vector<std::string> ErrorFiles(const PluginRegistry& registry) {
  std::vector<std::string> files;
  for (const auto& error : registry.load_errors()) {
    files.push_back(error.path().substr(error.path().rfind('/') + 1));
  }
  return files;
}

TEST(PluginRegistryTest, LoadsGoodPluginsInOrderAndReportsBadOnes) {
  auto plugins = LoadPlugins({NLPD_TEST_PLUGIN_DIR}, NLPD_PLUGIN_HOST);
  auto registry = plugins->Current();
  EXPECT_EQ(Names(*registry),
            (std::vector<std::string>{"test_echo", "test_dependent",
                                      "test_targets"}));
  EXPECT_THAT(ErrorFiles(*registry),
              UnorderedElementsAre(
                  "libnlpd_test_create_fails.so", "libnlpd_test_no_symbol.so",
                  "libnlpd_test_v2_symbol.so", "libnlpd_test_wrong_abi.so"));
}

TEST(PluginRegistryTest, PlanAddsDependenciesInOrder) {
  auto plugins = LoadPlugins({NLPD_TEST_PLUGIN_DIR}, NLPD_PLUGIN_HOST);
  auto registry = plugins->Current();
  std::vector<std::string> requested = {"test_dependent"};
  absl::StatusOr<std::vector<PlannedAnalysis>> plan = registry->Plan(requested);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->size(), 2u);
  EXPECT_EQ((*plan)[0].entry->plugin->name(), "test_echo");
  EXPECT_FALSE((*plan)[0].requested);
  EXPECT_EQ((*plan)[1].entry->plugin->name(), "test_dependent");
  EXPECT_TRUE((*plan)[1].requested);
}

TEST(PluginRegistryTest, PlanRejectsUnknownAndRefusedAnalyses) {
  auto plugins = LoadPlugins({NLPD_TEST_PLUGIN_DIR}, NLPD_PLUGIN_HOST);
  auto registry = plugins->Current();
  std::vector<std::string> unknown = {"test_echo", "nonsense"};
  absl::StatusOr<std::vector<PlannedAnalysis>> plan = registry->Plan(unknown);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(
      plan.status().message(),
      HasSubstr(
          "unknown analysis 'nonsense'; available: test_echo, test_dependent, "
          "test_targets"));

  std::vector<std::string> refused = {"test_create_fails"};
  plan = registry->Plan(refused);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(plan.status().message()),
              HasSubstr("model file test.model not found"));
}

TEST(PluginRegistryTest, DisabledPluginAndItsDependentsDoNotLoad) {
  google::protobuf::Map<std::string, v1::PluginConfig> configs;
  configs["test_echo"].set_disabled(true);
  auto plugins = LoadPlugins({NLPD_TEST_PLUGIN_DIR}, NLPD_PLUGIN_HOST, configs);
  auto registry = plugins->Current();
  EXPECT_EQ(Names(*registry), std::vector<std::string>{"test_targets"});
  std::vector<std::string> requested = {"test_dependent"};
  absl::StatusOr<std::vector<PlannedAnalysis>> plan = registry->Plan(requested);
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(plan.status().message()),
              HasSubstr("needs 'test_echo'"));
}

TEST(PluginRegistryTest, MissingDirectoryIsALoadError) {
  auto plugins = LoadPlugins({"/nonexistent/plugins"}, NLPD_PLUGIN_HOST);
  auto registry = plugins->Current();
  EXPECT_TRUE(registry->plugins().empty());
  ASSERT_EQ(registry->load_errors().size(), 1u);
  EXPECT_THAT(registry->load_errors()[0].message(),
              HasSubstr("/nonexistent/plugins"));
}

}  // namespace
}  // namespace nlpd
