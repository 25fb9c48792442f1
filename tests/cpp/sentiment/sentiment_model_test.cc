// The sentiment model library: file format and loading errors, feature
// extraction contracts, and the committed models on sentences written for
// this test (an actor praised, condemned, or neutrally reported on), in
// German and English, tokenized by the server's text pipeline.
#include "model/sentiment_model.h"

#include <gtest/gtest.h>

#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "model/features.h"
#include "model/model_file.h"
#include "text/text_pipeline.h"

namespace nlpd::sentiment {
namespace {

std::string ReadModel(const std::string& name) {
  std::ifstream in(std::string(NLPD_SENTIMENT_MODEL_DIR) + "/" + name,
                   std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST(SentimentModelFileTest, RejectsGarbageWithAReason) {
  std::string error;
  EXPECT_EQ(SentimentModel::Load("not a model", &error), nullptr);
  EXPECT_NE(error.find("bad magic"), std::string::npos) << error;
  EXPECT_EQ(SentimentModel::Load("", nullptr), nullptr);
}

TEST(SentimentModelFileTest, RejectsTruncatedFiles) {
  const std::string bytes = ReadModel("sentiment_en.bin");
  ASSERT_GT(bytes.size(), 100u);
  std::string error;
  EXPECT_EQ(SentimentModel::Load(bytes.substr(0, bytes.size() / 2), &error),
            nullptr);
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(SentimentModel::Load(bytes + "x", &error), nullptr);
  EXPECT_NE(error.find("trailing"), std::string::npos) << error;
}

TEST(SentimentModelFileTest, RoundTripsAHandMadeModel) {
  ModelFile model;
  model.config = {Language::kGerman, kSentenceWords | kTranslation, 10};
  std::vector<float> dense((size_t{1} << 10) * kNumClasses, 0.0f);
  dense[7 * kNumClasses + 2] = 1.5f;
  dense[9 * kNumClasses + 0] = -0.5f;
  model.target = Quantize(dense, 2.0f);
  model.sentence = Quantize(dense, 1.0f);
  model.lexicon = Lexicon({{5, 1}, {3, 2}, {5, 0}, {3, 2}});
  ASSERT_EQ(model.target.rows, (std::vector<uint32_t>{7, 9}));
  const std::string bytes = SerializeModelFile(model);
  ModelFile parsed;
  std::string error;
  ASSERT_TRUE(ParseModelFile(bytes, &parsed, &error)) << error;
  EXPECT_EQ(parsed.config.groups, model.config.groups);
  EXPECT_EQ(parsed.config.row_bits, 10);
  EXPECT_EQ(parsed.target.rows, model.target.rows);
  EXPECT_EQ(parsed.target.weights, model.target.weights);
  EXPECT_FLOAT_EQ(parsed.target.temperature, 2.0f);
  EXPECT_EQ(parsed.lexicon.entries().size(), 3u);  // The duplicate dropped.
  EXPECT_EQ(parsed.lexicon.Find(5).size(), 2u);
  EXPECT_TRUE(parsed.lexicon.Find(4).empty());
  EXPECT_EQ(SerializeModelFile(parsed), bytes);
}

TEST(SentimentFeaturesTest, RowsAreInRangeAndDeterministic) {
  const FeatureConfig config{Language::kEnglish, 0xFFFFFFFFu, 12};
  const std::vector<std::string_view> words = {
      "She", "did", "n't", "praise", "him", ",", "but", "me", "."};
  std::vector<uint32_t> first, second, sentence;
  ExtractFeatures(config, nullptr, FeatureMode::kTarget, words, 4, 5, &first);
  ExtractFeatures(config, nullptr, FeatureMode::kTarget, words, 4, 5, &second);
  ExtractFeatures(config, nullptr, FeatureMode::kSentence, words, 0, 0,
                  &sentence);
  EXPECT_EQ(first, second);
  EXPECT_GT(first.size(), sentence.size());
  for (uint32_t row : first) EXPECT_LT(row, 1u << 12);
  // Out-of-range targets are clamped, not a crash.
  std::vector<uint32_t> clamped;
  ExtractFeatures(config, nullptr, FeatureMode::kTarget, words, -3, 100,
                  &clamped);
  ExtractFeatures(config, nullptr, FeatureMode::kTarget, {}, 0, 1, &clamped);
  EXPECT_EQ(LowerCase("ÄRGER Straße"), "ärger straße");
}

TEST(SentimentFeaturesTest, RoleGroupsAddRowsOnlyWhenTheyApply) {
  FeatureConfig plain{Language::kEnglish, kSentenceWords, 16};
  FeatureConfig roles = plain;
  roles.groups |= kSpeaker | kQuotes | kPredicate;
  // A speaker of a quotation with a copula after the target.
  const std::vector<std::string_view> words = {
      "Smith", "said", "\u201C", "Jones", "is", "a", "liar", "\u201D", "."};
  std::vector<uint32_t> without, with;
  ExtractFeatures(plain, nullptr, FeatureMode::kTarget, words, 0, 1, &without);
  ExtractFeatures(roles, nullptr, FeatureMode::kTarget, words, 0, 1, &with);
  // Speaker flag + 5 reported words, quote flag + 4 quoted words; no
  // predicate after "Smith".
  EXPECT_EQ(with.size(), without.size() + 11);
  with.clear();
  ExtractFeatures(roles, nullptr, FeatureMode::kTarget, words, 3, 4, &with);
  // Not a speaker (flag only), inside the quotation (flag only), "a liar"
  // predicated of "Jones".
  EXPECT_EQ(with.size(), without.size() + 4);
}

// The committed models on sentences written for the test.
class CommittedModelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pipeline = text::TextPipeline::Create();
    ASSERT_TRUE(pipeline.ok());
    pipeline_ = pipeline->release();
    std::string error;
    german_ =
        SentimentModel::Load(ReadModel("sentiment_de.bin"), &error).release();
    ASSERT_NE(german_, nullptr) << error;
    english_ =
        SentimentModel::Load(ReadModel("sentiment_en.bin"), &error).release();
    ASSERT_NE(english_, nullptr) << error;
  }

  // The class the model gives `target` (a word of the sentence) in `text`.
  static int TargetClass(const SentimentModel& model, std::string_view language,
                         const std::string& text, std::string_view target,
                         Probabilities* probabilities = nullptr) {
    auto document = pipeline_->Process(text, language);
    EXPECT_TRUE(document.ok());
    std::vector<std::string> tokens;
    for (const auto& token : document->tokens()) {
      tokens.push_back(document->text().substr(
          token.span().byte_start(),
          token.span().byte_end() - token.span().byte_start()));
    }
    const std::vector<std::string_view> words(tokens.begin(), tokens.end());
    int index = 0;
    while (index < static_cast<int>(words.size()) && words[index] != target) {
      ++index;
    }
    EXPECT_LT(index, static_cast<int>(words.size())) << target;
    const Probabilities p = model.TargetPolarity(words, index, index + 1);
    EXPECT_NEAR(std::accumulate(p.begin(), p.end(), 0.0f), 1.0f, 1e-5f);
    const Probabilities sentence = model.SentencePolarity(words);
    EXPECT_NEAR(std::accumulate(sentence.begin(), sentence.end(), 0.0f), 1.0f,
                1e-5f);
    if (probabilities) *probabilities = p;
    std::printf("%s [%s] -> %.3f %.3f %.3f\n", text.c_str(),
                std::string(target).c_str(), p[0], p[1], p[2]);
    return static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
  }

  static text::TextPipeline* pipeline_;
  static SentimentModel* german_;
  static SentimentModel* english_;
};
text::TextPipeline* CommittedModelTest::pipeline_ = nullptr;
SentimentModel* CommittedModelTest::german_ = nullptr;
SentimentModel* CommittedModelTest::english_ = nullptr;

TEST_F(CommittedModelTest, EnglishActorPraisedCondemnedReported) {
  EXPECT_EQ(TargetClass(*english_, "en",
                        "Supporters praised Johnson for his courageous "
                        "leadership and his remarkable success.",
                        "Johnson"),
            kPositive);
  // A known miss of this bag-of-words model (docs/MODELS.md): "Johnson is a
  // corrupt liar." comes out neutral, with nearly even probabilities.
  EXPECT_EQ(TargetClass(*english_, "en",
                        "Critics condemned Johnson as a corrupt liar who "
                        "failed his voters.",
                        "Johnson"),
            kNegative);
  EXPECT_EQ(TargetClass(*english_, "en",
                        "Critics slammed Johnson for his disastrous and "
                        "dishonest handling of the crisis.",
                        "Johnson"),
            kNegative);
  EXPECT_EQ(TargetClass(*english_, "en",
                        "Johnson arrived in Washington on Tuesday for a "
                        "meeting with the committee.",
                        "Johnson"),
            kNeutral);
}

TEST_F(CommittedModelTest, EnglishTopicTarget) {
  EXPECT_EQ(TargetClass(*english_, "en",
                        "The ceasefire has failed and the fighting is worse "
                        "than ever.",
                        "ceasefire"),
            kNegative);
}

TEST_F(CommittedModelTest, GermanActorPraisedCondemnedReported) {
  EXPECT_EQ(TargetClass(*german_, "de",
                        "Die Ärzte lobten Müller für seine hervorragende "
                        "Arbeit und seinen großen Erfolg.",
                        "Müller"),
            kPositive);
  EXPECT_EQ(TargetClass(*german_, "de",
                        "Die Opposition verurteilte Müller scharf und warf "
                        "ihm Betrug und Lügen vor.",
                        "Müller"),
            kNegative);
  EXPECT_EQ(TargetClass(*german_, "de",
                        "Müller reiste am Dienstag nach Berlin, um an einer "
                        "Sitzung des Ausschusses teilzunehmen.",
                        "Müller"),
            kNeutral);
}

}  // namespace
}  // namespace nlpd::sentiment
