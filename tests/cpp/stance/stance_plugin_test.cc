// The built stance plugin through the server's registry and analyzer: asking
// for "stance" runs "entities" first and fills AnalyzeResponse.stance, with
// actor_entities indexing AnalyzeResponse.entities; a language the plugins
// do not support is reported, not failed.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "pipeline/analyzer.h"
#include "plugins/plugin_manager.h"
#include "text/text_pipeline.h"

namespace nlpd {
namespace {

class StancePluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pipeline = text::TextPipeline::Create();
    ASSERT_TRUE(pipeline.ok()) << pipeline.status();
    text_pipeline_ = *std::move(pipeline);
    plugins_ = LoadPlugins({NLPD_BUILT_PLUGIN_DIR}, NLPD_PLUGIN_HOST);
    analyzer_ = std::make_unique<Analyzer>(text_pipeline_.get(), plugins_.get(),
                                           1 << 20);
  }

  std::unique_ptr<text::TextPipeline> text_pipeline_;
  std::unique_ptr<PluginManager> plugins_;
  std::unique_ptr<Analyzer> analyzer_;
};

TEST_F(StancePluginTest, RunsAfterEntitiesAndFillsTheTypedField) {
  v1::AnalyzeRequest request;
  request.set_text(
      "Der polnische Außenminister Piotr Zalewski forderte Russland auf, "
      "seine Truppen von der Grenze abzuziehen.");
  request.set_language("de");
  request.add_analyses("stance");
  v1::AnalyzeResponse response;
  ASSERT_TRUE(analyzer_->Analyze(request, {}, &response).ok());
  ASSERT_EQ(response.analyses_size(), 2);
  EXPECT_EQ(response.analyses(0).name(), "entities");
  EXPECT_TRUE(response.analyses(0).dependency());
  EXPECT_EQ(response.analyses(1).name(), "stance");
  EXPECT_EQ(response.analyses(1).outcome(), v1::AnalysisInfo::OK);
  ASSERT_EQ(response.stance().statements_size(), 1);
  const v1::StanceStatement& statement = response.stance().statements(0);
  EXPECT_EQ(statement.stance(), v1::AGAINST);
  EXPECT_EQ(statement.actor(), "Piotr Zalewski");
  ASSERT_FALSE(statement.actor_entities().empty());
  for (uint32_t index : statement.actor_entities()) {
    ASSERT_LT(index,
              static_cast<uint32_t>(response.entities().entities_size()));
  }
  ASSERT_EQ(response.stance().actors_size(), 1);
  EXPECT_EQ(response.stance().actors(0).stance(), v1::AGAINST);
  EXPECT_FLOAT_EQ(response.stance().balance(), -1.0f);
}

TEST_F(StancePluginTest, UnsupportedLanguageIsReported) {
  v1::AnalyzeRequest request;
  request.set_text("El ministro pidió calma a ambas partes.");
  request.set_language("es");
  request.add_analyses("stance");
  v1::AnalyzeResponse response;
  ASSERT_TRUE(analyzer_->Analyze(request, {}, &response).ok());
  for (const auto& info : response.analyses()) {
    EXPECT_EQ(info.outcome(), v1::AnalysisInfo::UNSUPPORTED_LANGUAGE)
        << info.name();
  }
  EXPECT_FALSE(response.has_stance());
}

}  // namespace
}  // namespace nlpd
