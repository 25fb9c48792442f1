#include "text/text_pipeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "document_checks.h"

namespace nlpd::text {
namespace {

using ::nlpd::text::testing::ByteSlice;
using ::nlpd::text::testing::CharSlice;
using ::nlpd::text::testing::ExpectWellFormed;
using ::nlpd::text::testing::KindOf;
using ::nlpd::text::testing::SentenceTexts;
using ::nlpd::text::testing::TokenTexts;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class TextPipelineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<TextPipeline>> pipeline =
        TextPipeline::Create();
    ASSERT_TRUE(pipeline.ok()) << pipeline.status();
    pipeline_ = std::move(pipeline).value().release();
  }
  static void TearDownTestSuite() {
    delete pipeline_;
    pipeline_ = nullptr;
  }

  // Processes `text`, checks the Document invariants and returns it.
  static v1::Document Process(std::string_view text,
                              std::string_view language = "") {
    absl::StatusOr<v1::Document> doc = pipeline_->Process(text, language);
    EXPECT_TRUE(doc.ok()) << doc.status();
    if (!doc.ok()) return {};
    ExpectWellFormed(*doc);
    return *std::move(doc);
  }

  static std::vector<std::string> Sentences(std::string_view text,
                                            std::string_view language) {
    return SentenceTexts(Process(text, language));
  }

  static const TextPipeline* pipeline_;
};

const TextPipeline* TextPipelineTest::pipeline_ = nullptr;

// --- German sentence rules -------------------------------------------------

TEST_F(TextPipelineTest, GermanDateOrdinalDoesNotEndSentence) {
  EXPECT_THAT(Sentences("Die Abstimmung im Landtag ist für den 14. März "
                        "angesetzt. Danach beginnt die Sommerpause.",
                        "de"),
              ElementsAre("Die Abstimmung im Landtag ist für den 14. März "
                          "angesetzt.",
                          "Danach beginnt die Sommerpause."));
}

TEST_F(TextPipelineTest, GermanOrdinalBeforeCapitalizedNoun) {
  EXPECT_THAT(
      Sentences("Der Klub aus Jena spielt wieder in der 3. Liga. Nach dem "
                "2. Weltkrieg war das Stadion zerstört.",
                "de"),
      ElementsAre("Der Klub aus Jena spielt wieder in der 3. Liga.",
                  "Nach dem 2. Weltkrieg war das Stadion zerstört."));
}

TEST_F(TextPipelineTest, GermanOrdinalBeforeLowercaseWordAndNumber) {
  EXPECT_THAT(Sentences("Sie wurde 2. und er 5. bei dem Rennen am 21. 10. "
                        "in Wien.",
                        "de"),
              ElementsAre("Sie wurde 2. und er 5. bei dem Rennen am 21. 10. "
                          "in Wien."));
}

TEST_F(TextPipelineTest, GermanYearBeforeDeterminerEndsSentence) {
  EXPECT_THAT(
      Sentences("Die Zahl der Anträge stieg im Jahr 2023. Die Behörde stellte "
                "daraufhin mehr Personal ein.",
                "de"),
      ElementsAre("Die Zahl der Anträge stieg im Jahr 2023.",
                  "Die Behörde stellte daraufhin mehr Personal ein."));
}

TEST_F(TextPipelineTest, GermanNumberBeforeSentenceStarterEndsSentence) {
  EXPECT_THAT(Sentences("Am Ende landete das Team auf Platz 7. Der Trainer "
                        "zeigte sich dennoch zufrieden.",
                        "de"),
              ElementsAre("Am Ende landete das Team auf Platz 7.",
                          "Der Trainer zeigte sich dennoch zufrieden."));
}

