// The analyzer with the real text pipeline and the real test plugins:
// limits, plans, where results go, language and dependency skips with their
// reasons, plugin failures, deadlines.
#include "pipeline/analyzer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace nlpd {
namespace {

using ::testing::HasSubstr;

// `response`'s custom result `name` as an EntitiesResult; fails the test
// when it is absent or of another type.
v1::EntitiesResult CustomEntities(const v1::AnalyzeResponse& response,
                                  const std::string& name) {
  v1::EntitiesResult result;
  auto found = response.custom_results().find(name);
  EXPECT_NE(found, response.custom_results().end()) << name;
  if (found == response.custom_results().end()) return result;
  EXPECT_EQ(found->second.type_url(),
            "type.googleapis.com/nlpd.v1.EntitiesResult");
  EXPECT_TRUE(found->second.UnpackTo(&result)) << name;
  return result;
}

class AnalyzerTest : public ::testing::Test {
 protected:
  void SetUp() override { Load({NLPD_TEST_PLUGIN_DIR}, 200); }

  void Load(const std::vector<std::string>& directories,
            uint64_t max_text_bytes) {
    absl::StatusOr<std::unique_ptr<text::TextPipeline>> pipeline =
        text::TextPipeline::Create();
    ASSERT_TRUE(pipeline.ok()) << pipeline.status();
    text_pipeline_ = *std::move(pipeline);
    plugins_ = LoadPlugins(directories, NLPD_PLUGIN_HOST);
    analyzer_ = std::make_unique<Analyzer>(text_pipeline_.get(), plugins_.get(),
                                           max_text_bytes);
  }

