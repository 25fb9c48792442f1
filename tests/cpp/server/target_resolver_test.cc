// ResolveTargets over documents from the real text pipeline.
#include "pipeline/target_resolver.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "text/text_pipeline.h"

namespace nlpd {
namespace {

using ::testing::HasSubstr;

class TargetResolverTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pipeline = text::TextPipeline::Create();
    ASSERT_TRUE(pipeline.ok()) << pipeline.status();
    pipeline_ = pipeline->release();
  }
  static void TearDownTestSuite() { delete pipeline_; }

  static v1::Document Process(const std::string& text) {
    absl::StatusOr<v1::Document> document = pipeline_->Process(text, "de");
    EXPECT_TRUE(document.ok()) << document.status();
    return *document;
  }

  static std::string Text(const v1::Document& document, const v1::Span& span) {
    return document.text().substr(span.byte_start(),
                                  span.byte_end() - span.byte_start());
  }

  static const text::TextPipeline* pipeline_;
};
const text::TextPipeline* TargetResolverTest::pipeline_ = nullptr;

google::protobuf::RepeatedPtrField<v1::Target> Texts(
    std::initializer_list<std::string> texts) {
  google::protobuf::RepeatedPtrField<v1::Target> targets;
  for (const std::string& text : texts) targets.Add()->set_text(text);
  return targets;
}

TEST_F(TargetResolverTest, TextMatchesWholeTokensIgnoringCase) {
  const v1::Document document = Process(
      "Die Inflation steigt. Gegen die inflation hilft keine "
      "Inflationsrate. INFLATION!");
  auto mentions = ResolveTargets(Texts({"Inflation"}), document);
  ASSERT_TRUE(mentions.ok()) << mentions.status();
  ASSERT_EQ(mentions->size(), 3u);
  EXPECT_EQ(Text(document, (*mentions)[0].span()), "Inflation");
  EXPECT_EQ(Text(document, (*mentions)[1].span()), "inflation");
  EXPECT_EQ(Text(document, (*mentions)[2].span()), "INFLATION");
  EXPECT_EQ((*mentions)[2].target(), 0u);
}

TEST_F(TargetResolverTest, MultiWordTargetsIgnoreWhiteSpaceAndFoldCase) {
  const v1::Document document = Process(
      "Die Straßenbahn fährt. Der Waffenstillstand   in Gaza hält, sagt die "
      "STRASSENBAHN.");
  auto mentions = ResolveTargets(
      Texts({"waffenstillstand in gaza", "Straßenbahn"}), document);
  ASSERT_TRUE(mentions.ok()) << mentions.status();
  ASSERT_EQ(mentions->size(), 3u);
  // Text order, each with its target's index.
  EXPECT_EQ(Text(document, (*mentions)[0].span()), "Straßenbahn");
  EXPECT_EQ((*mentions)[0].target(), 1u);
  EXPECT_EQ(Text(document, (*mentions)[1].span()),
            "Waffenstillstand   in Gaza");
  EXPECT_EQ((*mentions)[1].target(), 0u);
  EXPECT_EQ(Text(document, (*mentions)[2].span()), "STRASSENBAHN");
}

TEST_F(TargetResolverTest, TextDoesNotMatchAcrossSentences) {
  const v1::Document document = Process("Er kam aus Berlin. Paris lag fern.");
  auto mentions = ResolveTargets(Texts({"Berlin. Paris"}), document);
  ASSERT_TRUE(mentions.ok());
  EXPECT_TRUE(mentions->empty());
}

TEST_F(TargetResolverTest, RangeGetsByteOffsetsFromCodePoints) {
  const v1::Document document = Process("Über Köln und Zürich.");
  google::protobuf::RepeatedPtrField<v1::Target> targets;
  v1::CharRange* range = targets.Add()->mutable_range();
  range->set_char_start(14);  // "Zürich"
  range->set_char_end(20);
  auto mentions = ResolveTargets(targets, document);
  ASSERT_TRUE(mentions.ok()) << mentions.status();
  ASSERT_EQ(mentions->size(), 1u);
  const v1::Span& span = (*mentions)[0].span();
  EXPECT_EQ(span.char_start(), 14u);
  EXPECT_EQ(span.char_end(), 20u);
  EXPECT_EQ(Text(document, span), "Zürich");
}

TEST_F(TargetResolverTest, BadTargetsAreInvalidArgumentNamingTheTarget) {
  const v1::Document document = Process("Kurzer Text.");
  google::protobuf::RepeatedPtrField<v1::Target> targets = Texts({"Text"});
  v1::CharRange* range = targets.Add()->mutable_range();
  range->set_char_start(3);
  range->set_char_end(13);  // the text has 12 code points
  auto mentions = ResolveTargets(targets, document);
  EXPECT_EQ(mentions.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(mentions.status().message()),
              HasSubstr("target 1: the range [3, 13) ends past the text"));

  range->set_char_end(12);  // exactly the end is fine
  EXPECT_TRUE(ResolveTargets(targets, document).ok());

  range->set_char_end(3);
  EXPECT_THAT(std::string(ResolveTargets(targets, document).status().message()),
              HasSubstr("target 1: the range [3, 3) is empty"));

  EXPECT_THAT(
      std::string(ResolveTargets(Texts({" \t"}), document).status().message()),
      HasSubstr("target 0: the text is empty"));
  google::protobuf::RepeatedPtrField<v1::Target> unset;
  unset.Add();
  EXPECT_THAT(std::string(ResolveTargets(unset, document).status().message()),
              HasSubstr("neither text nor range"));

  google::protobuf::RepeatedPtrField<v1::Target> many;
  for (int i = 0; i <= kMaxTargets; ++i) many.Add()->set_text("Text");
  EXPECT_THAT(std::string(ResolveTargets(many, document).status().message()),
              HasSubstr("over the limit of 256"));
}

}  // namespace
}  // namespace nlpd
