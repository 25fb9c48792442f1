#include "text/language_id.h"

#include <gtest/gtest.h>

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
}

TEST(IdentifyLanguageTest, NoLettersIsUnknown) {
  const LanguageGuess guess = IdentifyLanguage("12345 !!! ---");
  EXPECT_EQ(guess.code, "und");
  EXPECT_EQ(guess.confidence, 0.0f);
}

TEST(IdentifyLanguageTest, ControlCharactersDoNotHideTheLanguage) {
  const LanguageGuess guess = IdentifyLanguage(
      "Die Bundesregierung will das Gesetz noch in diesem Jahr verabschieden, "
      "sagte ein Sprecher am Mittwoch in Berlin.\x01 Rest");
  EXPECT_EQ(guess.code, "de");
}

}  // namespace
}  // namespace nlpd::text
