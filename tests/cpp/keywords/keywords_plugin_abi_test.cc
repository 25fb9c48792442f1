// Loads libnlpd_keywords.so the way the server does, through the C ABI
// alone, and decodes its result the way a client does, from the descriptor
// set the plugin ships; and runs the cancellation suite every built-in
// plugin passes. This binary must not link the generated keywords.pb.cc:
// the plugin registers those types itself.
#include <gmock/gmock.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "abi_test_host.h"
#include "cancellation_tests.h"
#include "nlpd/plugin.h"
#include "nlpd/v1/plugin.pb.h"
#include "test_documents.h"

namespace nlpd::keywords {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::DescriptorPool;
using ::google::protobuf::DynamicMessageFactory;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::FileDescriptorSet;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;
using ::nlpd::testing::CancellationCase;
using ::nlpd::testing::CancellationCaseName;
using ::nlpd::testing::ErrorPtr;
using ::nlpd::testing::PluginCancellationTest;
using ::nlpd::testing::TestHostApi;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kPluginPath[] = NLPD_KEYWORDS_PLUGIN_PATH;

class KeywordsPluginAbiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string error;
    api_ = nlpd::testing::LoadPluginApi(kPluginPath, &error);
    ASSERT_NE(api_, nullptr) << error;
  }

  void SetUp() override { ASSERT_NE(api_, nullptr); }

  nlpd_plugin_instance* CreateOrFail(std::string_view config) {
    const std::string dir =
        std::string(kPluginPath).substr(0, std::string(kPluginPath).rfind('/'));
    nlpd_create_args args{sizeof(nlpd_create_args), config.data(),
                          config.size(), dir.c_str()};
    nlpd_plugin_instance* instance = nullptr;
    ErrorPtr error(api_->create(TestHostApi(), &args, &instance));
    EXPECT_EQ(error, nullptr) << error->message;
    return instance;
  }

  static std::string RequestBytes(std::string_view text,
                                  std::string_view language) {
    nlpd::v1::PluginRequest request;
    *request.mutable_document() =
        nlpd::keywords::testing::MakeDocument(text, language);
    return request.SerializeAsString();
  }

  static inline const nlpd_plugin_api* api_ = nullptr;
};

// Builds the plugin's result type from its descriptor set, as clients do.
class ResultDecoder {
 public:
  explicit ResultDecoder(const nlpd_plugin_descriptor& descriptor) {
    FileDescriptorSet set;
    EXPECT_TRUE(
        set.ParseFromArray(descriptor.descriptor_set,
                           static_cast<int>(descriptor.descriptor_set_size)));
    for (const auto& file : set.file()) {
      EXPECT_NE(pool_.BuildFile(file), nullptr) << file.name();
    }
    type_ = pool_.FindMessageTypeByName(descriptor.result_type);
  }
  const Descriptor* type() const { return type_; }

  std::unique_ptr<Message> Decode(const std::string& bytes) {
    std::unique_ptr<Message> message(factory_.GetPrototype(type_)->New());
    EXPECT_TRUE(message->ParseFromString(bytes));
    return message;
  }

 private:
  DescriptorPool pool_;
  DynamicMessageFactory factory_;
  const Descriptor* type_ = nullptr;
};

TEST_F(KeywordsPluginAbiTest, SpeaksAbiVersion1) {
  EXPECT_EQ(api_->struct_size, sizeof(nlpd_plugin_api));
  EXPECT_EQ(api_->abi_major, NLPD_ABI_VERSION_MAJOR);
  EXPECT_EQ(api_->abi_minor, NLPD_ABI_VERSION_MINOR);
  ASSERT_NE(api_->create, nullptr);
  ASSERT_NE(api_->analyze, nullptr);
  ASSERT_NE(api_->destroy, nullptr);
}

TEST_F(KeywordsPluginAbiTest, DescribesItself) {
  const nlpd_plugin_descriptor& d = *api_->descriptor;
  EXPECT_EQ(d.struct_size, sizeof(nlpd_plugin_descriptor));
  EXPECT_STREQ(d.name, "keywords");
  EXPECT_STRNE(d.version, "");
  EXPECT_STRNE(d.description, "");
  EXPECT_THAT(
      std::vector<std::string>(d.languages, d.languages + d.language_count),
      ElementsAre("de", "en"));
  EXPECT_EQ(d.dependency_count, 0u);
  EXPECT_STREQ(d.result_type, "nlpd.keywords.v1.KeywordsResult");
  EXPECT_NE(d.thread_safe, 0);
}

