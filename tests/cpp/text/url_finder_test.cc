#include "text/url_finder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nlpd::text {
namespace {

std::vector<std::u16string> Urls(std::u16string_view text) {
  std::vector<std::u16string> out;
  for (const TextRange& r : FindUrls(text)) {
    out.emplace_back(text.substr(r.begin, r.end - r.begin));
  }
  return out;
}

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(FindUrlsTest, SchemeAndWww) {
  EXPECT_THAT(Urls(u"Quelle: https://a.example/x-y/z.htm und www.b.de."),
              ElementsAre(u"https://a.example/x-y/z.htm", u"www.b.de"));
}

TEST(FindUrlsTest, TrailingPunctuationAndBrackets) {
  EXPECT_THAT(
      Urls(u"(siehe http://a.example/q?x=1), dann "
           u"https://en.example/wiki/A_(b)."),
      ElementsAre(u"http://a.example/q?x=1", u"https://en.example/wiki/A_(b)"));
  EXPECT_THAT(Urls(u"„https://c.example/d“"),
              ElementsAre(u"https://c.example/d"));
}

TEST(FindUrlsTest, NoUrls) {
  EXPECT_THAT(Urls(u"Ein Satz: mit :// und www. aber ohne Adresse."),
              IsEmpty());
  EXPECT_THAT(Urls(u"awww.example"), IsEmpty());
}

}  // namespace
}  // namespace nlpd::text