TEST_F(TextPipelineTest, GermanAbbreviationsDoNotEndSentences) {
  EXPECT_THAT(
      Sentences("Mehrere Städte, z. B. Kassel und Fulda, melden steigende "
                "Mieten. Andere Kommunen, z.B. im Harz, verlieren Einwohner. "
                "Laut Prof. Dr. Wagner liegt der Anteil bei ca. 40 Prozent "
                "bzw. etwas darüber. Vgl. dazu die Tabelle in Abs. 3 und "
                "Nr. 4. Die Kosten steigen auf 3 Mio. Euro, d. h. um ein "
                "Drittel.",
                "de"),
      ElementsAre("Mehrere Städte, z. B. Kassel und Fulda, melden steigende "
                  "Mieten.",
                  "Andere Kommunen, z.B. im Harz, verlieren Einwohner.",
                  "Laut Prof. Dr. Wagner liegt der Anteil bei ca. 40 Prozent "
                  "bzw. etwas darüber.",
                  "Vgl. dazu die Tabelle in Abs. 3 und Nr. 4.",
                  "Die Kosten steigen auf 3 Mio. Euro, d. h. um ein "
                  "Drittel."));
}

TEST_F(TextPipelineTest, GermanSentenceFinalAbbreviationBeforeStarter) {
  EXPECT_THAT(
      Sentences("Auf dem Markt gab es Kürbisse, Äpfel, Nüsse usw. Die Händler "
                "waren zufrieden. Die Siedlung entstand um 50 v. Chr. Im "
                "Mittelalter wuchs sie. Sie wurde 12 v. Chr. gegründet.",
                "de"),
      ElementsAre(
          "Auf dem Markt gab es Kürbisse, Äpfel, Nüsse usw.",
          "Die Händler waren zufrieden.", "Die Siedlung entstand um 50 v. Chr.",
          "Im Mittelalter wuchs sie.", "Sie wurde 12 v. Chr. gegründet."));
}

TEST_F(TextPipelineTest, InitialsDoNotEndSentences) {
  EXPECT_THAT(Sentences("Der Brief an Franklin D. Roosevelt liegt im Archiv. "
                        "Er wurde erst 1998 gefunden.",
                        "de"),
              ElementsAre("Der Brief an Franklin D. Roosevelt liegt im "
                          "Archiv.",
                          "Er wurde erst 1998 gefunden."));
  EXPECT_THAT(Sentences("The memo reached John F. Kennedy in May. It was "
                        "never answered.",
                        "en"),
              ElementsAre("The memo reached John F. Kennedy in May.",
                          "It was never answered."));
}

// --- English sentence rules ------------------------------------------------

// "U.S." may end a sentence: it does when a sentence starter ("Its", "The")
// follows; before other capitalized words it is read as "U.S. Senate".
TEST_F(TextPipelineTest, EnglishAbbreviations) {
  EXPECT_THAT(
      Sentences("Mr. Carter met Dr. Okafor and Gov. Reyes at the U.S. "
                "embassy on Jan. 9. The talks, e.g. on trade, i.e. tariffs, "
                "lasted two hours. Shares of Brightline Inc. fell 4%. The "
                "firm blamed the U.S. Its rivals disagreed.",
                "en"),
      ElementsAre("Mr. Carter met Dr. Okafor and Gov. Reyes at the U.S. "
                  "embassy on Jan. 9.",
                  "The talks, e.g. on trade, i.e. tariffs, lasted two hours.",
                  "Shares of Brightline Inc. fell 4%.",
                  "The firm blamed the U.S.", "Its rivals disagreed."));
}

TEST_F(TextPipelineTest, EnglishHasNoOrdinalPeriod) {
  EXPECT_THAT(
      Sentences("Inflation eased in 2024. The central bank held "
                "rates. Turnout reached 61. Officials were pleased.",
                "en"),
      ElementsAre("Inflation eased in 2024.", "The central bank held rates.",
                  "Turnout reached 61.", "Officials were pleased."));
}

// --- Quotes and lines
// ---------------------------------------------------------

TEST_F(TextPipelineTest, GermanQuotes) {
  EXPECT_THAT(
      Sentences("„Wir lassen niemanden zurück“, sagte die Bürgermeisterin "
                "am Abend. „Das ist ein guter Tag für die Stadt.“ Danach "
                "verließ sie den Saal.",
                "de"),
      ElementsAre("„Wir lassen niemanden zurück“, sagte die "
                  "Bürgermeisterin am Abend.",
                  "„Das ist ein guter Tag für die Stadt.“",
                  "Danach verließ sie den Saal."));
}

