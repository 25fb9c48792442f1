// Smoke test of the built plugin through nlpd-plugin-test, as a plugin
// author's TESTS of nlpd_add_plugin run it (nlpd/plugin_test.h). The
// extractor's behaviour is tested in tests/cpp/keywords.
#include <gtest/gtest.h>

#include "nlpd/keywords/v1/keywords.pb.h"
#include "nlpd/plugin_test.h"

namespace {

using ::nlpd::keywords::v1::Keyword;
using ::nlpd::keywords::v1::KeywordsResult;

TEST(KeywordsPlugin, FindsARepeatedNounAndItsMentions) {
  auto result = nlpd::testing::RunPlugin<KeywordsResult>(
      "Die Bundesregierung beschließt neue Sanktionen. Die Bundesregierung "
      "berät.",
      "de");
  ASSERT_TRUE(result.ok()) << result.status();
  const Keyword* found = nullptr;
  for (const Keyword& keyword : result->keywords()) {
    if (keyword.normalized() == "bundesregierung") found = &keyword;
  }
  ASSERT_NE(found, nullptr) << result->DebugString();
  ASSERT_EQ(found->mentions_size(), 2);
  EXPECT_EQ(found->mentions(1).char_start(), 52);  // after "ß" (2 bytes)
  EXPECT_EQ(found->mentions(1).byte_start(), 53);
}

TEST(KeywordsPlugin, SkipsAnUnsupportedLanguage) {
  auto result = nlpd::testing::RunPlugin<KeywordsResult>(
      "Le gouvernement annonce de nouvelles sanctions.", "fr");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kNotFound)
      << result.status();
}

}  // namespace
