// The stance plugin's config lines (plugins/stance/plugin_config.h).
#include "plugin_config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace nlpd::stance {
namespace {

TEST(PluginConfigTest, EmptyConfigNamesNoFiles) {
  auto extras = LoadExtraLexicons(" \n# only a comment\n");
  ASSERT_TRUE(extras.ok()) << extras.status();
  EXPECT_TRUE(extras->empty());
}

TEST(PluginConfigTest, ReadsEachCuesLineInOrder) {
  const std::string path = ::testing::TempDir() + "/stance_extra_cues.txt";
  std::ofstream(path) << "cue FAVOR 3 attack drohnenflug*\n";
  auto extras = LoadExtraLexicons("cues de " + path + "  # drones\ncues en " +
                                  path + "\n");
  ASSERT_TRUE(extras.ok()) << extras.status();
  ASSERT_EQ(extras->size(), 2u);
  EXPECT_EQ((*extras)[0].language, "de");
  EXPECT_EQ((*extras)[0].path, path);
  EXPECT_EQ((*extras)[0].text, "cue FAVOR 3 attack drohnenflug*\n");
  EXPECT_EQ((*extras)[1].language, "en");
  std::remove(path.c_str());
}

TEST(PluginConfigTest, RefusesMalformedLinesAndMissingFiles) {
  for (const char* bad : {"cue de x.txt", "cues de", "cues de a b"}) {
    auto extras = LoadExtraLexicons(std::string("\n") + bad);
    ASSERT_FALSE(extras.ok()) << bad;
    EXPECT_NE(extras.status().message().find("line 2"), std::string::npos)
        << extras.status();
  }
  auto missing = LoadExtraLexicons("cues de /nonexistent/cues.txt");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/cues.txt"),
            std::string::npos);
}

}  // namespace
}  // namespace nlpd::stance
