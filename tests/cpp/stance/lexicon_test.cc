// The cue lexicon format (plugins/stance/lexicon.h) and the embedded
// lexicons.
#include "lexicon.h"

#include <gtest/gtest.h>

#include "lexicon_data.h"

namespace nlpd::stance {
namespace {

TEST(LexiconTest, ParsesSetsPhrasesAndCues) {
  auto lexicon = Lexicon::Parse(
      "# comment\n"
      "word speech sagte warn*   # trailing comment\n"
      "word source laut nach_angaben\n"
      "word negation nicht\n"
      "cue FAVOR 3 threat drohte|*drohung ... an\n"
      "cue AGAINST 2.5 reassurance nicht ..3 gegen\n"
      "cue NONE 1 routine wie_in_jedem\n");
  ASSERT_TRUE(lexicon.ok()) << lexicon.status();
  EXPECT_TRUE(lexicon->InSet("speech", "sagte"));
  EXPECT_TRUE(lexicon->InSet("speech", "warnte"));
  EXPECT_FALSE(lexicon->InSet("speech", "sagten"));
  EXPECT_FALSE(lexicon->InSet("unknown", "sagte"));
  ASSERT_EQ(lexicon->Phrases("source").size(), 1u);
  EXPECT_EQ(lexicon->Phrases("source")[0],
            (std::vector<std::string>{"nach", "angaben"}));
  ASSERT_EQ(lexicon->cues().size(), 3u);
  const CuePattern& threat = lexicon->cues()[0];
  EXPECT_EQ(threat.stance, nlpd::v1::FAVOR);
  EXPECT_FLOAT_EQ(threat.weight, 3);
  EXPECT_EQ(threat.kind, "threat");
  ASSERT_EQ(threat.elements.size(), 3u);
  EXPECT_TRUE(threat.elements[0].alternatives[1].Matches("kriegsdrohung"));
  EXPECT_EQ(threat.elements[1].max_gap, 10);
  EXPECT_TRUE(lexicon->cues()[1].elements[0].is_negation);
  EXPECT_EQ(lexicon->cues()[1].elements[1].max_gap, 3);
  EXPECT_EQ(lexicon->cues()[2].elements.size(), 3u);  // wie in jedem
}

TEST(LexiconTest, RejectsMalformedLinesWithTheLineNumber) {
  for (const char* bad : {
           "cue MAYBE 1 x y\n",        // stance
           "cue FAVOR -1 x y\n",       // weight
           "cue FAVOR 1 x\n",          // no pattern
           "cue FAVOR 1 x ... y\n",    // starts with a gap
           "cue FAVOR 1 x a|b_c\n",    // phrase with alternatives
           "cue FAVOR 1 x a ..0 b\n",  // empty gap
           "word speech\n",            // no entries
           "verb sagte\n",             // unknown directive
       }) {
    auto lexicon = Lexicon::Parse(std::string("# ok\n") + bad);
    ASSERT_FALSE(lexicon.ok()) << bad;
    EXPECT_NE(lexicon.status().message().find("line 2"), std::string::npos)
        << lexicon.status();
  }
}

TEST(LexiconTest, EmbeddedLexiconsParse) {
  const auto texts = EmbeddedLexicons();
  ASSERT_TRUE(texts.contains("de"));
  ASSERT_TRUE(texts.contains("en"));
  for (const auto& [language, text] : texts) {
    auto lexicon = Lexicon::Parse(text);
    ASSERT_TRUE(lexicon.ok()) << language << ": " << lexicon.status();
    EXPECT_GT(lexicon->cues().size(), 50u) << language;
    EXPECT_TRUE(lexicon->InSet("negation", language == "de" ? "nicht" : "not"));
  }
}

TEST(LexiconTest, LowercaseHandlesUmlautsAndSharpS) {
  EXPECT_EQ(Lowercase("ÄUSSERN Übung"), "äussern übung");
  EXPECT_EQ(Lowercase("Straße"), "straße");
}

}  // namespace
}  // namespace nlpd::stance
