// Tests of the textstats plugin: each runs the built libnlpd_textstats.so on
// a text through nlpd-plugin-test, which loads it as the server does and
// checks the contract, and looks at the decoded result (nlpd/plugin_test.h).
// nlpd_add_plugin(... TESTS textstats_test.cc) builds and registers them;
// run them with ctest.
#include <gtest/gtest.h>

#include "nlpd/plugin_test.h"
#include "textstats/v1/textstats.pb.h"

using textstats::v1::TextStats;

TEST(TextStats, CountsWords) {
  auto stats =
      nlpd::testing::RunPlugin<TextStats>("Zwei Wörter, zwei Sätze. Ja.", "de");
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->sentences(), 2);
  EXPECT_EQ(stats->words(), 5);
  EXPECT_EQ(stats->distinct_words(), 5);  // "Zwei" and "zwei" differ
}

TEST(TextStats, FindsTheLongestWordAndItsSpan) {
  auto stats =
      nlpd::testing::RunPlugin<TextStats>("Die Überschwemmung in Köln.", "de");
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->longest_word(), "Überschwemmung");
  // Code points and UTF-8 bytes: "Ü" is one character and two bytes.
  EXPECT_EQ(stats->longest_word_span().char_start(), 4);
  EXPECT_EQ(stats->longest_word_span().char_end(), 18);
  EXPECT_EQ(stats->longest_word_span().byte_start(), 4);
  EXPECT_EQ(stats->longest_word_span().byte_end(), 19);
}
