// The decision rule of the server's language identification: when CLD2's
// guess is trusted (IsConfident), and what replaces it when not
// (ChooseLanguage), on made-up guesses and on CLD2's real answers.
#include "text/language_choice.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "text/char_ngram_model.h"
#include "text/language_id.h"

namespace nlpd::text {
namespace {

using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

// Analyses that run in the languages given, each with how many of the
// requested analyses run in it ("und" for those that take any language).
class FakeSupport final : public LanguageSupport {
 public:
  explicit FakeSupport(std::map<std::string, int> runnable)
      : runnable_(std::move(runnable)) {
    for (const auto& [language, count] : runnable_) {
      if (language != "und") languages_.push_back(language);
    }
  }

  int Runnable(std::string_view language) const override {
    auto found = runnable_.find(std::string(PrimarySubtag(language)));
    if (found != runnable_.end()) return found->second;
    auto any = runnable_.find("und");
    return any == runnable_.end() ? 0 : any->second;
  }
  std::span<const std::string> Languages() const override { return languages_; }

 private:
  std::map<std::string, int> runnable_;
  std::vector<std::string> languages_;
};

// A scorer that answers from a table and records what it was asked.
class FakeScores {
 public:
  explicit FakeScores(std::map<std::string, double> scores)
      : scores_(std::move(scores)) {}

  std::optional<double> operator()(std::string_view language) {
    asked_.emplace_back(language);
    auto found = scores_.find(std::string(language));
    if (found == scores_.end()) return std::nullopt;
    return found->second;
  }
  const std::vector<std::string>& asked() const { return asked_; }