TEST_F(TextPipelineTest, EnglishQuotes) {
  EXPECT_THAT(
      Sentences("\"We will rebuild the bridge,\" the mayor said. "
                "\"The city stands together.\" Crews start Monday.",
                "en"),
      ElementsAre("\"We will rebuild the bridge,\" the mayor said.",
                  "\"The city stands together.\"", "Crews start Monday."));
}

TEST_F(TextPipelineTest, HeadlineLineWithoutPeriodIsASentence) {
  EXPECT_THAT(
      Sentences("Hochwasser bedroht Dörfer an der Oder\n"
                "Die Pegel steigen weiter. Helfer füllen Sandsäcke.\n"
                "\n"
                "Ein Sprecher der Feuerwehr warnte vor Leichtsinn.\n",
                "de"),
      ElementsAre("Hochwasser bedroht Dörfer an der Oder",
                  "Die Pegel steigen weiter.", "Helfer füllen Sandsäcke.",
                  "Ein Sprecher der Feuerwehr warnte vor Leichtsinn."));
}

TEST_F(TextPipelineTest, LineBreakAlwaysEndsSentence) {
  // Even after an ordinal or abbreviation, a line break wins.
  EXPECT_THAT(Sentences("Stand: 12.\nOktober folgt.", "de"),
              ElementsAre("Stand: 12.", "Oktober folgt."));
}

TEST_F(TextPipelineTest, HardWrappedLineContinuesTheSentence) {
  EXPECT_THAT(
      Sentences("Die Stadtwerke wollen die Preise\r\nim Frühjahr erhöhen, "
                "sagte ein\n  sprecher am Montag.\nNeue Zeile\nbleibt eigen.",
                "de"),
      ElementsAre("Die Stadtwerke wollen die Preise\r\nim Frühjahr erhöhen, "
                  "sagte ein\n  sprecher am Montag.",
                  "Neue Zeile\nbleibt eigen."));
  // A blank line, or a line ending in sentence punctuation, still ends it.
  EXPECT_THAT(Sentences("Erster Absatz ohne Punkt\n\nweiter unten", "de"),
              ElementsAre("Erster Absatz ohne Punkt", "weiter unten"));
  EXPECT_THAT(Sentences("Ende: \nder nächste Punkt.", "de"),
              ElementsAre("Ende:", "der nächste Punkt."));
}

// --- Tokens
// -------------------------------------------------------------------

TEST_F(TextPipelineTest, HyphenatedNamesAndCompoundsAreOneToken) {
  const v1::Document doc = Process(
      "Der SPD-Abgeordnete traf Lee Min-ho und die E-Mail-Gruppe der "
      "10-jährigen Schüler.",
      "de");
  EXPECT_THAT(TokenTexts(doc),
              ElementsAre("Der", "SPD-Abgeordnete", "traf", "Lee", "Min-ho",
                          "und", "die", "E-Mail-Gruppe", "der", "10-jährigen",
                          "Schüler", "."));
  EXPECT_EQ(KindOf(doc, "Min-ho"), v1::TOKEN_KIND_WORD);
  EXPECT_EQ(KindOf(doc, "10-jährigen"), v1::TOKEN_KIND_WORD);
}

TEST_F(TextPipelineTest, NumberRangesAndSuspendedHyphensStaySplit) {
  EXPECT_THAT(TokenTexts(Process("Die Ein- und Ausreise war 1990-1995 "
                                 "gesperrt.",
                                 "de")),
              ElementsAre("Die", "Ein", "-", "und", "Ausreise", "war", "1990",
                          "-", "1995", "gesperrt", "."));
}

TEST_F(TextPipelineTest, NumbersAreOneToken) {
  const v1::Document doc = Process(
      "Rund 25.000 Menschen zahlten 3,5 Prozent mehr, also 12,80 €.", "de");
  EXPECT_THAT(TokenTexts(doc),
              ElementsAre("Rund", "25.000", "Menschen", "zahlten", "3,5",
                          "Prozent", "mehr", ",", "also", "12,80", "€", "."));
  EXPECT_EQ(KindOf(doc, "25.000"), v1::TOKEN_KIND_NUMBER);
  EXPECT_EQ(KindOf(doc, "3,5"), v1::TOKEN_KIND_NUMBER);
  EXPECT_EQ(KindOf(doc, "€"), v1::TOKEN_KIND_PUNCTUATION);
}

