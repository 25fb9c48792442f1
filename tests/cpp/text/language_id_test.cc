#include "text/language_id.h"

#include <gtest/gtest.h>

#include <string>

namespace nlpd::text {
namespace {

TEST(IdentifyLanguageTest, GermanParagraph) {
  const LanguageGuess guess = IdentifyLanguage(
      "Der Stadtrat hat den Ausbau der Radwege beschlossen. Die Arbeiten "
      "sollen im Frühjahr beginnen und bis zum Herbst abgeschlossen sein.");
  EXPECT_EQ(guess.code, "de");
  EXPECT_GT(guess.confidence, 0.8f);
  EXPECT_LE(guess.confidence, 1.0f);
}

TEST(IdentifyLanguageTest, EnglishParagraph) {
  const LanguageGuess guess = IdentifyLanguage(
      "Heavy rain flooded several roads in the valley overnight, and "
      "emergency crews spent the morning clearing mud from the main bridge.");
  EXPECT_EQ(guess.code, "en");
  EXPECT_GT(guess.confidence, 0.8f);
}

TEST(IdentifyLanguageTest, ShortTextHasLowConfidence) {
  const LanguageGuess guess = IdentifyLanguage("ok");
  EXPECT_FALSE(guess.code.empty());
  EXPECT_LT(guess.confidence, 0.8f);
  EXPECT_FALSE(guess.confident);
}

TEST(IdentifyLanguageTest, ReportsWhatTheDecisionNeeds) {
  const LanguageGuess paragraph = IdentifyLanguage(
      "Der Stadtrat hat den Ausbau der Radwege beschlossen. Die Arbeiten "
      "sollen im Frühjahr beginnen und bis zum Herbst abgeschlossen sein.");
  EXPECT_TRUE(paragraph.confident);
  EXPECT_TRUE(paragraph.reliable);
  EXPECT_GE(paragraph.text_bytes, kConfidentTextBytes);
  ASSERT_GE(paragraph.candidate_count, 1);
  EXPECT_EQ(paragraph.candidates[0].code, "de");
  EXPECT_GT(paragraph.candidates[0].percent, 90);
  EXPECT_GT(paragraph.candidates[0].score, 0);

  // CLD2 calls its Polish reliable, with 93 %: the score gives it away.
  const LanguageGuess headline = IdentifyLanguage("Merkel sprach.");
  EXPECT_EQ(headline.code, "pl");
  EXPECT_TRUE(headline.reliable);
  EXPECT_FALSE(headline.confident);
  EXPECT_LT(headline.text_bytes, kConfidentTextBytes);
  EXPECT_EQ(headline.candidate_count, 1);
}

TEST(IdentifyLanguageTest, NoLettersIsUnknown) {
  const LanguageGuess guess = IdentifyLanguage("12345 !!! ---");
  EXPECT_EQ(guess.code, "und");
  EXPECT_EQ(guess.confidence, 0.0f);
  EXPECT_FALSE(guess.confident);
  EXPECT_EQ(guess.candidate_count, 0);
}

TEST(IdentifyLanguageTest, ControlCharactersDoNotHideTheLanguage) {
  const LanguageGuess guess = IdentifyLanguage(
      "Die Bundesregierung will das Gesetz noch in diesem Jahr verabschieden, "
      "sagte ein Sprecher am Mittwoch in Berlin.\x01 Rest");
  EXPECT_EQ(guess.code, "de");
}

TEST(CanonicalLanguageTagTest, CasesSubtagsByTheirKind) {
  EXPECT_EQ(CanonicalLanguageTag("de"), "de");
  EXPECT_EQ(CanonicalLanguageTag("DE"), "de");
  EXPECT_EQ(CanonicalLanguageTag("De"), "de");
  EXPECT_EQ(CanonicalLanguageTag("de-DE"), "de-DE");
  EXPECT_EQ(CanonicalLanguageTag("de-de"), "de-DE");
  EXPECT_EQ(CanonicalLanguageTag("EN-gb"), "en-GB");
  EXPECT_EQ(CanonicalLanguageTag("ZH-HANT"), "zh-Hant");
  EXPECT_EQ(CanonicalLanguageTag("sr-latn-rs"), "sr-Latn-RS");
  EXPECT_EQ(CanonicalLanguageTag("ES-419"), "es-419");
  // Extended language subtag and variants: lower case.
  EXPECT_EQ(CanonicalLanguageTag("ZH-YUE-HK"), "zh-yue-HK");
  EXPECT_EQ(CanonicalLanguageTag("DE-CH-1996"), "de-CH-1996");
  EXPECT_EQ(CanonicalLanguageTag("SL-ROZAJ-BISKE"), "sl-rozaj-biske");
}

TEST(CanonicalLanguageTagTest, UnderscoreBecomesHyphen) {
  EXPECT_EQ(CanonicalLanguageTag("de_DE"), "de-DE");
  EXPECT_EQ(CanonicalLanguageTag("de_at"), "de-AT");
  EXPECT_EQ(CanonicalLanguageTag("zh_hant_tw"), "zh-Hant-TW");
  EXPECT_EQ(CanonicalLanguageTag("en_US-posix"), "en-US-posix");
}

TEST(CanonicalLanguageTagTest, SubtagsAfterASingletonAreLowerCase) {
  // RFC 5646 2.1.1: extensions and private use are lower case whatever
  // their length, so "DE" after "x-" is not a region.
  EXPECT_EQ(CanonicalLanguageTag("EN-X-DE"), "en-x-de");
  EXPECT_EQ(CanonicalLanguageTag("de-DE-u-CO-PHONEBK"), "de-DE-u-co-phonebk");
  EXPECT_EQ(CanonicalLanguageTag("en-a-Latn-x-US"), "en-a-latn-x-us");
}

TEST(CanonicalLanguageTagTest, IsIdempotentAndKeepsTheTagWellFormed) {
  for (const std::string tag :
       {"de", "DE", "de_DE", "EN-gb", "zh_hant_tw", "und", "xx", "es_419",
        "en-x-DE", "sr-Latn-RS"}) {
    const std::string canonical = CanonicalLanguageTag(tag);
    EXPECT_EQ(canonical.size(), tag.size()) << tag;
    EXPECT_TRUE(IsLanguageTag(canonical)) << tag;
    EXPECT_EQ(CanonicalLanguageTag(canonical), canonical) << tag;
  }
}

}  // namespace
}  // namespace nlpd::text
