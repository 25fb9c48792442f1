#include "text/tokenizer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/language_rules.h"
#include "text/period_classifier.h"
#include "text/url_finder.h"
#include "text/utf16_text.h"

namespace nlpd::text {
namespace {

using ::testing::ElementsAre;

// Token texts (UTF-16) of `text`, with the generic rules.
std::vector<std::u16string> Tokens(
    std::string_view text, std::vector<v1::TokenKind>* kinds = nullptr) {
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::Create();
  EXPECT_TRUE(tokenizer.ok()) << tokenizer.status();
  const Utf16Text utf16(text);
  const LanguageRules generic;
  const std::vector<ClassifiedPeriod> periods = ClassifyPeriods(utf16, generic);
  const std::vector<TextRange> urls = FindUrls(utf16.units());
  std::vector<std::u16string> out;
  for (const TokenRange& t : tokenizer->Tokenize(utf16, periods, urls)) {
    out.emplace_back(
        utf16.units().substr(t.range.begin, t.range.end - t.range.begin));
    if (kinds != nullptr) kinds->push_back(t.kind);
  }
  return out;
}

TEST(TokenizerTest, SkipsWhiteSpaceAndControlCharacters) {
  EXPECT_THAT(Tokens(" a\t\u00A0b\n\u200B\x01 c  "),
              ElementsAre(u"a", u"b", u"c"));
}

TEST(TokenizerTest, SpacesGluedToNumbersAreTrimmed) {
  // U+202F is ExtendNumLet for ICU: inside a number it stays, at its end it
  // is white space and goes.
  EXPECT_THAT(Tokens("3,5\u202f% und 10\u202f000 Euro"),
              ElementsAre(u"3,5", u"%", u"und", u"10\u202f000", u"Euro"));
}

TEST(TokenizerTest, Kinds) {
  std::vector<v1::TokenKind> kinds;
  EXPECT_THAT(Tokens("Kim 3,5 % „x“ 🇩🇪", &kinds),
              ElementsAre(u"Kim", u"3,5", u"%", u"„", u"x", u"“", u"🇩🇪"));
  EXPECT_THAT(
      kinds, ElementsAre(v1::TOKEN_KIND_WORD, v1::TOKEN_KIND_NUMBER,
                         v1::TOKEN_KIND_PUNCTUATION, v1::TOKEN_KIND_PUNCTUATION,
                         v1::TOKEN_KIND_WORD, v1::TOKEN_KIND_PUNCTUATION,
                         v1::TOKEN_KIND_OTHER));
}

TEST(TokenizerTest, HyphenChains) {
  EXPECT_THAT(Tokens("Nord-Süd-Dialog, Hong‐kyun, 3-2, -x, y-"),
              ElementsAre(u"Nord-Süd-Dialog", u",", u"Hong‐kyun", u",", u"3",
                          u"-", u"2", u",", u"-", u"x", u",", u"y", u"-"));
}

TEST(TokenizerTest, UrlInsideTextAndAtEnd) {
  EXPECT_THAT(Tokens("(https://a.example/b-c)."),
              ElementsAre(u"(", u"https://a.example/b-c", u")", u"."));
}

}  // namespace
}  // namespace nlpd::text
