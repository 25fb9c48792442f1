#include "test_documents.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#ifdef NLPD_KEYWORDS_TEST_TEXT_PIPELINE
#include "text/text_pipeline.h"
#endif

namespace nlpd::keywords::testing {

const std::string_view kEnglishRatesArticle =
    "The Federal Reserve raised interest rates by a quarter point on "
    "Wednesday, lifting its benchmark rate to the highest level in sixteen "
    "years. Fed chair Jerome Powell said the central bank remained committed "
    "to bringing inflation back to its target of 2 percent. Higher interest "
    "rates have already cooled the housing market, and mortgage rates "
    "climbed above 7 percent last month. Some economists warned that "
    "further rate increases could tip the economy into recession. Powell's "
    "remarks sent stocks lower, while the dollar gained against the euro. "
    "Inflation has eased from its peak, but core inflation remains stubborn. "
    "Markets now expect interest rates to stay high well into next year, "
    "although the Federal Reserve left the door open to a pause in "
    "September.";

const std::string_view kGermanHeatingLawArticle =
    "Der Bundestag hat am Freitag das umstrittene Heizungsgesetz "
    "beschlossen. Nach monatelangem Streit in der Ampel-Koalition stimmten "
    "399 Abgeordnete für die Novelle des Gebäudeenergiegesetzes, 275 "
    "votierten dagegen. Das Heizungsgesetz schreibt vor, dass neu eingebaute "
    "Heizungen künftig zu mindestens 65 Prozent mit erneuerbaren Energien "
    "betrieben werden müssen. Wirtschaftsminister Robert Habeck verteidigte "
    "das Gesetz als notwendigen Schritt für den Klimaschutz. Die "
    "CDU-Fraktion kritisierte das Heizungsgesetz dagegen als Überforderung "
    "für Hausbesitzer und kündigte eine Klage vor dem "
    "Bundesverfassungsgericht an. Eigentümer sollen beim Austausch alter "
    "Öl- und Gasheizungen eine staatliche Förderung erhalten. Der Bundesrat "
    "muss sich im Herbst noch mit dem Gesetz befassen.";

namespace {

// Decodes the code point at `text[i]` and its length in bytes; text is
// valid UTF-8 written in these tests.
char32_t Decode(std::string_view text, size_t i, size_t& length) {
  const auto byte = static_cast<uint8_t>(text[i]);
  length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
  char32_t c = length == 1 ? byte : byte & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    c = (c << 6) | (static_cast<uint8_t>(text[i + k]) & 0x3F);
  }
  return c;
}

bool IsSpace(char32_t c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == 0xA0;
}

bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }

bool IsWordChar(char32_t c) {
  if (c < 0x80) {
    return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
  // Typographic punctuation of German and English news; other non-ASCII
  // characters in these tests are letters.
  constexpr std::u32string_view kPunctuation = U"„“”‚‘’–—…«»‹›";
  return kPunctuation.find(c) == std::u32string_view::npos && !IsSpace(c);
}

bool IsJoiner(char32_t c) {
  return c == '\'' || c == U'’' || c == '.' || c == ',';
}

}  // namespace

nlpd::v1::Document SimpleDocument(std::string_view text,
                                  std::string_view language) {
  nlpd::v1::Document document;
  document.set_text(std::string(text));
  document.set_language(std::string(language));
  document.set_language_confidence(1);

  // Code-point offset of every byte offset that starts a character.
  std::vector<uint32_t> char_at(text.size() + 1, 0);
  uint32_t chars = 0;
  for (size_t i = 0; i < text.size();) {
    size_t length;
    Decode(text, i, length);
    char_at[i] = chars++;
    i += length;
  }
  char_at[text.size()] = chars;

  auto add_token = [&](size_t begin, size_t end, nlpd::v1::TokenKind kind) {
    nlpd::v1::Token& token = *document.add_tokens();
    token.mutable_span()->set_byte_start(static_cast<uint32_t>(begin));
    token.mutable_span()->set_byte_end(static_cast<uint32_t>(end));
    token.mutable_span()->set_char_start(char_at[begin]);
    token.mutable_span()->set_char_end(char_at[end]);
    token.set_kind(kind);
  };
  uint32_t sentence_begin = 0;
  auto end_sentence = [&] {
    const auto token_end = static_cast<uint32_t>(document.tokens_size());
    if (token_end == sentence_begin) return;
    nlpd::v1::Sentence& sentence = *document.add_sentences();
    sentence.set_token_begin(sentence_begin);
    sentence.set_token_end(token_end);
    const nlpd::v1::Span& first = document.tokens(sentence_begin).span();
    const nlpd::v1::Span& last = document.tokens(token_end - 1).span();
    sentence.mutable_span()->set_byte_start(first.byte_start());
    sentence.mutable_span()->set_byte_end(last.byte_end());
    sentence.mutable_span()->set_char_start(first.char_start());
    sentence.mutable_span()->set_char_end(last.char_end());
    sentence_begin = token_end;
  };

  for (size_t i = 0; i < text.size();) {
    size_t length;
    const char32_t c = Decode(text, i, length);
    if (IsSpace(c)) {
      i += length;
      continue;
    }
    if (!IsWordChar(c)) {
      add_token(i, i + length, nlpd::v1::TOKEN_KIND_PUNCTUATION);
      i += length;
      if (c == '.' || c == '!' || c == '?') end_sentence();
      continue;
    }
    const size_t begin = i;
    bool has_letter = false;
    while (i < text.size()) {
      const char32_t d = Decode(text, i, length);
      if (IsWordChar(d)) {
        has_letter |= !IsDigit(d);
        i += length;
        continue;
      }
      size_t next_length;
      if (IsJoiner(d) && i + length < text.size() &&
          IsWordChar(Decode(text, i + length, next_length))) {
        i += length;
        continue;
      }
      break;
    }
    add_token(
        begin, i,
        has_letter ? nlpd::v1::TOKEN_KIND_WORD : nlpd::v1::TOKEN_KIND_NUMBER);
  }
  end_sentence();
  return document;
}

nlpd::v1::Document MakeDocument(std::string_view text,
                                std::string_view language) {
#ifdef NLPD_KEYWORDS_TEST_TEXT_PIPELINE
  auto pipeline = nlpd::text::TextPipeline::Create();
  EXPECT_TRUE(pipeline.ok()) << pipeline.status();
  if (!pipeline.ok()) return SimpleDocument(text, language);
  auto document = (*pipeline)->Process(text, language);
  EXPECT_TRUE(document.ok()) << document.status();
  if (!document.ok()) return SimpleDocument(text, language);
  return *std::move(document);
#else
  return SimpleDocument(text, language);
#endif
}

}  // namespace nlpd::keywords::testing
