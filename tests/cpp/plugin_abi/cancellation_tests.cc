#include "cancellation_tests.h"

#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "google/protobuf/any.pb.h"
#include "text/text_pipeline.h"

namespace nlpd::testing {
namespace {

// Names, reported speech, pronouns and stance cues, so that every plugin
// has work in each sentence (written for these tests).
constexpr std::string_view kParagraph =
    "Der polnische Außenminister Piotr Zalewski forderte Russland auf, "
    "seine Truppen von der Grenze abzuziehen. Die Regierung in Warschau "
    "kündigte an, weitere Panzer an die Ukraine zu liefern. Kremlsprecher "
    "Dmitri Peskow warnte vor einer gefährlichen Eskalation des Konflikts. "
    "Er sagte, Moskau sei zu Verhandlungen mit der NATO bereit.\n";
constexpr int kCopies = 150;

const text::TextPipeline* Pipeline() {
  static const text::TextPipeline* pipeline = [] {
    auto created = text::TextPipeline::Create();
    return created.ok() ? created->release() : nullptr;
  }();
  return pipeline;
}

std::string DirectoryOf(const std::string& file) {
  return file.substr(0, file.rfind('/'));
}

const nlpd_plugin_api* LoadOrFail(const std::string& file) {
  std::string error;
  const nlpd_plugin_api* api = LoadPluginApi(file, &error);
  EXPECT_NE(api, nullptr) << file << ": " << error;
  return api;
}

}  // namespace

std::string CancellationCaseName(
    const ::testing::TestParamInfo<CancellationCase>& info) {
  return info.param.name;
}

void PrintTo(const CancellationCase& test_case, std::ostream* os) {
  *os << test_case.name;
}

std::string PluginCancellationTest::PluginDir() const {
  return DirectoryOf(GetParam().plugin_file);
}

void PluginCancellationTest::SetUp() {
  api_ = LoadOrFail(GetParam().plugin_file);
  ASSERT_NE(api_, nullptr);
  instance_ = std::make_unique<PluginInstance>(*api_, "", PluginDir());
  ASSERT_EQ(instance_->error(), nullptr) << instance_->error()->message;

  ASSERT_NE(Pipeline(), nullptr);
  std::string text;
  for (int i = 0; i < kCopies; ++i) text += kParagraph;
  absl::StatusOr<nlpd::v1::Document> document = Pipeline()->Process(text, "de");
  ASSERT_TRUE(document.ok()) << document.status();
  *long_request_.mutable_document() = *std::move(document);

  for (const std::string& file : GetParam().dependency_files) {
    const nlpd_plugin_api* dependency = LoadOrFail(file);
    ASSERT_NE(dependency, nullptr);
    PluginInstance instance(*dependency, "", DirectoryOf(file));
    ASSERT_EQ(instance.error(), nullptr) << instance.error()->message;
    AnalyzeOutcome outcome =
        AnalyzeThroughAbi(*dependency, instance, long_request_);
    ASSERT_EQ(outcome.error, nullptr) << outcome.error->message;
    google::protobuf::Any& result =
        (*long_request_
              .mutable_dependency_results())[dependency->descriptor->name];
    result.set_type_url(std::string("type.googleapis.com/") +
                        dependency->descriptor->result_type);
    result.set_value(std::move(outcome.result));
  }
}

TEST_P(PluginCancellationTest, DescriptorSaysItChecksCancellation) {
  const nlpd_plugin_descriptor& descriptor = *api_->descriptor;
  EXPECT_EQ(descriptor.name, GetParam().name);
  ASSERT_TRUE(
      NLPD_HAS_FIELD(nlpd_plugin_descriptor, &descriptor, checks_cancellation));
  EXPECT_EQ(descriptor.checks_cancellation, 1);
}

TEST_P(PluginCancellationTest, AnswersWhenNotCancelled) {
  const AnalyzeOutcome outcome =
      AnalyzeThroughAbi(*api_, *instance_, long_request_);
  ASSERT_EQ(outcome.error, nullptr) << outcome.error->message;
  EXPECT_FALSE(outcome.result.empty());
  EXPECT_GE(outcome.polls, long_request_.document().sentences_size());
}

TEST_P(PluginCancellationTest, AnswersTheSameOnAnAbi10Host) {
  const AnalyzeOutcome current =
      AnalyzeThroughAbi(*api_, *instance_, long_request_);
  ASSERT_EQ(current.error, nullptr) << current.error->message;

  PluginInstance old_host(*api_, "", PluginDir(), AbiV10HostApi());
  ASSERT_EQ(old_host.error(), nullptr) << old_host.error()->message;
  const AnalyzeOutcome old = AnalyzeThroughAbi(*api_, old_host, long_request_,
                                               /*cancel_after_polls=*/0);
  ASSERT_EQ(old.error, nullptr) << old.error->message;
  EXPECT_EQ(old.polls, 0);  // is_cancelled is not in the table
  EXPECT_EQ(old.result, current.result);
}

TEST_P(PluginCancellationTest, StopsAtOnceWhenCancelledFromTheStart) {
  ASSERT_GT(long_request_.document().sentences_size(), 500);
  const AnalyzeOutcome outcome = AnalyzeThroughAbi(
      *api_, *instance_, long_request_, /*cancel_after_polls=*/0);
  ASSERT_NE(outcome.error, nullptr);
  EXPECT_EQ(outcome.error->code, NLPD_ERROR_CANCELLED)
      << outcome.error->message;
  EXPECT_EQ(outcome.polls, 1);
  EXPECT_TRUE(outcome.result.empty());
  // Parsing the request is all that is left; generous for slow machines.
  EXPECT_LT(outcome.elapsed, absl::Seconds(1));
}

TEST_P(PluginCancellationTest, StopsAtTheFirstPollAnsweredCancelled) {
  const AnalyzeOutcome full =
      AnalyzeThroughAbi(*api_, *instance_, long_request_);
  ASSERT_EQ(full.error, nullptr) << full.error->message;
  for (const int cancel_after : {full.polls / 2, full.polls - 1}) {
    SCOPED_TRACE(::testing::Message() << "cancelled after " << cancel_after
                                      << " of " << full.polls << " polls");
    const AnalyzeOutcome outcome =
        AnalyzeThroughAbi(*api_, *instance_, long_request_, cancel_after);
    ASSERT_NE(outcome.error, nullptr);
    EXPECT_EQ(outcome.error->code, NLPD_ERROR_CANCELLED)
        << outcome.error->message;
    EXPECT_EQ(outcome.polls, cancel_after + 1);
    EXPECT_TRUE(outcome.result.empty());
  }
}

}  // namespace nlpd::testing