TEST_F(KeywordsPluginAbiTest, ShipsTheDescriptorSetOfItsResult) {
  const nlpd_plugin_descriptor& d = *api_->descriptor;
  ASSERT_NE(d.descriptor_set, nullptr);
  ASSERT_GT(d.descriptor_set_size, 0u);
  FileDescriptorSet set;
  ASSERT_TRUE(set.ParseFromArray(d.descriptor_set,
                                 static_cast<int>(d.descriptor_set_size)));
  std::vector<std::string> files;
  for (const auto& file : set.file()) files.push_back(file.name());
  EXPECT_THAT(files, ::testing::Contains("nlpd/keywords/v1/keywords.proto"));
  // Dependencies come first, so a client can build the files in order.
  EXPECT_EQ(files.back(), "nlpd/keywords/v1/keywords.proto");

  ResultDecoder decoder(d);
  ASSERT_NE(decoder.type(), nullptr);
  const Descriptor* keyword =
      decoder.type()->file()->pool()->FindMessageTypeByName(
          "nlpd.keywords.v1.Keyword");
  ASSERT_NE(keyword, nullptr);
  for (const char* field : {"text", "score", "mentions", "normalized"}) {
    EXPECT_NE(keyword->FindFieldByName(field), nullptr) << field;
  }
}

TEST_F(KeywordsPluginAbiTest, CreateAnalyzeDestroy) {
  nlpd_plugin_instance* instance = CreateOrFail("max_keywords: 5");
  const std::string request =
      RequestBytes(nlpd::keywords::testing::kGermanHeatingLawArticle, "de");
  const nlpd_analyze_input input{
      sizeof(nlpd_analyze_input),
      reinterpret_cast<const uint8_t*>(request.data()),
      request.size(),
      nullptr,
      0,
      "de"};
  nlpd_result_sink sink;
  ErrorPtr error(api_->analyze(instance, &input, &sink));
  ASSERT_EQ(error, nullptr) << error->message;
  api_->destroy(instance);

  ResultDecoder decoder(*api_->descriptor);
  std::unique_ptr<Message> result = decoder.Decode(sink.bytes);
  const Reflection& reflection = *result->GetReflection();
  const FieldDescriptor* keywords = decoder.type()->FindFieldByName("keywords");
  ASSERT_EQ(reflection.FieldSize(*result, keywords), 5);
  std::vector<std::string> texts;
  for (int i = 0; i < 5; ++i) {
    const Message& keyword =
        reflection.GetRepeatedMessage(*result, keywords, i);
    const Descriptor& type = *keyword.GetDescriptor();
    const Reflection& fields = *keyword.GetReflection();
    texts.push_back(fields.GetString(keyword, type.FindFieldByName("text")));
    const float score = fields.GetFloat(keyword, type.FindFieldByName("score"));
    EXPECT_GT(score, 0.0f);
    EXPECT_LE(score, 1.0f);
    EXPECT_GT(fields.FieldSize(keyword, type.FindFieldByName("mentions")), 0);
  }
  EXPECT_THAT(texts, ::testing::Contains("Heizungsgesetz"));
}

TEST_F(KeywordsPluginAbiTest, CreateRejectsABadConfig) {
  const std::string config = "max_keywords: 0";
  nlpd_create_args args{sizeof(nlpd_create_args), config.data(), config.size(),
                        "/nonexistent"};
  nlpd_plugin_instance* instance = nullptr;
  ErrorPtr error(api_->create(TestHostApi(), &args, &instance));
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->code, NLPD_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(error->message, HasSubstr("max_keywords"));
}

TEST_F(KeywordsPluginAbiTest, AnalyzeRejectsBytesThatAreNoRequest) {
  nlpd_plugin_instance* instance = CreateOrFail("");
  const uint8_t garbage[] = {0xFF, 0xFF, 0xFF, 0xFF};
  const nlpd_analyze_input input{
      sizeof(nlpd_analyze_input), garbage, sizeof(garbage), nullptr, 0, "en"};
  nlpd_result_sink sink;
  ErrorPtr error(api_->analyze(instance, &input, &sink));
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->code, NLPD_ERROR_INVALID_ARGUMENT);
  api_->destroy(instance);
}

TEST_F(KeywordsPluginAbiTest, AnalyzeReportsAnUnsupportedLanguage) {
  nlpd_plugin_instance* instance = CreateOrFail("");
  const std::string request = RequestBytes("Les taux montent.", "fr");
  const nlpd_analyze_input input{
      sizeof(nlpd_analyze_input),
      reinterpret_cast<const uint8_t*>(request.data()),
      request.size(),
      nullptr,
      0,
      "fr"};
  nlpd_result_sink sink;
  ErrorPtr error(api_->analyze(instance, &input, &sink));
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->code, NLPD_ERROR_INVALID_ARGUMENT);
  EXPECT_THAT(error->message, HasSubstr("fr"));
  api_->destroy(instance);
}

// The cancellation suite every built-in plugin passes
// (tests/cpp/plugin_abi/cancellation_tests.h).
INSTANTIATE_TEST_SUITE_P(Keywords, PluginCancellationTest,
                         ::testing::Values(CancellationCase{
                             "keywords", kPluginPath, {}}),
                         CancellationCaseName);

}  // namespace
}  // namespace nlpd::keywords