TEST_F(TextPipelineTest, AbbreviationOrdinalAndInitialKeepTheirPeriod) {
  const v1::Document doc = Process(
      "Laut Dr. Hahn kam z.B. am 3. Mai auch z. B. Anna K. Berg.", "de");
  EXPECT_THAT(TokenTexts(doc), ElementsAre("Laut", "Dr.", "Hahn", "kam", "z.B.",
                                           "am", "3.", "Mai", "auch", "z.",
                                           "B.", "Anna", "K.", "Berg", "."));
  EXPECT_EQ(KindOf(doc, "3."), v1::TOKEN_KIND_NUMBER);
  EXPECT_EQ(KindOf(doc, "z.B."), v1::TOKEN_KIND_WORD);
  EXPECT_EQ(KindOf(doc, "."), v1::TOKEN_KIND_PUNCTUATION);
}

TEST_F(TextPipelineTest, QuotationMarksAreSeparatePunctuation) {
  const v1::Document doc = Process("„Nein“, sagte sie. \"Yes\"", "de");
  EXPECT_THAT(TokenTexts(doc), ElementsAre("„", "Nein", "“", ",", "sagte",
                                           "sie", ".", "\"", "Yes", "\""));
  EXPECT_EQ(KindOf(doc, "„"), v1::TOKEN_KIND_PUNCTUATION);
  EXPECT_EQ(KindOf(doc, "“"), v1::TOKEN_KIND_PUNCTUATION);
}

TEST_F(TextPipelineTest, UrlIsOneToken) {
  const v1::Document doc = Process(
      "Mehr unter https://example.org/a-b/c.html?x=1. Oder www.example.de "
      "besuchen.",
      "de");
  EXPECT_THAT(TokenTexts(doc),
              ElementsAre("Mehr", "unter", "https://example.org/a-b/c.html?x=1",
                          ".", "Oder", "www.example.de", "besuchen", "."));
  EXPECT_EQ(KindOf(doc, "www.example.de"), v1::TOKEN_KIND_OTHER);
  EXPECT_EQ(doc.sentences_size(), 2);
}

TEST_F(TextPipelineTest, TokenKindsForScriptsAndEmoji) {
  const v1::Document doc = Process("東京 カタカナ Berlin 42 ! 😀", "und");
  EXPECT_EQ(KindOf(doc, "東京"), v1::TOKEN_KIND_IDEOGRAPHIC);
  EXPECT_EQ(KindOf(doc, "カタカナ"), v1::TOKEN_KIND_IDEOGRAPHIC);
  EXPECT_EQ(KindOf(doc, "Berlin"), v1::TOKEN_KIND_WORD);
  EXPECT_EQ(KindOf(doc, "42"), v1::TOKEN_KIND_NUMBER);
  EXPECT_EQ(KindOf(doc, "!"), v1::TOKEN_KIND_PUNCTUATION);
  EXPECT_EQ(KindOf(doc, "😀"), v1::TOKEN_KIND_OTHER);
}

// --- Offsets and normalization ----------------------------------------------