  absl::Status Analyze(const std::string& text,
                       const std::vector<std::string>& analyses,
                       v1::AnalyzeResponse* response,
                       const CallContext& call = {}) {
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

TEST_F(AnalyzerTest, RunsDependencyFirstAndKeepsResultsByPluginName) {
  v1::AnalyzeResponse response;
  ASSERT_TRUE(Analyze(kGerman, {"test_dependent"}, &response).ok());
  EXPECT_EQ(response.document().language(), "de");
  EXPECT_EQ(response.document().sentences_size(), 2);
  ASSERT_EQ(response.analyses_size(), 2);
  EXPECT_EQ(response.analyses(0).name(), "test_echo");
  EXPECT_TRUE(response.analyses(0).dependency());
  EXPECT_EQ(response.analyses(0).outcome(), v1::AnalysisInfo::OK);
  EXPECT_EQ(response.analyses(0).reason(), "");
  EXPECT_EQ(response.analyses(1).name(), "test_dependent");
  EXPECT_FALSE(response.analyses(1).dependency());
  EXPECT_EQ(response.analyses(1).outcome(), v1::AnalysisInfo::OK);
  // Neither plugin is named as a typed field: test_echo's EntitiesResult
  // and test_dependent's SentimentResult are custom results, by name.
  EXPECT_FALSE(response.has_entities());
  EXPECT_FALSE(response.has_sentiment());
  ASSERT_EQ(response.custom_results_size(), 2);
  const v1::EntitiesResult echoed = CustomEntities(response, "test_echo");
  ASSERT_EQ(echoed.entities_size(), 1);
  EXPECT_EQ(echoed.entities(0).label(), "TEST");
  const google::protobuf::Any& dependent =
      response.custom_results().at("test_dependent");
  EXPECT_EQ(dependent.type_url(),
            "type.googleapis.com/nlpd.v1.SentimentResult");
  EXPECT_TRUE(dependent.Is<v1::SentimentResult>());
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
  EXPECT_FALSE(response.has_entities());
  const v1::EntitiesResult echoed = CustomEntities(response, "test_targets");
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
  EXPECT_EQ(response.analyses(1).reason(),
            "'test_dependent' supports de; the document's language is 'en'");
  EXPECT_EQ(response.custom_results().count("test_dependent"), 0u);
  EXPECT_EQ(response.custom_results().count("test_echo"), 1u);
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
  ASSERT_TRUE(Analyze(kGerman, {"test_echo"}, &next).ok());
  EXPECT_EQ(CustomEntities(next, "test_echo").entities_size(), 1);
}

TEST_F(AnalyzerTest, StopsAtAnExpiredDeadline) {
  v1::AnalyzeResponse response;
  CallContext call;
  call.deadline = absl::Now() - absl::Seconds(1);
  absl::Status status = Analyze(kGerman, {"test_echo"}, &response, call);
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
}

// The built-in plugins beside the test plugins: routing by plugin name and
// the reasons for analyses that did not run.
class AnalyzerWithBuiltInsTest : public AnalyzerTest {
 protected:
  void SetUp() override {
    Load({NLPD_BUILT_PLUGIN_DIR, NLPD_TEST_PLUGIN_DIR,
          NLPD_TEST_PLUGIN_CHAIN_DIR},
         1 << 20);
  }

  absl::Status AnalyzeIn(const std::string& text, const std::string& language,
                         const std::vector<std::string>& analyses,
                         v1::AnalyzeResponse* response,
                         const std::string& default_language = "") {
    v1::AnalyzeRequest request;
    request.set_text(text);
    request.set_language(language);
    request.set_default_language(default_language);
    for (const std::string& name : analyses) request.add_analyses(name);
    return analyzer_->Analyze(request, {}, response);
  }
};

constexpr char kFrench[] =
    "Le gouvernement à Paris a présenté lundi un nouveau budget. "
    "L'opposition a vivement critiqué les projets.";

// Before results were routed by plugin name, test_echo's EntitiesResult
// overwrote the built-in entities' in AnalyzeResponse.entities.
TEST_F(AnalyzerWithBuiltInsTest, TwoPluginsOfOneResultTypeKeepBothResults) {
  v1::AnalyzeResponse response;
  ASSERT_TRUE(
      AnalyzeIn(kGerman, "de", {"entities", "test_echo"}, &response).ok());
  ASSERT_EQ(response.analyses_size(), 2);
  for (const v1::AnalysisInfo& info : response.analyses()) {
    EXPECT_EQ(info.outcome(), v1::AnalysisInfo::OK) << info.name();
  }
  // The typed field holds the plugin named "entities": it finds Berlin.
  std::vector<std::string> found;
  for (const v1::Entity& entity : response.entities().entities()) {
    EXPECT_NE(entity.label(), "TEST");
    found.push_back(entity.label() + " " + entity.text());
  }
  EXPECT_THAT(found, ::testing::Contains("LOC Berlin"));
  // test_echo's result of the same type is a custom result under its name.
  ASSERT_EQ(response.custom_results_size(), 1);
  const v1::EntitiesResult echoed = CustomEntities(response, "test_echo");
  ASSERT_EQ(echoed.entities_size(), 1);
  EXPECT_EQ(echoed.entities(0).label(), "TEST");
  EXPECT_EQ(echoed.entities(0).span().byte_start(), 0u);
  EXPECT_EQ(echoed.entities(0).span().byte_end(),
            response.document().text().size());
}

// Before, a plugin for any language whose dependency did not run was
// reported UNSUPPORTED_LANGUAGE, blaming the plugin, with no reason.
TEST_F(AnalyzerWithBuiltInsTest, NamesTheDependencyThatDidNotRunAndWhy) {
  v1::AnalyzeResponse response;
  ASSERT_TRUE(
      AnalyzeIn(kFrench, "fr", {"test_needs_needs_entities"}, &response).ok());
  EXPECT_EQ(response.document().language(), "fr");
  ASSERT_EQ(response.analyses_size(), 3);
  const v1::AnalysisInfo& entities = response.analyses(0);
  EXPECT_EQ(entities.name(), "entities");
  EXPECT_TRUE(entities.dependency());
  EXPECT_EQ(entities.outcome(), v1::AnalysisInfo::UNSUPPORTED_LANGUAGE);
  EXPECT_EQ(entities.reason(),
            "'entities' supports de, en; the document's language is 'fr'");
  const v1::AnalysisInfo& needs = response.analyses(1);
  EXPECT_EQ(needs.name(), "test_needs_entities");
  EXPECT_EQ(needs.outcome(), v1::AnalysisInfo::DEPENDENCY_NOT_RUN);
  EXPECT_EQ(needs.reason(),
            "needs 'entities', which does not support language 'fr' (it "
            "supports de, en)");
  // A chain names the root cause.
  const v1::AnalysisInfo& needs_needs = response.analyses(2);
  EXPECT_EQ(needs_needs.name(), "test_needs_needs_entities");
  EXPECT_FALSE(needs_needs.dependency());
  EXPECT_EQ(needs_needs.outcome(), v1::AnalysisInfo::DEPENDENCY_NOT_RUN);
  EXPECT_EQ(needs_needs.reason(),
            "needs 'test_needs_entities', which needs 'entities', which does "
            "not support language 'fr' (it supports de, en)");
  EXPECT_FALSE(response.has_entities());
  EXPECT_TRUE(response.custom_results().empty());

  // In German the whole chain runs, each plugin given its dependency.
  response.Clear();
  ASSERT_TRUE(
      AnalyzeIn(kGerman, "de", {"test_needs_needs_entities"}, &response).ok());
  ASSERT_EQ(response.analyses_size(), 3);
  for (const v1::AnalysisInfo& info : response.analyses()) {
    EXPECT_EQ(info.outcome(), v1::AnalysisInfo::OK) << info.name();
    EXPECT_EQ(info.reason(), "") << info.name();
  }
  EXPECT_TRUE(response.has_entities());
  EXPECT_EQ(response.custom_results().count("test_needs_entities"), 1u);
  EXPECT_EQ(response.custom_results().count("test_needs_needs_entities"), 1u);
}

// A plugin's own language comes first: sentiment (de, en) needs entities
// (de, en); in French both are UNSUPPORTED_LANGUAGE, each with its reason.
TEST_F(AnalyzerWithBuiltInsTest, OwnLanguageIsReportedBeforeDependencies) {
  v1::AnalyzeResponse response;
  ASSERT_TRUE(AnalyzeIn(kFrench, "fr", {"sentiment"}, &response).ok());
  ASSERT_EQ(response.analyses_size(), 2);
  EXPECT_EQ(response.analyses(1).name(), "sentiment");
  EXPECT_EQ(response.analyses(1).outcome(),
            v1::AnalysisInfo::UNSUPPORTED_LANGUAGE);
  EXPECT_EQ(response.analyses(1).reason(),
            "'sentiment' supports de, en; the document's language is 'fr'");
  EXPECT_FALSE(response.has_sentiment());
}

// "LABEL text" of each entity.
std::vector<std::string> EntityNames(const v1::EntitiesResult& result) {
  std::vector<std::string> names;
  for (const v1::Entity& entity : result.entities()) {
    names.push_back(entity.label() + " " + entity.text());
  }
  return names;
}

// Issue 13: with no language given, CLD2 called "Merkel sprach." Polish and
// "Biden meets Xi." Basque, and entities was skipped. Now the unsure guess
// gives way to the likeliest language entities supports, and says so.
// ("Merkel sprach." is English to CLD2 when German and English get the
// same prior: "sprach" has no German quadgram in its tables. The caller's
// default_language settles it; see the next test.)
TEST_F(AnalyzerWithBuiltInsTest, ShortTextsFallBackToTheAnalysesLanguages) {
  for (const std::string text : {"Merkel sprach.", "Biden meets Xi."}) {
    v1::AnalyzeResponse response;
    ASSERT_TRUE(AnalyzeIn(text, "", {"entities"}, &response).ok());
    EXPECT_EQ(response.document().language_source(),
              v1::LANGUAGE_SOURCE_FALLBACK)
        << text;
    EXPECT_THAT(response.document().language(), ::testing::AnyOf("de", "en"))
        << text;
    ASSERT_EQ(response.analyses_size(), 1);
    EXPECT_EQ(response.analyses(0).outcome(), v1::AnalysisInfo::OK) << text;
    EXPECT_TRUE(response.has_entities()) << text;
  }
  v1::AnalyzeResponse response;
  ASSERT_TRUE(AnalyzeIn("Biden meets Xi.", "", {"entities"}, &response).ok());
  EXPECT_EQ(response.document().language(), "en");
  EXPECT_THAT(EntityNames(response.entities()),
              ::testing::Contains("PER Biden"));

  // A long text is identified as it always was, whatever the default.
  response.Clear();
  ASSERT_TRUE(AnalyzeIn(kGerman, "", {"entities"}, &response, "en").ok());
  EXPECT_EQ(response.document().language(), "de");
  EXPECT_EQ(response.document().language_source(),
            v1::LANGUAGE_SOURCE_IDENTIFIED);
}

TEST_F(AnalyzerWithBuiltInsTest, UnsureTakesTheCallersDefaultAndSaysSo) {
  v1::AnalyzeResponse response;
  ASSERT_TRUE(
      AnalyzeIn("Merkel sprach.", "", {"entities"}, &response, "de").ok());
  EXPECT_EQ(response.document().language(), "de");
  EXPECT_EQ(response.document().language_source(), v1::LANGUAGE_SOURCE_DEFAULT);
  EXPECT_THAT(EntityNames(response.entities()),
              ::testing::Contains("PER Merkel"));

  // A default the analysis does not support: skipped, and the reason says
  // where the language came from.
  response.Clear();
  ASSERT_TRUE(
      AnalyzeIn("Merkel sprach.", "", {"entities"}, &response, "fr").ok());
  ASSERT_EQ(response.analyses_size(), 1);
  EXPECT_EQ(response.analyses(0).outcome(),
            v1::AnalysisInfo::UNSUPPORTED_LANGUAGE);
  EXPECT_EQ(response.analyses(0).reason(),
            "'entities' supports de, en; the document's language is 'fr' "
            "(default_language; the identification was unsure)");
}

TEST_F(AnalyzerWithBuiltInsTest, UndeterminedLanguageSkipsWithAReason) {
  v1::AnalyzeResponse response;
  ASSERT_TRUE(
      AnalyzeIn("12345 67890 !!!", "", {"test_needs_entities"}, &response)
          .ok());
  EXPECT_EQ(response.document().language(), "und");
  EXPECT_EQ(response.document().language_source(),
            v1::LANGUAGE_SOURCE_UNDETERMINED);
  ASSERT_EQ(response.analyses_size(), 2);
  EXPECT_EQ(response.analyses(0).name(), "entities");
  EXPECT_EQ(response.analyses(0).outcome(),
            v1::AnalysisInfo::LANGUAGE_UNDETERMINED);
  EXPECT_EQ(response.analyses(0).reason(),
            "the document's language could not be identified (the text is "
            "too short or unclear); pass language= or default_language= "
            "('entities' supports de, en)");
  EXPECT_EQ(response.analyses(1).outcome(),
            v1::AnalysisInfo::DEPENDENCY_NOT_RUN);
  EXPECT_EQ(response.analyses(1).reason(),
            "needs 'entities', which could not run: the document's language "
            "could not be identified (the text is too short or unclear); "
            "pass language= or default_language=");
}

// AnalyzeRequest.document_view: what of the document comes back. The
// plugins get the whole document in every view (entities needs tokens), so
// the results are the same.
class DocumentViewTest : public AnalyzerWithBuiltInsTest {
 protected:
  v1::AnalyzeResponse AnalyzeWithView(v1::DocumentView view) {
    v1::AnalyzeRequest request;
    request.set_text(kGerman);
    request.add_analyses("entities");
    request.add_analyses("test_echo");
    request.add_targets()->set_text("Pläne");  // needs the tokens
    request.set_document_view(view);
    v1::AnalyzeResponse response;
    absl::Status status = analyzer_->Analyze(request, {}, &response);
    EXPECT_TRUE(status.ok()) << status;
    return response;
  }

  // The response without its document, serialized: the results and
  // AnalysisInfo (whose durations differ from call to call, so they are
  // zeroed).
  static std::string Results(v1::AnalyzeResponse response) {
    response.clear_document();
    for (v1::AnalysisInfo& info : *response.mutable_analyses()) {
      info.clear_duration_us();
    }
    std::string bytes;
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    response.SerializeToCodedStream(&coded);
    coded.Trim();
    return bytes;
  }
};

TEST_F(DocumentViewTest, UnspecifiedAndFullSendTheWholeDocument) {
  const v1::AnalyzeResponse unspecified =
      AnalyzeWithView(v1::DOCUMENT_VIEW_UNSPECIFIED);
  const v1::AnalyzeResponse full = AnalyzeWithView(v1::DOCUMENT_VIEW_FULL);
  for (const v1::AnalyzeResponse* response : {&unspecified, &full}) {
    const v1::Document& doc = response->document();
    EXPECT_EQ(doc.text(), kGerman);
    EXPECT_EQ(doc.language(), "de");
    EXPECT_EQ(doc.sentences_size(), 2);
    EXPECT_GT(doc.tokens_size(), 15);
    EXPECT_EQ(doc.sentences(1).token_end(),
              static_cast<uint32_t>(doc.tokens_size()));
  }
  EXPECT_EQ(unspecified.document().SerializeAsString(),
            full.document().SerializeAsString());
  EXPECT_EQ(Results(unspecified), Results(full));
}

TEST_F(DocumentViewTest, NoTokensKeepsTextAndSentenceSpans) {
  const v1::AnalyzeResponse full = AnalyzeWithView(v1::DOCUMENT_VIEW_FULL);
  const v1::AnalyzeResponse response =
      AnalyzeWithView(v1::DOCUMENT_VIEW_NO_TOKENS);
  const v1::Document& doc = response.document();
  EXPECT_EQ(doc.text(), kGerman);
  EXPECT_EQ(doc.language(), "de");
  EXPECT_EQ(doc.language_source(), v1::LANGUAGE_SOURCE_IDENTIFIED);
  EXPECT_EQ(doc.tokens_size(), 0);
  ASSERT_EQ(doc.sentences_size(), 2);
  for (int i = 0; i < doc.sentences_size(); ++i) {
    EXPECT_EQ(doc.sentences(i).span().SerializeAsString(),
              full.document().sentences(i).span().SerializeAsString());
    EXPECT_EQ(doc.sentences(i).token_begin(), 0u);
    EXPECT_EQ(doc.sentences(i).token_end(), 0u);
  }
  EXPECT_EQ(Results(response), Results(full));
  EXPECT_LT(response.ByteSizeLong(), full.ByteSizeLong());
}

TEST_F(DocumentViewTest, ResultsOnlyKeepsTheLanguageAndTheResults) {
  const v1::AnalyzeResponse full = AnalyzeWithView(v1::DOCUMENT_VIEW_FULL);
  const v1::AnalyzeResponse response =
      AnalyzeWithView(v1::DOCUMENT_VIEW_RESULTS_ONLY);
  const v1::Document& doc = response.document();
  EXPECT_EQ(doc.text(), "");
  EXPECT_EQ(doc.sentences_size(), 0);
  EXPECT_EQ(doc.tokens_size(), 0);
  EXPECT_EQ(doc.language(), "de");
  EXPECT_EQ(doc.language_confidence(), full.document().language_confidence());
  EXPECT_EQ(doc.language_source(), v1::LANGUAGE_SOURCE_IDENTIFIED);
  // Same entities (found on the tokens) and the same echo over the text.
  EXPECT_GT(response.entities().entities_size(), 0);
  ASSERT_EQ(response.analyses_size(), 2);
  for (const v1::AnalysisInfo& info : response.analyses()) {
    EXPECT_EQ(info.outcome(), v1::AnalysisInfo::OK) << info.name();
  }
  EXPECT_EQ(Results(response), Results(full));
  EXPECT_LT(response.ByteSizeLong(),
            AnalyzeWithView(v1::DOCUMENT_VIEW_NO_TOKENS).ByteSizeLong());
}

TEST_F(DocumentViewTest, UnknownViewIsInvalidArgument) {
  v1::AnalyzeRequest request;
  request.set_text(kGerman);
  request.set_document_view(static_cast<v1::DocumentView>(7));
  v1::AnalyzeResponse response;
  absl::Status status = analyzer_->Analyze(request, {}, &response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("document_view 7 is not a DocumentView"));
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("DOCUMENT_VIEW_RESULTS_ONLY"));
}

}  // namespace
}  // namespace nlpd
