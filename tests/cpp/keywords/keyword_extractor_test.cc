#include "keyword_extractor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "nlpd/span.h"
#include "stopwords.h"
#include "test_documents.h"
#include "unicode.h"

namespace nlpd::keywords {
namespace {

using ::nlpd::keywords::testing::kEnglishRatesArticle;
using ::nlpd::keywords::testing::kGermanHeatingLawArticle;
using ::nlpd::keywords::testing::MakeDocument;
using ::nlpd::keywords::testing::SimpleDocument;
using ::testing::Contains;
using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::Not;

KeywordExtractor MakeExtractor(std::string_view config = "") {
  absl::StatusOr<KeywordExtractor> extractor = KeywordExtractor::Create(config);
  EXPECT_TRUE(extractor.ok()) << extractor.status();
  return *std::move(extractor);
}

v1::KeywordsResult Extract(const nlpd::v1::Document& document,
                           std::string_view config = "") {
  absl::StatusOr<v1::KeywordsResult> result =
      MakeExtractor(config).Extract(document);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : v1::KeywordsResult();
}

std::vector<std::string> Normalized(const v1::KeywordsResult& result) {
  std::vector<std::string> keys;
  for (const v1::Keyword& keyword : result.keywords()) {
    keys.push_back(keyword.normalized());
  }
  return keys;
}

std::vector<std::string> Texts(const v1::KeywordsResult& result) {
  std::vector<std::string> texts;
  for (const v1::Keyword& keyword : result.keywords()) {
    texts.push_back(keyword.text());
  }
  return texts;
}

std::string_view Slice(const nlpd::v1::Document& document,
                       const nlpd::v1::Span& span) {
  return std::string_view(document.text())
      .substr(span.byte_start(), span.byte_end() - span.byte_start());
}

std::string Collapse(std::string_view text) {
  return absl::StrJoin(
      absl::StrSplit(absl::string_view(text.data(), text.size()),
                     absl::ByAnyChar(" \n\t"), absl::SkipEmpty()),
      " ");
}

struct Article {
  std::string_view text;
  std::string_view language;
};

class BothArticlesTest : public ::testing::TestWithParam<Article> {
 protected:
  nlpd::v1::Document document_ =
      MakeDocument(GetParam().text, GetParam().language);
  v1::KeywordsResult result_ = Extract(document_);
};

INSTANTIATE_TEST_SUITE_P(
    NewsArticles, BothArticlesTest,
    ::testing::Values(Article{kEnglishRatesArticle, "en"},
                      Article{kGermanHeatingLawArticle, "de"}),
    [](const auto& info) { return std::string(info.param.language); });

// ---------------------------------------------------------------------------
// What the keywords are

TEST(KeywordExtractorTest, EnglishRatesArticleLeadsWithInterestRates) {
  const v1::KeywordsResult result =
      Extract(MakeDocument(kEnglishRatesArticle, "en"));
  const std::vector<std::string> keys = Normalized(result);
  ASSERT_GE(keys.size(), 5u);
  const std::vector<std::string> top5(keys.begin(), keys.begin() + 5);
  EXPECT_THAT(top5, Contains("interest rates")) << absl::StrJoin(keys, " | ");
  EXPECT_THAT(keys, Contains("federal reserve"));
  EXPECT_THAT(keys, Contains("powell"));
}

TEST(KeywordExtractorTest, GermanHeatingLawArticleLeadsWithHeizungsgesetz) {
  const v1::KeywordsResult result =
      Extract(MakeDocument(kGermanHeatingLawArticle, "de"));
  const std::vector<std::string> texts = Texts(result);
  ASSERT_GE(texts.size(), 3u);
  const std::vector<std::string> top3(texts.begin(), texts.begin() + 3);
  // German nouns keep their capital letter.
  EXPECT_THAT(top3, Contains("Heizungsgesetz")) << absl::StrJoin(texts, " | ");
  EXPECT_THAT(texts, Contains("Bundestag"));
}

TEST(KeywordExtractorTest, HyphenatedCompoundIsOneWord) {
  const v1::KeywordsResult result =
      Extract(MakeDocument(kGermanHeatingLawArticle, "de"), "max_keywords: 50");
  EXPECT_THAT(Texts(result), Contains("CDU-Fraktion"));
  EXPECT_THAT(Normalized(result), Not(Contains("fraktion")));
}

TEST(KeywordExtractorTest, EnglishPossessiveIsCutOff) {
  const nlpd::v1::Document document = MakeDocument(kEnglishRatesArticle, "en");
  const v1::KeywordsResult result = Extract(document, "max_keywords: 50");
  auto powell = std::find_if(
      result.keywords().begin(), result.keywords().end(),
      [](const v1::Keyword& keyword) { return keyword.text() == "Powell"; });
  ASSERT_NE(powell, result.keywords().end());
  // "Jerome Powell said" and "Powell's remarks".
  EXPECT_EQ(powell->mentions_size(), 2);
  for (const nlpd::v1::Span& span : powell->mentions()) {
    EXPECT_EQ(Slice(document, span), "Powell");
  }
}

TEST(KeywordExtractorTest, CaseVariantsMergeIntoOneKeyword) {
  // "Inflation" starts a sentence; the phrase is still "inflation".
  const nlpd::v1::Document document = SimpleDocument(
      "Inflation rose again. Economists expect inflation to fall. The bank "
      "fights inflation with higher rates.",
      "en");
  const v1::KeywordsResult result = Extract(document);
  auto inflation = std::find_if(
      result.keywords().begin(), result.keywords().end(),
      [](const v1::Keyword& k) { return k.normalized() == "inflation"; });
  ASSERT_NE(inflation, result.keywords().end());
  EXPECT_EQ(inflation->text(), "inflation");
  EXPECT_EQ(inflation->mentions_size(), 3);
}

TEST(KeywordExtractorTest, NearDuplicatesAreLeftOut) {
  const nlpd::v1::Document document =
      MakeDocument(std::string(kEnglishRatesArticle) +
                       " Analysts called the interest rate decision overdue.",
                   "en");
  const std::vector<std::string> keys =
      Normalized(Extract(document, "max_keywords: 50"));
  EXPECT_THAT(keys, Contains("interest rates"));
  EXPECT_THAT(keys, Not(Contains("interest rate")));
  // "rate" and "rates" are 0.89 alike: distinct at the default 0.9, one
  // keyword at 0.85.
  EXPECT_THAT(keys, Contains("rate"));
  EXPECT_THAT(
      Normalized(Extract(document, "max_keywords: 50 dedup_threshold: 0.85")),
      Not(Contains("rate")));
}

TEST(KeywordExtractorTest, NumbersAloneAreNotKeywords) {
  EXPECT_EQ(
      Extract(SimpleDocument("2023 3,5 10.000 42 - 7.", "en")).keywords_size(),
      0);
  const v1::KeywordsResult result = Extract(
      MakeDocument(kGermanHeatingLawArticle, "de"), "max_keywords: 1000");
  for (const v1::Keyword& keyword : result.keywords()) {
    EXPECT_FALSE(std::all_of(keyword.normalized().begin(),
                             keyword.normalized().end(),
                             [](char c) { return absl::ascii_isdigit(c); }))
        << keyword.normalized();
    EXPECT_THAT(keyword.normalized(), Not(HasSubstr("399")));
  }
}

TEST(KeywordExtractorTest, OnlyStopwordsGiveNoKeywords) {
  EXPECT_EQ(Extract(SimpleDocument("It is what it is, and so be it.", "en"))
                .keywords_size(),
            0);
}

TEST(KeywordExtractorTest, EmptyDocumentGivesNoKeywords) {
  EXPECT_EQ(Extract(SimpleDocument("", "de")).keywords_size(), 0);
}

TEST(KeywordExtractorTest, StopwordsInsideAPhraseAreKept) {
  const nlpd::v1::Document document = SimpleDocument(
      "The Bank of England held rates. Analysts said the Bank of England "
      "would wait. The Bank of England meets again in June.",
      "en");
  EXPECT_THAT(Normalized(Extract(document, "max_keywords: 50")),
              Contains("bank of england"));
}

// ---------------------------------------------------------------------------
// Invariants of every result

TEST_P(BothArticlesTest, MentionsSliceBackToThePhrase) {
  ASSERT_GT(result_.keywords_size(), 0);
  for (const v1::Keyword& keyword : result_.keywords()) {
    ASSERT_GT(keyword.mentions_size(), 0) << keyword.text();
    EXPECT_EQ(FoldCase(keyword.text()), keyword.normalized());
    bool text_occurs = false;
    for (const nlpd::v1::Span& span : keyword.mentions()) {
      const std::string slice = Collapse(Slice(document_, span));
      EXPECT_EQ(FoldCase(slice), keyword.normalized());
      text_occurs |= slice == keyword.text();
      // Code-point offsets agree with byte offsets.
      EXPECT_EQ(
          span.char_start(),
          sdk::CodePointCount(
              std::string_view(document_.text()).substr(0, span.byte_start())));
      EXPECT_EQ(span.char_end() - span.char_start(),
                sdk::CodePointCount(Slice(document_, span)));
    }
    EXPECT_TRUE(text_occurs) << keyword.text() << " is not a spelling seen";
  }
}

TEST_P(BothArticlesTest, MentionsAreEveryOccurrenceInTextOrder) {
  const std::string folded_text = FoldCase(document_.text());
  for (const v1::Keyword& keyword : result_.keywords()) {
    for (int i = 1; i < keyword.mentions_size(); ++i) {
      EXPECT_LT(keyword.mentions(i - 1).byte_start(),
                keyword.mentions(i).byte_start());
    }
    // Whole-word occurrences of the phrase, found by plain search.
    int occurrences = 0;
    for (size_t at = folded_text.find(keyword.normalized());
         at != std::string::npos;
         at = folded_text.find(keyword.normalized(), at + 1)) {
      const size_t end = at + keyword.normalized().size();
      const bool starts_word =
          at == 0 || !absl::ascii_isalnum(folded_text[at - 1]);
      const bool ends_word =
          end == folded_text.size() || !absl::ascii_isalnum(folded_text[end]);
      // A hyphen touching a letter joins a compound ("CDU-Fraktion"); one
      // before a space does not ("Öl- und Gasheizungen").
      const bool joined_after = end + 1 < folded_text.size() &&
                                folded_text[end] == '-' &&
                                folded_text[end + 1] != ' ';
      const bool joined_before = at > 0 && folded_text[at - 1] == '-';
      if (starts_word && ends_word && !joined_after && !joined_before) {
        ++occurrences;
      }
    }
    EXPECT_EQ(keyword.mentions_size(), occurrences) << keyword.normalized();
  }
}

TEST_P(BothArticlesTest, StopwordsNeverBeginOrEndAPhrase) {
  const StopwordSet stopwords =
      ParseStopwords(*BuiltinStopwordList(GetParam().language));
  const v1::KeywordsResult all = Extract(document_, "max_keywords: 1000");
  ASSERT_GT(all.keywords_size(), 20);
  for (const v1::Keyword& keyword : all.keywords()) {
    const std::vector<std::string> words =
        absl::StrSplit(keyword.normalized(), ' ');
    EXPECT_FALSE(stopwords.contains(words.front())) << keyword.normalized();
    EXPECT_FALSE(stopwords.contains(words.back())) << keyword.normalized();
  }
}

TEST_P(BothArticlesTest, PhrasesStayInsideOneSentence) {
  const v1::KeywordsResult all = Extract(document_, "max_keywords: 1000");
  for (const v1::Keyword& keyword : all.keywords()) {
    for (const nlpd::v1::Span& mention : keyword.mentions()) {
      const bool inside_one = std::any_of(
          document_.sentences().begin(), document_.sentences().end(),
          [&](const nlpd::v1::Sentence& sentence) {
            return sentence.span().byte_start() <= mention.byte_start() &&
                   mention.byte_end() <= sentence.span().byte_end();
          });
      EXPECT_TRUE(inside_one) << keyword.normalized();
    }
  }
}

TEST_P(BothArticlesTest, ScoresAreInZeroOneAndDescending) {
  ASSERT_GT(result_.keywords_size(), 1);
  EXPECT_FLOAT_EQ(result_.keywords(0).score(), 1.0f);
  for (int i = 0; i < result_.keywords_size(); ++i) {
    EXPECT_GT(result_.keywords(i).score(), 0.0f);
    EXPECT_LE(result_.keywords(i).score(), 1.0f);
    if (i > 0) {
      EXPECT_LE(result_.keywords(i).score(), result_.keywords(i - 1).score());
    }
  }
}

TEST_P(BothArticlesTest, ResultIsDeterministic) {
  const v1::KeywordsResult again = Extract(document_);
  EXPECT_EQ(again.SerializeAsString(), result_.SerializeAsString());
}

TEST_P(BothArticlesTest, ConcurrentCallsAgree) {
  const KeywordExtractor extractor = MakeExtractor();
  std::vector<std::string> outputs(4);
  std::vector<std::thread> threads;
  threads.reserve(outputs.size());
  for (std::string& output : outputs) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        output = extractor.Extract(document_)->SerializeAsString();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(outputs, Each(result_.SerializeAsString()));
}

TEST(KeywordExtractorTest, EqualScoresKeepTextOrder) {
  // Two sentences of the same shape: symmetric words score alike.
  const v1::KeywordsResult result = Extract(
      SimpleDocument("Apples grow. Pears grow.", "en"), "max_phrase_words: 1");
  ASSERT_GE(result.keywords_size(), 2);
  std::vector<std::string> keys = Normalized(result);
  const auto apples = std::find(keys.begin(), keys.end(), "apples");
  const auto pears = std::find(keys.begin(), keys.end(), "pears");
  ASSERT_NE(apples, keys.end());
  ASSERT_NE(pears, keys.end());
  if (result.keywords(static_cast<int>(apples - keys.begin())).score() ==
      result.keywords(static_cast<int>(pears - keys.begin())).score()) {
    EXPECT_LT(apples, pears);
  }
}

// ---------------------------------------------------------------------------
// Configuration

TEST(KeywordExtractorConfigTest, EmptyConfigMeansDefaults) {
  const v1::KeywordsResult result = Extract(
      MakeDocument(kEnglishRatesArticle, "en"), "  # nothing to change\n");
  EXPECT_EQ(result.keywords_size(), 10);
}

TEST(KeywordExtractorConfigTest, MaxKeywordsIsHonored) {
  const nlpd::v1::Document document = MakeDocument(kEnglishRatesArticle, "en");
  EXPECT_EQ(Extract(document, "max_keywords: 3").keywords_size(), 3);
  EXPECT_EQ(Extract(document, "max_keywords: 1").keywords_size(), 1);
  EXPECT_GT(Extract(document, "max_keywords: 40").keywords_size(), 10);
}

TEST(KeywordExtractorConfigTest, MaxPhraseWordsIsHonored) {
  const nlpd::v1::Document document = MakeDocument(kEnglishRatesArticle, "en");
  for (int max_words : {1, 2}) {
    const v1::KeywordsResult result =
        Extract(document, "max_keywords: 1000 max_phrase_words: " +
                              std::to_string(max_words));
    ASSERT_GT(result.keywords_size(), 0);
    for (const v1::Keyword& keyword : result.keywords()) {
      const std::vector<std::string> words =
          absl::StrSplit(keyword.normalized(), ' ');
      EXPECT_LE(static_cast<int>(words.size()), max_words)
          << keyword.normalized();
    }
  }
}

TEST(KeywordExtractorConfigTest, ExtraStopwordsAreNeverKeywords) {
  const v1::KeywordsResult result =
      Extract(MakeDocument(kEnglishRatesArticle, "en"),
              R"(max_keywords: 1000 extra_stopwords: ["POWELL", "Fed"])");
  for (const v1::Keyword& keyword : result.keywords()) {
    const std::vector<std::string> words =
        absl::StrSplit(keyword.normalized(), ' ');
    EXPECT_NE(words.front(), "powell");
    EXPECT_NE(words.back(), "powell");
    EXPECT_NE(words.front(), "fed");
  }
}

TEST(KeywordExtractorConfigTest, BadConfigIsRejectedNamingTheProblem) {
  const struct {
    std::string_view config;
    std::string_view problem;
  } cases[] = {
      {"max_keywords: 0", "max_keywords is 0"},
      {"max_keywords: 5000", "max_keywords is 5000"},
      {"max_keywords: -1", "line 1, column 15"},
      {"max_phrase_words: 9", "max_phrase_words is 9"},
      {"dedup_threshold: 0", "dedup_threshold is 0"},
      {"dedup_threshold: 1.5", "dedup_threshold is 1.5"},
      {"extra_stopwords: 'per cent'", "extra_stopwords[0]"},
      {"extra_stopwords: ''", "extra_stopwords[0]"},
      {"max_keyword: 3", "max_keyword"},
      {"max_keywords: ten", "line 1, column 15"},
      {"{", "line 1"},
  };
  for (const auto& c : cases) {
    absl::StatusOr<KeywordExtractor> extractor =
        KeywordExtractor::Create(c.config);
    ASSERT_FALSE(extractor.ok()) << c.config;
    EXPECT_EQ(extractor.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(extractor.status().message(), HasSubstr(c.problem))
        << c.config << " -> " << extractor.status();
    EXPECT_THAT(extractor.status().message(), HasSubstr("KeywordsConfig"));
  }
}

// ---------------------------------------------------------------------------
// Input checks

TEST(KeywordExtractorInputTest, LanguageWithoutStopwordsIsRejected) {
  absl::StatusOr<v1::KeywordsResult> result =
      MakeExtractor().Extract(SimpleDocument("Le taux monte.", "fr"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("\"fr\""));
  EXPECT_THAT(result.status().message(), HasSubstr("de, en"));
}

TEST(KeywordExtractorInputTest, RegionSubtagIsIgnored) {
  EXPECT_TRUE(MakeExtractor()
                  .Extract(SimpleDocument("Interest rates rose.", "en-GB"))
                  .ok());
}

TEST(KeywordExtractorInputTest, TokenOutsideTheTextIsRejected) {
  nlpd::v1::Document document = SimpleDocument("Zinsen steigen.", "de");
  document.mutable_tokens(1)->mutable_span()->set_byte_end(1000);
  absl::StatusOr<v1::KeywordsResult> result = MakeExtractor().Extract(document);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("token 1"));
}

TEST(KeywordExtractorInputTest, SentenceOutsideTheTokensIsRejected) {
  nlpd::v1::Document document = SimpleDocument("Zinsen steigen.", "de");
  document.mutable_sentences(0)->set_token_end(99);
  absl::StatusOr<v1::KeywordsResult> result = MakeExtractor().Extract(document);
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("sentence 0"));
}

TEST(KeywordExtractorInputTest, DocumentWithoutSentencesIsOneSentence) {
  nlpd::v1::Document document =
      SimpleDocument("Die Zinsen steigen. Die Zinsen fallen.", "de");
  document.clear_sentences();
  EXPECT_THAT(Normalized(Extract(document)), Contains("zinsen"));
}

// ---------------------------------------------------------------------------
// Helpers

TEST(UnicodeTest, FoldCase) {
  EXPECT_EQ(FoldCase("Straße"), "strasse");
  EXPECT_EQ(FoldCase("ÜBERFORDERUNG"), "überforderung");
  EXPECT_EQ(FoldCase("Federal Reserve"), "federal reserve");
}

TEST(UnicodeTest, CaseOf) {
  EXPECT_EQ(CaseOf("EZB"), WordCase::kAcronym);
  EXPECT_EQ(CaseOf("COVID-19"), WordCase::kAcronym);
  EXPECT_EQ(CaseOf("Öl"), WordCase::kCapitalized);
  EXPECT_EQ(CaseOf("A"), WordCase::kCapitalized);
  EXPECT_EQ(CaseOf("rates"), WordCase::kOther);
  EXPECT_EQ(CaseOf("2023"), WordCase::kOther);
}

TEST(UnicodeTest, SimilarityMatchesTheProtoDocumentation) {
  EXPECT_NEAR(Similarity("heizungsgesetz", "heizungsgesetzes"), 0.933, 1e-3);
  EXPECT_NEAR(Similarity("bundestag", "bundesrat"), 0.778, 1e-3);
  EXPECT_DOUBLE_EQ(Similarity("über", "über"), 1.0);
  EXPECT_DOUBLE_EQ(Similarity("", ""), 1.0);
  EXPECT_DOUBLE_EQ(Similarity("ä", "a"), 0.0);
}

TEST(StopwordsTest, BuiltinListsAreLargeAndFolded) {
  EXPECT_THAT(BuiltinStopwordLanguages(), ::testing::ElementsAre("de", "en"));
  const StopwordSet german = ParseStopwords(*BuiltinStopwordList("de"));
  const StopwordSet english = ParseStopwords(*BuiltinStopwordList("en"));
  EXPECT_GT(german.size(), 300u);
  EXPECT_GT(english.size(), 300u);
  EXPECT_TRUE(german.contains("für"));
  EXPECT_TRUE(german.contains("dass"));
  EXPECT_TRUE(english.contains("the"));
  EXPECT_FALSE(english.contains("# articles, determiners, quantifiers"));
  EXPECT_FALSE(BuiltinStopwordList("fr").has_value());
}

TEST(StopwordsTest, ParseSkipsCommentsAndBlankLines) {
  EXPECT_EQ(ParseStopwords("# header\n\n  Der  \nDIE # article\n"),
            (StopwordSet{"der", "die"}));
}

}  // namespace
}  // namespace nlpd::keywords