TEST_F(TextPipelineTest, ByteAndCodePointOffsetsSelectTheSameText) {
  const v1::Document doc =
      Process("Grüße aus Köln 😀 und 𝄞 – schön, oder?", "de");
  ASSERT_THAT(TokenTexts(doc),
              ElementsAre("Grüße", "aus", "Köln", "😀", "und", "𝄞", "–", "schön",
                          ",", "oder", "?"));
  // "Köln": bytes 12..17 ("ü", "ß" and "ö" take 2 bytes), code points 10..14.
  const v1::Span& koeln = doc.tokens(2).span();
  EXPECT_EQ(koeln.byte_start(), 12u);
  EXPECT_EQ(koeln.byte_end(), 17u);
  EXPECT_EQ(koeln.char_start(), 10u);
  EXPECT_EQ(koeln.char_end(), 14u);
  // The emoji: 4 bytes, 1 code point.
  const v1::Span& emoji = doc.tokens(3).span();
  EXPECT_EQ(emoji.byte_end() - emoji.byte_start(), 4u);
  EXPECT_EQ(emoji.char_end() - emoji.char_start(), 1u);
  EXPECT_EQ(emoji.char_start(), 15u);
  // After two astral characters the units diverge further.
  const v1::Span& schoen = doc.tokens(7).span();
  EXPECT_EQ(CharSlice(doc, schoen), "schön");
  EXPECT_EQ(ByteSlice(doc, schoen), "schön");
  EXPECT_EQ(schoen.char_start(), 25u);
  EXPECT_EQ(schoen.byte_start(), 36u);
}

TEST_F(TextPipelineTest, NfdInputIsNormalizedAndOffsetsPointIntoNfc) {
  // "Mu" + COMBINING DIAERESIS: 3 code points in NFD, "ü" (1) in NFC.
  const v1::Document doc =
      Process("Mu\u0308nchen und Zu\u0308rich sind scho\u0308n.", "de");
  EXPECT_EQ(doc.text(), "München und Zürich sind schön.");
  ASSERT_EQ(doc.tokens_size(), 6);
  const v1::Span& zuerich = doc.tokens(2).span();
  EXPECT_EQ(ByteSlice(doc, zuerich), "Zürich");
  EXPECT_EQ(zuerich.char_start(), 12u);
  EXPECT_EQ(zuerich.char_end(), 18u);
  EXPECT_EQ(zuerich.byte_start(), 13u);
  EXPECT_EQ(zuerich.byte_end(), 20u);
}

TEST_F(TextPipelineTest, NfcInputIsKeptAsIs) {
  const std::string text = "Ärger über Straßen in Göteborg.";
  EXPECT_EQ(Process(text, "de").text(), text);
}

// --- Errors -----------------------------------------------------------------

struct InvalidUtf8Case {
  std::string name;
  std::string text;
  int offset;
};

class InvalidUtf8Test : public TextPipelineTest,
                        public ::testing::WithParamInterface<InvalidUtf8Case> {
};

TEST_P(InvalidUtf8Test, IsInvalidArgumentNamingTheOffset) {
  absl::StatusOr<v1::Document> doc = pipeline_->Process(GetParam().text, "");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      std::string(doc.status().message()),
      HasSubstr("byte offset " + std::to_string(GetParam().offset) + ":"));
}

INSTANTIATE_TEST_SUITE_P(
    Utf8, InvalidUtf8Test,
    ::testing::Values(
        InvalidUtf8Case{"TruncatedAtEnd", "Köln \xC3", 6},
        InvalidUtf8Case{"TruncatedBeforeAscii", "ab\xE2\x82 c", 2},
        InvalidUtf8Case{"Overlong", "Pfad \xC0\xAF", 5},
        InvalidUtf8Case{"OverlongThreeBytes", "x\xE0\x80\xAF", 1},
        InvalidUtf8Case{"LoneContinuation", "\x80 Anfang", 0},
        InvalidUtf8Case{"ContinuationAfterSequence", "\xC3\xA4\xA4", 2},
        InvalidUtf8Case{"Surrogate", "Text \xED\xA0\x80 mehr", 5},
        InvalidUtf8Case{"AboveMaxCodePoint", "Ende\xF4\x90\x80\x80", 4},
        InvalidUtf8Case{"ByteFF", "ok \xFF", 3}),
    [](const ::testing::TestParamInfo<InvalidUtf8Case>& info) {
      return info.param.name;
    });

TEST_F(TextPipelineTest, EmptyAndWhitespaceTextIsInvalidArgument) {
  for (const std::string text : {"", " ", "\n\t \r\n", "\u00A0\u3000\u2028"}) {
    absl::StatusOr<v1::Document> doc = pipeline_->Process(text, "de");
    ASSERT_FALSE(doc.ok()) << "'" << text << "'";
    EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(doc.status().message(), "text is empty");
  }
}

