#include "text/period_classifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/language_rules.h"
#include "text/utf16_text.h"

namespace nlpd::text {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PeriodClassifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<LanguageRuleSet> rules = LanguageRuleSet::LoadEmbedded();
    ASSERT_TRUE(rules.ok()) << rules.status();
    rules_ = *std::move(rules);
  }

  std::vector<PeriodRole> Roles(std::string_view text,
                                std::string_view language) {
    const Utf16Text utf16(text);
    std::vector<PeriodRole> roles;
    for (const ClassifiedPeriod& p :
         ClassifyPeriods(utf16, rules_.ForLanguage(language))) {
      roles.push_back(p.role);
    }
    return roles;
  }

  LanguageRuleSet rules_;
};

TEST_F(PeriodClassifierTest, GermanOrdinalsAndYears) {
  EXPECT_THAT(Roles("am 1. Juli, die 3. Liga, 2. und 100. Geburtstag.", "de"),
              ElementsAre(PeriodRole::kOrdinal, PeriodRole::kOrdinal,
                          PeriodRole::kOrdinal, PeriodRole::kOrdinal,
                          PeriodRole::kSentenceEnd));
  EXPECT_THAT(Roles("seit 2019. Die Zahl, bis 1999. Im Mai, Platz 4. Er", "de"),
              ElementsAre(PeriodRole::kSentenceEnd, PeriodRole::kSentenceEnd,
                          PeriodRole::kSentenceEnd));
  // A 3-digit number is no day of the month.
  EXPECT_THAT(Roles("Es waren 120. Oktober kam.", "de"),
              ElementsAre(PeriodRole::kOrdinal, PeriodRole::kSentenceEnd));
}

TEST_F(PeriodClassifierTest, NumbersInsideWordsAreNoCandidates) {
  EXPECT_THAT(Roles("10.000 und 21.10.2024 und 3.5", "de"), ElementsAre());
}

TEST_F(PeriodClassifierTest, MultiPartAbbreviations) {
  EXPECT_THAT(
      Roles("z. B. Bonn, u. a. Essen", "de"),
      ElementsAre(PeriodRole::kAbbreviation, PeriodRole::kAbbreviation,
                  PeriodRole::kAbbreviation, PeriodRole::kAbbreviation));
  EXPECT_THAT(Roles("um 50 v. Chr. Die", "de"),
              ElementsAre(PeriodRole::kAbbreviation,
                          PeriodRole::kAbbreviationEndingSentence));
  EXPECT_THAT(Roles("Vgl. Seite 3", "de"),
              ElementsAre(PeriodRole::kAbbreviation));
}

TEST_F(PeriodClassifierTest, AbbreviationAtEndOfText) {
  EXPECT_THAT(Roles("Äpfel, Birnen usw.", "de"),
              ElementsAre(PeriodRole::kAbbreviationEndingSentence));
}

TEST_F(PeriodClassifierTest, InitialsAndSingleLetters) {
  EXPECT_THAT(Roles("Franklin D. Roosevelt, Plan B. The end", "en"),
              ElementsAre(PeriodRole::kInitial, PeriodRole::kSentenceEnd));
  EXPECT_THAT(Roles("Anna K.\nBerg", "de"),
              ElementsAre(PeriodRole::kSentenceEnd));
}

TEST_F(PeriodClassifierTest, UnknownLanguageUsesGenericRules) {
  EXPECT_THAT(Roles("am 21. Oktober Dr. Who J. Doe", "fr"),
              ElementsAre(PeriodRole::kSentenceEnd, PeriodRole::kSentenceEnd,
                          PeriodRole::kInitial));
}

TEST(LanguageRuleSetTest, SelectsByPrimarySubtag) {
  absl::StatusOr<LanguageRuleSet> rules = LanguageRuleSet::LoadEmbedded();
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_TRUE(rules->HasLanguage("de"));
  EXPECT_TRUE(rules->HasLanguage("en"));
  EXPECT_TRUE(rules->ForLanguage("DE-at").ordinal_numbers());
  EXPECT_TRUE(rules->ForLanguage("de_CH").ordinal_numbers());
  EXPECT_FALSE(rules->ForLanguage("en-GB").ordinal_numbers());
  EXPECT_EQ(rules->ForLanguage("en").FindAbbreviation(u"Mr."),
            AbbreviationKind::kNeverEndsSentence);
  EXPECT_EQ(rules->ForLanguage("de").FindAbbreviation(u"z. B."),
            AbbreviationKind::kNeverEndsSentence);
  EXPECT_EQ(rules->ForLanguage("xx").FindAbbreviation(u"Mr."),
            AbbreviationKind::kNone);
}

TEST(LanguageRulesTest, ParsesSectionsAndNormalizesSpaces) {
  absl::StatusOr<LanguageRules> rules = LanguageRules::Parse(
      "test.txt",
      "# comment\n[options]\nordinal_numbers\n[abbreviations]\nz.  B.\n"
      "[sentence_final_abbreviations]\nu. v. m.\n[months]\nMai\n"
      "[sentence_starters]\nDie\n");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_TRUE(rules->ordinal_numbers());
  EXPECT_EQ(rules->FindAbbreviation(u"z. B."),
            AbbreviationKind::kNeverEndsSentence);
  EXPECT_EQ(rules->FindAbbreviation(u"u. v. m."),
            AbbreviationKind::kMayEndSentence);
  EXPECT_EQ(rules->max_abbreviation_parts(), 3u);
  EXPECT_TRUE(rules->IsMonth(u"Mai"));
  EXPECT_TRUE(rules->IsSentenceStarter(u"Die"));
  EXPECT_FALSE(rules->IsSentenceStarter(u"die"));
}

TEST(LanguageRulesTest, RejectsMalformedFiles) {
  EXPECT_THAT(std::string(LanguageRules::Parse("x.txt", "[options]\nfast\n")
                              .status()
                              .message()),
              HasSubstr("x.txt:2: unknown option"));
  EXPECT_THAT(
      std::string(LanguageRules::Parse("x.txt", "Dr.\n").status().message()),
      HasSubstr("x.txt:1: entry before"));
  EXPECT_THAT(
      std::string(
          LanguageRules::Parse("x.txt", "[abbrevs]\n").status().message()),
      HasSubstr("unknown section"));
  EXPECT_THAT(
      std::string(LanguageRules::Parse("x.txt",
                                       "[abbreviations]\nDr.\n"
                                       "[sentence_final_abbreviations]\nDr.\n")
                      .status()
                      .message()),
      HasSubstr("x.txt:4: 'Dr.' is in two sections"));
  EXPECT_FALSE(LanguageRules::Parse("x.txt", "[abbreviations]\nDr\n").ok());
}

}  // namespace
}  // namespace nlpd::text