 private:
  std::map<std::string, double> scores_;
  std::vector<std::string> asked_;
};

// CLD2's answer on a short text: one candidate, unsure.
LanguageGuess Unsure(std::string_view code, int percent = 93,
                     int text_bytes = 15) {
  LanguageGuess guess;
  guess.code = code;
  guess.confidence = percent / 100.0f;
  guess.candidates[0] = {code, percent, 438};
  guess.candidate_count = 1;
  guess.text_bytes = text_bytes;
  guess.reliable = true;
  guess.confident = false;
  return guess;
}

// ChooseLanguage with CLD2's hinted scores `scores` and the model's
// `model` (none: a model that knows no language).
LanguageChoice Choose(const LanguageGuess& guess, std::string_view fallback,
                      const LanguageSupport* support, FakeScores& scores) {
  FakeScores no_model({});
  return ChooseLanguage(
      guess, fallback, support,
      [&no_model](std::string_view language) { return no_model(language); },
      [&scores](std::string_view language) { return scores(language); });
}
LanguageChoice Choose(const LanguageGuess& guess,
                      const LanguageSupport* support, FakeScores& model,
                      FakeScores& scores) {
  return ChooseLanguage(
      guess, "", support,
      [&model](std::string_view language) { return model(language); },
      [&scores](std::string_view language) { return scores(language); });
}

// The server's language model (server/text/model/langid_ngrams.bin).
const CharNgramModel& Model() {
  static const CharNgramModel* const model = [] {
    absl::StatusOr<CharNgramModel> loaded = CharNgramModel::LoadEmbedded();
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return new CharNgramModel(*std::move(loaded));
  }();
  return *model;
}

TEST(IsConfidentTest, LongTextsAreAlwaysTrusted) {
  EXPECT_TRUE(IsConfident(kConfidentTextBytes, /*reliable=*/false, 0));
  EXPECT_TRUE(IsConfident(5000, /*reliable=*/true, 100));
}

TEST(IsConfidentTest, ShortTextsNeedAScoreThatGrowsAsTheyShrink) {
  // 15 bytes ("Merkel sprach."): the score must reach 2000 - 30 * 15.
  EXPECT_FALSE(IsConfident(15, true, 438));  // CLD2's Polish for it
  EXPECT_FALSE(IsConfident(15, true, 1549));
  EXPECT_TRUE(IsConfident(15, true, 1550));
  // 40 bytes: 800 is enough.
  EXPECT_FALSE(IsConfident(40, true, 799));
  EXPECT_TRUE(IsConfident(40, true, 800));
  // Never when CLD2 itself calls it unreliable.
  EXPECT_FALSE(IsConfident(40, false, 5000));
  EXPECT_FALSE(IsConfident(kConfidentTextBytes - 1, false, 5000));
}

TEST(ChooseLanguageTest, TrustsAConfidentGuess) {
  LanguageGuess guess = Unsure("de", 97, 80);
  guess.confident = true;
  guess.confidence = 0.97f;
  const FakeSupport support({{"en", 1}});
  FakeScores scores({{"en", 5000}});
  const LanguageChoice choice = Choose(guess, "en", &support, scores);
  EXPECT_EQ(choice.language, "de");
  EXPECT_FLOAT_EQ(choice.confidence, 0.97f);
  EXPECT_EQ(choice.source, v1::LANGUAGE_SOURCE_IDENTIFIED);
  EXPECT_THAT(scores.asked(), IsEmpty());
}

TEST(ChooseLanguageTest, UnsureTakesTheCallersDefaultFirst) {
  const FakeSupport support({{"de", 1}, {"en", 1}});
  FakeScores scores({{"de", 900}, {"en", 800}});
  LanguageChoice choice = Choose(Unsure("pl"), "DE_at", &support, scores);
  EXPECT_EQ(choice.language, "de-AT");  // canonical
  EXPECT_EQ(choice.source, v1::LANGUAGE_SOURCE_DEFAULT);
  EXPECT_EQ(choice.confidence, 0.0f);  // CLD2 did not see German
  EXPECT_THAT(scores.asked(), IsEmpty());

  // A default CLD2 did rank: half its share (the guess was unsure).
  choice = Choose(Unsure("en", 90), "en", &support, scores);
  EXPECT_EQ(choice.source, v1::LANGUAGE_SOURCE_DEFAULT);
  EXPECT_FLOAT_EQ(choice.confidence, 0.45f);
}

TEST(ChooseLanguageTest, UnsureWithoutAnalysesKeepsTheGuessAsFallback) {
  FakeScores scores({});
  LanguageChoice choice = Choose(Unsure("pl"), "", nullptr, scores);
  EXPECT_EQ(choice.language, "pl");
  EXPECT_EQ(choice.source, v1::LANGUAGE_SOURCE_FALLBACK);
  EXPECT_FLOAT_EQ(choice.confidence, 0.465f);

  choice = Choose(LanguageGuess{}, "", nullptr, scores);  // no letters
  EXPECT_EQ(choice.language, "und");
  EXPECT_EQ(choice.source, v1::LANGUAGE_SOURCE_UNDETERMINED);
}

TEST(ChooseLanguageTest, UnsureKeepsAGuessTheAnalysesSupport) {
  const FakeSupport support({{"de", 1}, {"en", 1}});
  FakeScores scores({{"de", 5000}, {"en", 100}});
  const LanguageChoice choice = Choose(Unsure("en"), "", &support, scores);
  EXPECT_EQ(choice.language, "en");
  EXPECT_EQ(choice.source, v1::LANGUAGE_SOURCE_FALLBACK);
  // Nothing to gain by scoring: CLD2's own guess lets the analysis run.
  EXPECT_THAT(scores.asked(), IsEmpty());
}

TEST(ChooseLanguageTest, UnsureTakesTheAnalysesLanguageCld2ScoresHighest) {
  // "Merkel sprach.": Polish to CLD2; scored with the same prior each,
  // which of the analyses' languages fits best?
  const FakeSupport support({{"de", 1}, {"en", 1}});
  FakeScores scores({{"de", 900}, {"en", 600}});
  LanguageChoice choice = Choose(Unsure("pl"), "", &support, scores);
  EXPECT_EQ(choice.language, "de");
  EXPECT_EQ(choice.source, v1::LANGUAGE_SOURCE_FALLBACK);
  EXPECT_EQ(choice.confidence, 0.0f);
  EXPECT_THAT(scores.asked(), ElementsAre("de", "en"));

  // A language CLD2 would not pick even when boosted is not a candidate.
  FakeScores english_only({{"en", 600}});
  choice = Choose(Unsure("pl"), "", &support, english_only);
  EXPECT_EQ(choice.language, "en");
}

TEST(ChooseLanguageTest, PrefersCld2sLowerCandidateOverScoring) {
  LanguageGuess guess = Unsure("pl", 60);
  guess.candidates[1] = {"en", 30, 500};
  guess.candidate_count = 2;
  const FakeSupport support({{"de", 1}, {"en", 1}});
  FakeScores scores({{"de", 5000}});
  const LanguageChoice choice = Choose(guess, "", &support, scores);
  EXPECT_EQ(choice.language, "en");
  EXPECT_FLOAT_EQ(choice.confidence, 0.15f);
  EXPECT_THAT(scores.asked(), IsEmpty());
}

TEST(ChooseLanguageTest, PrefersTheLanguageMoreRequestedAnalysesRunIn) {
  // keywords takes any language, entities de and en: Polish would run one
  // of the two, German both.
  const FakeSupport support({{"und", 1}, {"de", 2}, {"en", 2}});
  FakeScores scores({{"de", 700}, {"en", 900}});
  LanguageChoice choice = Choose(Unsure("pl"), "", &support, scores);
  EXPECT_EQ(choice.language, "en");
  EXPECT_EQ(choice.source, v1::LANGUAGE_SOURCE_FALLBACK);

  // When no language of the analyses fits, the guess still runs keywords.
  FakeScores none({});
  choice = Choose(Unsure("pl"), "", &support, none);
  EXPECT_EQ(choice.language, "pl");
  EXPECT_EQ(choice.source, v1::LANGUAGE_SOURCE_FALLBACK);
}

TEST(ChooseLanguageTest, TheModelRanksItsLanguagesWhateverCld2Guessed) {
  // CLD2's unsure "en" does not decide: the model prefers German.
  const FakeSupport support({{"de", 1}, {"en", 1}});
  FakeScores model({{"de", -40}, {"en", -55}});
  FakeScores hinted({{"de", 100}, {"en", 900}});
  LanguageChoice choice = Choose(Unsure("en", 90), &support, model, hinted);
  EXPECT_EQ(choice.language, "de");
  EXPECT_EQ(choice.source, v1::LANGUAGE_SOURCE_FALLBACK);
  EXPECT_EQ(choice.confidence, 0.0f);  // CLD2 did not rank German
  EXPECT_THAT(model.asked(), ElementsAre("en", "de"));
  EXPECT_THAT(hinted.asked(), IsEmpty());  // no CLD2 call needed

  choice = Choose(Unsure("pl"), &support, model, hinted);
  EXPECT_EQ(choice.language, "de");
}

TEST(ChooseLanguageTest, LanguagesTheModelDoesNotKnowComeAfterIts) {
  // fr: a CLD2 candidate; it, the model's de and the hinted es let one
  // analysis run each: the model's language wins, no CLD2 call.
  const FakeSupport support({{"de", 1}, {"es", 1}, {"fr", 1}});
  FakeScores model({{"de", -60}});
  FakeScores hinted({{"es", 5000}});
  LanguageChoice choice = Choose(Unsure("fr"), &support, model, hinted);
  EXPECT_EQ(choice.language, "de");
  EXPECT_THAT(hinted.asked(), IsEmpty());

  // The model scores nothing (no table for the languages): CLD2's
  // candidate, then the hinted score.
  FakeScores no_model({});
  choice = Choose(Unsure("fr"), &support, no_model, hinted);
  EXPECT_EQ(choice.language, "fr");
  EXPECT_THAT(hinted.asked(), IsEmpty());
  choice = Choose(Unsure("pl"), &support, no_model, hinted);
  EXPECT_EQ(choice.language, "es");
  EXPECT_THAT(hinted.asked(), ElementsAre("de", "es", "fr"));

  // More analyses run in es: it wins over the model's de.
  const FakeSupport more_in_spanish({{"de", 1}, {"es", 2}});
  FakeScores hinted_again({{"es", 10}});
  choice = Choose(Unsure("pl"), &more_in_spanish, model, hinted_again);
  EXPECT_EQ(choice.language, "es");
}

TEST(ChooseLanguageTest, UndeterminedWhenNoLikelyLanguageFits) {
  const FakeSupport support({{"de", 1}, {"en", 1}});
  FakeScores scores({});
  LanguageChoice choice = Choose(Unsure("pl"), "", &support, scores);
  EXPECT_EQ(choice.language, "und");
  EXPECT_EQ(choice.source, v1::LANGUAGE_SOURCE_UNDETERMINED);
  EXPECT_EQ(choice.confidence, 0.0f);

  // No letters: nothing to score.
  FakeScores any({{"de", 900}});
  choice = Choose(LanguageGuess{}, "", &support, any);
  EXPECT_EQ(choice.language, "und");
  EXPECT_EQ(choice.source, v1::LANGUAGE_SOURCE_UNDETERMINED);
  EXPECT_THAT(any.asked(), IsEmpty());
}

// --- CLD2's real answers

TEST(DecideLanguageTest, CallersLanguageWins) {
  const LanguageChoice choice =
      DecideLanguage("Merkel sprach.", {.language = "DE"}, &Model());
  EXPECT_EQ(choice.language, "de");
  EXPECT_EQ(choice.confidence, 1.0f);
  EXPECT_EQ(choice.source, v1::LANGUAGE_SOURCE_CALLER);
}

TEST(DecideLanguageTest, ShortHeadlinesAreNotTrusted) {
  // The texts of issue 13: CLD2 says Polish and Basque, "reliably".
  for (const char* text : {"Merkel sprach.", "Biden meets Xi."}) {
    const LanguageGuess guess = IdentifyLanguage(text);
    EXPECT_FALSE(guess.confident) << text << ": " << guess.code;
    EXPECT_THAT(std::string(guess.code), Not(AnyOf("de", "en"))) << text;
  }
  const FakeSupport support({{"de", 1}, {"en", 1}});
  for (const char* text : {"Merkel sprach.", "Biden meets Xi."}) {
    const LanguageChoice choice =
        DecideLanguage(text, {.support = &support}, &Model());
    EXPECT_EQ(choice.source, v1::LANGUAGE_SOURCE_FALLBACK) << text;
    EXPECT_LT(choice.confidence, 0.5f) << text;
  }
  // The language model tells them apart.
  EXPECT_EQ(DecideLanguage("Merkel sprach.", {.support = &support}, &Model())
                .language,
            "de");
  EXPECT_EQ(DecideLanguage("Biden meets Xi.", {.support = &support}, &Model())
                .language,
            "en");
  // Without it, CLD2's hinted score prefers English for both.
  EXPECT_EQ(
      DecideLanguage("Merkel sprach.", {.support = &support}, nullptr).language,
      "en");
  const LanguageChoice with_default =
      DecideLanguage("Merkel sprach.",
                     {.default_language = "de", .support = &support}, &Model());
  EXPECT_EQ(with_default.language, "de");
  EXPECT_EQ(with_default.source, v1::LANGUAGE_SOURCE_DEFAULT);
}

TEST(DecideLanguageTest, LongTextsAreIdentifiedAsBefore) {
  const FakeSupport support({{"en", 1}});
  const LanguageChoice choice = DecideLanguage(
      "Der Stadtrat hat den Ausbau der Radwege beschlossen. Die Arbeiten "
      "sollen im Frühjahr beginnen.",
      {.default_language = "en", .support = &support}, &Model());
  EXPECT_EQ(choice.language, "de");
  EXPECT_EQ(choice.source, v1::LANGUAGE_SOURCE_IDENTIFIED);
  EXPECT_GT(choice.confidence, 0.9f);
}

TEST(HintedLanguageScoreTest, ScoresPlausibleLanguagesOnly) {
  EXPECT_TRUE(HintedLanguageScore("Biden meets Xi.", "en").has_value());
  EXPECT_TRUE(HintedLanguageScore("Biden meets Xi.", "en-GB").has_value());
  // A clear German sentence does not become Japanese however it is boosted.
  EXPECT_FALSE(
      HintedLanguageScore("Die Regierung hat am Montag einen neuen Haushalt "
                          "vorgelegt.",
                          "ja")
          .has_value());
  // Tags CLD2 does not know.
  EXPECT_FALSE(HintedLanguageScore("Biden meets Xi.", "qaa").has_value());
  EXPECT_FALSE(HintedLanguageScore("Biden meets Xi.", "und").has_value());
}

}  // namespace
}  // namespace nlpd::text