TEST_F(TextPipelineTest, TextWithoutTokensIsInvalidArgument) {
  // Control and format characters only: not blank, but nothing to analyze.
  for (const std::string text :
       {std::string("\0", 1), std::string("\x01\u200B\x7F")}) {
    absl::StatusOr<v1::Document> doc = pipeline_->Process(text, "de");
    ASSERT_FALSE(doc.ok());
    EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(doc.status().message()),
                HasSubstr("text is empty"));
  }
}

TEST_F(TextPipelineTest, MalformedLanguageHintIsInvalidArgument) {
  for (const std::string hint :
       {"d", "deutsch", "de-", "en GB", "1e", "de-AT-toolongsubtag"}) {
    absl::StatusOr<v1::Document> doc = pipeline_->Process("Ein Satz.", hint);
    ASSERT_FALSE(doc.ok()) << hint;
    EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(doc.status().message()),
                HasSubstr("not a BCP-47 tag"));
  }
  for (const std::string hint :
       {"de", "EN", "en-GB", "zh-Hant", "de_AT", "und", "sr-Latn-RS"}) {
    EXPECT_TRUE(pipeline_->Process("Ein Satz.", hint).ok()) << hint;
  }
}

TEST_F(TextPipelineTest, HugeMalformedLanguageHintIsQuotedAbbreviated) {
  // The whole tag in the message would exceed gRPC's metadata limit, and
  // the client would see RESOURCE_EXHAUSTED instead of this error.
  const std::string hint(100 * 1024, 'a');
  absl::StatusOr<v1::Document> doc = pipeline_->Process("Ein Satz.", hint);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(doc.status().message()),
              HasSubstr("'" + std::string(64, 'a') + "...' is not a BCP-47"));
  EXPECT_LT(doc.status().message().size(), 200u);
  // Cut on a character boundary: "ä" is 2 bytes, 63 + 2 > 64.
  const std::string umlauts = std::string(63, 'a') + "\u00e4" + hint;
  doc = pipeline_->Process("Ein Satz.", umlauts);
  ASSERT_FALSE(doc.ok());
  EXPECT_THAT(std::string(doc.status().message()),
              HasSubstr("'" + std::string(63, 'a') + "...'"));
}

// --- Language
// -----------------------------------------------------------------

TEST_F(TextPipelineTest, IdentifiesGerman) {
  const v1::Document doc = Process(
      "Die Landesregierung hat am Dienstag ein neues Förderprogramm für "
      "kleine Betriebe vorgestellt. Nach Angaben des Wirtschaftsministeriums "
      "sollen die Mittel vor allem Handwerkern auf dem Land zugutekommen.");
  EXPECT_EQ(doc.language(), "de");
  EXPECT_GT(doc.language_confidence(), 0.8f);
  EXPECT_LT(doc.language_confidence(), 1.0f);
  EXPECT_EQ(doc.language_source(), v1::LANGUAGE_SOURCE_IDENTIFIED);
}

TEST_F(TextPipelineTest, IdentifiesEnglish) {
  const v1::Document doc = Process(
      "The city council approved a new budget on Tuesday after a long "
      "debate. Officials said the money would go mainly to schools and "
      "public transport in the northern districts.");
  EXPECT_EQ(doc.language(), "en");
  EXPECT_GT(doc.language_confidence(), 0.8f);
}

TEST_F(TextPipelineTest, LanguageHintIsHonoredAndSelectsRules) {
  const std::string text =
      "Die Sitzung endet am 21. Oktober mit einer Abstimmung.";
  const v1::Document as_english = Process(text, "en");
  EXPECT_EQ(as_english.language(), "en");
  EXPECT_EQ(as_english.language_confidence(), 1.0f);
  EXPECT_EQ(as_english.language_source(), v1::LANGUAGE_SOURCE_CALLER);
  // English rules know no ordinal period, so ICU's break after "21." stays.
  EXPECT_EQ(as_english.sentences_size(), 2);

  const v1::Document as_austrian = Process(text, "de-AT");
  EXPECT_EQ(as_austrian.language(), "de-AT");
  EXPECT_EQ(as_austrian.sentences_size(), 1);

  const v1::Document detected = Process(text);
  EXPECT_EQ(detected.language(), "de");
  EXPECT_EQ(detected.sentences_size(), 1);
}

