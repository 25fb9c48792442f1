// Each test runs the built plugin on a text through nlpd-plugin-test (which
// loads it as the server does and checks the plugin contract) and looks at
// the decoded result.
#include <gtest/gtest.h>

#include "myplugin/v1/myplugin.pb.h"
#include "nlpd/plugin_test.h"

using myplugin::v1::MypluginResult;
using nlpd::testing::RunPlugin;

TEST(Myplugin, FindsWordsInCapitals) {
  auto result = RunPlugin<MypluginResult>("Die EU und die NATO tagen.", "de");
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->matches_size(), 2);
  EXPECT_EQ(result->matches(0).text(), "EU");
  EXPECT_EQ(result->matches(1).text(), "NATO");
}

TEST(Myplugin, FindsUmlautsAndCountsCharactersAndBytes) {
  auto result = RunPlugin<MypluginResult>("Über die ÖVP.", "de");
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->matches_size(), 1);
  EXPECT_EQ(result->matches(0).text(), "ÖVP");
  EXPECT_EQ(result->matches(0).span().char_start(), 9);
  EXPECT_EQ(result->matches(0).span().byte_start(), 10);  // "Ü" is 2 bytes
}

TEST(Myplugin, IgnoresSingleLettersAndMixedCase) {
  auto result = RunPlugin<MypluginResult>("A Nato summit in Berlin.", "en");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->matches_size(), 0);
}
