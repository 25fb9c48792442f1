// The character n-gram language model for short texts: its features, its
// file, and the committed model on the texts of issue 13.
#include "text/char_ngram_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace nlpd::text {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::pair<int, uint32_t>> Ngrams(std::string_view text,
                                             int max_order = 2) {
  std::vector<std::pair<int, uint32_t>> ngrams;
  ForEachNgram(text, max_order, 16, [&](int order, uint32_t bucket) {
    ngrams.emplace_back(order, bucket);
  });
  return ngrams;
}

TEST(LanguageModelNgramsTest, PadsLowerCasedWordsAndSkipsTheLoneBoundary) {
  // " ab ": unigrams a, b; bigrams " a", "ab", "b ".
  const auto ngrams = Ngrams("ab");
  ASSERT_EQ(ngrams.size(), 5u);
  EXPECT_EQ(ngrams[0].first, 1);  // a
  EXPECT_EQ(ngrams[1].first, 2);  // " a"
  EXPECT_EQ(ngrams[2].first, 1);  // b
  EXPECT_EQ(ngrams[3].first, 2);  // ab
  EXPECT_EQ(ngrams[4].first, 2);  // "b "
  EXPECT_EQ(Ngrams("AB"), ngrams);
  EXPECT_EQ(Ngrams("  ab, "), ngrams);
  // Digits and punctuation separate words; no letters, no n-grams.
  EXPECT_EQ(Ngrams("a1b").size(), 6u);  // " a", "a ", a, " b", "b ", b
  EXPECT_TRUE(Ngrams("12345 !!!").empty());
  // Letters beyond ASCII, lower-cased: Ä is ä.
  EXPECT_EQ(Ngrams("ÄRGER", 5), Ngrams("ärger", 5));
}

TEST(LanguageModelNgramsTest, FewerBitsAreTheTopBits) {
  std::vector<uint32_t> wide;
  std::vector<uint32_t> narrow;
  ForEachNgram("Merkel sprach.", 5, 20,
               [&](int, uint32_t bucket) { wide.push_back(bucket); });
  ForEachNgram("Merkel sprach.", 5, 16,
               [&](int, uint32_t bucket) { narrow.push_back(bucket); });
  ASSERT_EQ(wide.size(), narrow.size());
  for (size_t i = 0; i < wide.size(); ++i) {
    EXPECT_EQ(wide[i] >> 4, narrow[i]);
    EXPECT_LT(wide[i], 1u << 20);
  }
}

CharNgramModel Small() {
  std::vector<double> de(1 << 8, -8.0);
  std::vector<double> en(1 << 8, -6.0);
  return CharNgramModel::Quantize(3, 8, {"de", "en"}, {de, en});
}

TEST(LanguageModelFileTest, RoundTripsAndScoresByPrimarySubtag) {
  const CharNgramModel model = Small();
  absl::StatusOr<CharNgramModel> parsed =
      CharNgramModel::Parse(model.Serialize());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->languages(), ElementsAre("de", "en"));
  EXPECT_EQ(parsed->max_order(), 3);
  EXPECT_EQ(parsed->bucket_bits(), 8);
  const std::optional<double> de = parsed->Score("ab", "DE-at");
  const std::optional<double> en = parsed->Score("ab", "en");
  ASSERT_TRUE(de.has_value() && en.has_value());
  // " ab " to order 3: 2 + 3 + 2 n-grams.
  EXPECT_NEAR(*de, -8.0 * 7, 0.1);
  EXPECT_NEAR(*en, -6.0 * 7, 0.1);
  EXPECT_FALSE(parsed->Score("ab", "fr").has_value());
  EXPECT_FALSE(parsed->Score("123", "de").has_value());
}

TEST(LanguageModelFileTest, RejectsBrokenFiles) {
  const std::string bytes = Small().Serialize();
  EXPECT_THAT(CharNgramModel::Parse("NLPDXXX1").status().message(),
              HasSubstr("bad magic"));
  EXPECT_THAT(CharNgramModel::Parse(bytes.substr(0, bytes.size() - 1))
                  .status()
                  .message(),
              HasSubstr("truncated"));
  EXPECT_THAT(CharNgramModel::Parse(bytes + "x").status().message(),
              HasSubstr("trailing"));
  std::string bad_order = bytes;
  bad_order[8] = 9;  // max_order
  EXPECT_THAT(CharNgramModel::Parse(bad_order).status().message(),
              HasSubstr("max_order 9"));
}

TEST(LanguageModelEmbeddedTest, KnowsGermanAndEnglishAndTheHeadlines) {
  absl::StatusOr<CharNgramModel> model = CharNgramModel::LoadEmbedded();
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_THAT(model->languages(), ElementsAre("de", "en"));
  auto prefers = [&](std::string_view text) {
    return *model->Score(text, "de") > *model->Score(text, "en") ? "de" : "en";
  };
  EXPECT_EQ(prefers("Merkel sprach."), std::string("de"));
  EXPECT_EQ(prefers("Biden meets Xi."), std::string("en"));
  EXPECT_EQ(prefers("Die Regierung tritt zurück."), std::string("de"));
  EXPECT_EQ(prefers("Stocks fall sharply."), std::string("en"));
}

}  // namespace
}  // namespace nlpd::text