TEST_F(TextPipelineTest, LanguageHintIsCanonicalized) {
  // Plugins compare Document.language case-sensitively ("de"), so the
  // pipeline hands them the canonical form of whatever the caller wrote.
  const std::string text =
      "Die Sitzung endet am 21. Oktober mit einer Abstimmung.";
  for (const auto& [hint, canonical] :
       std::vector<std::pair<std::string, std::string>>{
           {"DE", "de"},
           {"de_DE", "de-DE"},
           {"DE-de", "de-DE"},
           {"EN-gb", "en-GB"},
           {"zh_hant_tw", "zh-Hant-TW"}}) {
    const v1::Document doc = Process(text, hint);
    EXPECT_EQ(doc.language(), canonical) << hint;
    EXPECT_EQ(doc.language_confidence(), 1.0f) << hint;
  }
  // Still the German rules: no break after the ordinal "21.".
  EXPECT_EQ(Process(text, "DE").sentences_size(), 1);
}

// Without analyses, an unsure guess is kept, and said to be one; the
// caller's default replaces it.
TEST_F(TextPipelineTest, ShortTextsTakeTheDefaultOrSayTheyAreUnsure) {
  const v1::Document guessed = Process("Merkel sprach.");
  EXPECT_EQ(guessed.language(), "pl");  // CLD2's guess
  EXPECT_EQ(guessed.language_source(), v1::LANGUAGE_SOURCE_FALLBACK);
  EXPECT_LT(guessed.language_confidence(), 0.5f);

  v1::Document document;
  ASSERT_TRUE(pipeline_
                  ->ProcessInto("Merkel sprach.",
                                LanguageRequest{.default_language = "DE"},
                                &document)
                  .ok());
  EXPECT_EQ(document.language(), "de");
  EXPECT_EQ(document.language_source(), v1::LANGUAGE_SOURCE_DEFAULT);
  EXPECT_EQ(document.tokens_size(), 3);

  // The caller's language wins over the default.
  ASSERT_TRUE(pipeline_
                  ->ProcessInto("Merkel sprach.",
                                LanguageRequest{.language = "en",
                                                .default_language = "de"},
                                &document)
                  .ok());
  EXPECT_EQ(document.language(), "en");
  EXPECT_EQ(document.language_source(), v1::LANGUAGE_SOURCE_CALLER);
}

TEST_F(TextPipelineTest, RejectsAMalformedDefaultLanguage) {
  v1::Document document;
  const absl::Status status = pipeline_->ProcessInto(
      "Merkel sprach.", LanguageRequest{.default_language = "german!"},
      &document);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("default_language 'german!' is not a BCP-47 tag"));
}

// --- Concurrency
// --------------------------------------------------------------

TEST_F(TextPipelineTest, ConcurrentCallsGiveIdenticalResults) {
  const std::vector<std::string> texts = {
      "Am 3. Mai sprach Prof. Dr. Lang in Köln. Die Halle war voll.",
      "Mr. Reyes left the U.S. on Jan. 4. The trip took a week.",
      "Schlagzeile ohne Punkt\nErster Satz 😀 mit Emoji. Zweiter „Satz“.",
      "Mu\u0308ller sagte: \"Nein.\" Dann ging er nach https://x.example/y.",
  };
  std::vector<std::string> expected;
  for (const std::string& text : texts) {
    expected.push_back(Process(text).SerializeAsString());
  }
  constexpr int kThreads = 4;
  constexpr int kRounds = 100;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        const size_t i = static_cast<size_t>(round + t) % texts.size();
        absl::StatusOr<v1::Document> doc = pipeline_->Process(texts[i], "");
        if (!doc.ok() || doc->SerializeAsString() != expected[i]) {
          ++mismatches[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(mismatches[t], 0) << "thread " << t;
  }
}

}  // namespace
}  // namespace nlpd::text
