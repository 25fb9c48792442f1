// The analyzer with the real text pipeline and the real test plugins:
// limits, plans, typed results, language skips, plugin failures, deadlines.
#include "pipeline/analyzer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/time/clock.h"

namespace nlpd {
namespace {

using ::testing::HasSubstr;

class AnalyzerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<text::TextPipeline>> pipeline =
        text::TextPipeline::Create();
    ASSERT_TRUE(pipeline.ok()) << pipeline.status();
    text_pipeline_ = *std::move(pipeline);
    plugins_ = LoadPlugins({NLPD_TEST_PLUGIN_DIR}, NLPD_PLUGIN_HOST);
    analyzer_ =
        std::make_unique<Analyzer>(text_pipeline_.get(), plugins_.get(), 200);
  }

  absl::Status Analyze(const std::string& text,
                       std::vector<std::string> analyses,
                       v1::AnalyzeResponse* response, CallContext call = {}) {
    v1::AnalyzeRequest request;
    request.set_text(text);
    for (const std::string& name : analyses) request.add_analyses(name);
    return analyzer_->Analyze(request, call, response);
  }

  std::unique_ptr<text::TextPipeline> text_pipeline_;
  std::unique_ptr<PluginManager> plugins_;
  std::unique_ptr<Analyzer> analyzer_;
};

constexpr char kGerman[] =
    "Die Regierung in Berlin hat am Montag einen neuen Haushalt vorgelegt. "
    "Die Opposition kritisierte die Pläne scharf.";
constexpr char kEnglish[] =
    "The government in London presented a new budget on Monday. "
    "The opposition sharply criticized the plans.";

TEST_F(AnalyzerTest, RunsDependencyFirstAndFillsTypedFields) {
  v1::AnalyzeResponse response;
  ASSERT_TRUE(Analyze(kGerman, {"test_dependent"}, &response).ok());
  EXPECT_EQ(response.document().language(), "de");
  EXPECT_EQ(response.document().sentences_size(), 2);
  ASSERT_EQ(response.analyses_size(), 2);
  EXPECT_EQ(response.analyses(0).name(), "test_echo");
  EXPECT_TRUE(response.analyses(0).dependency());
  EXPECT_EQ(response.analyses(0).outcome(), v1::AnalysisInfo::OK);
  EXPECT_EQ(response.analyses(1).name(), "test_dependent");
  EXPECT_FALSE(response.analyses(1).dependency());
  EXPECT_EQ(response.analyses(1).outcome(), v1::AnalysisInfo::OK);
  // test_echo's EntitiesResult lands in the typed field, not in custom.
  ASSERT_EQ(response.entities().entities_size(), 1);
  EXPECT_EQ(response.entities().entities(0).label(), "TEST");
  EXPECT_TRUE(response.has_sentiment());
  EXPECT_TRUE(response.custom_results().empty());
}

TEST_F(AnalyzerTest, PassesTheCallersTargetMentionsToPlugins) {
  v1::AnalyzeRequest request;
  request.set_text(kEnglish);
  request.add_analyses("test_targets");
  request.add_targets()->set_text("the plans");
  v1::CharRange* range = request.add_targets()->mutable_range();
  range->set_char_start(18);  // "London"
  range->set_char_end(24);
  request.add_targets()->set_text("Paris");  // does not occur
  v1::AnalyzeResponse response;
  ASSERT_TRUE(analyzer_->Analyze(request, {}, &response).ok());
  const v1::EntitiesResult& echoed = response.entities();
  ASSERT_EQ(echoed.entities_size(), 2);
  EXPECT_EQ(echoed.entities(0).text(), "London");
  EXPECT_EQ(echoed.entities(0).label(), "TARGET1");
  EXPECT_EQ(echoed.entities(1).text(), "the plans");
  EXPECT_EQ(echoed.entities(1).label(), "TARGET0");

  request.add_targets()->set_text("");
  response.Clear();
  absl::Status status = analyzer_->Analyze(request, {}, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("target 3"));
}

TEST_F(AnalyzerTest, SkipsPluginForUnsupportedLanguage) {
  v1::AnalyzeResponse response;
  ASSERT_TRUE(Analyze(kEnglish, {"test_dependent"}, &response).ok());
  EXPECT_EQ(response.document().language(), "en");
  ASSERT_EQ(response.analyses_size(), 2);
  EXPECT_EQ(response.analyses(0).outcome(), v1::AnalysisInfo::OK);
  EXPECT_EQ(response.analyses(1).outcome(),
            v1::AnalysisInfo::UNSUPPORTED_LANGUAGE);
  EXPECT_FALSE(response.has_sentiment());
}

TEST_F(AnalyzerTest, NoAnalysesGivesTheDocumentOnly) {
  v1::AnalyzeResponse response;
  ASSERT_TRUE(Analyze(kEnglish, {}, &response).ok());
  EXPECT_GT(response.document().tokens_size(), 10);
  EXPECT_EQ(response.analyses_size(), 0);
}

TEST_F(AnalyzerTest, RejectsBadInputWithReasons) {
  v1::AnalyzeResponse response;
  absl::Status status = Analyze(std::string(201, 'a'), {}, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("over the limit of 200 bytes"));

  status = Analyze("", {}, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);

  status = Analyze("ok \xC3\x28 bad", {}, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("UTF-8"));

  status = Analyze(kEnglish, {"no_such_analysis"}, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr("no_such_analysis"));
}

TEST_F(AnalyzerTest, PluginFailureFailsTheRequestWithPluginName) {
  v1::AnalyzeResponse response;
  absl::Status status =
      Analyze("Bitte FAIL_PLUGIN jetzt.", {"test_echo"}, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(status.message(), HasSubstr("plugin 'test_echo': asked to fail"));
  // The next request is served normally.
  v1::AnalyzeResponse next;
  EXPECT_TRUE(Analyze(kGerman, {"test_echo"}, &next).ok());
}

TEST_F(AnalyzerTest, StopsAtAnExpiredDeadline) {
  v1::AnalyzeResponse response;
  CallContext call;
  call.deadline = absl::Now() - absl::Seconds(1);
  absl::Status status = Analyze(kGerman, {"test_echo"}, &response, call);
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace nlpd
