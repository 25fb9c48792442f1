// The cue lexicon format (plugins/stance/lexicon.h), the loader's checks
// against the vocabulary (vocabulary.h) and the embedded languages.
#include "lexicon.h"

#include <gtest/gtest.h>

#include "language_data.h"

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

// Each kind of mistake the loader refuses, with the file and line named.
TEST(LexiconTest, RefusesMistakesNamingFileAndLine) {
  const struct {
    const char* line;
    const char* message;
  } kCases[] = {
      {"word speach sagte\n", "unknown word set \"speach\""},
      {"cue FAVOR 1 attak angriff\n", "unknown cue kind \"attak\""},
      {"cue FAVOUR 1 attack angriff\n", "unknown stance \"FAVOUR\""},
      {"option verb-first\n", "unknown option \"verb-first\""},
      {"word option verb-first\n", "unknown option \"verb-first\""},
      {"word scope_kind rejection atack\n", "unknown cue kind \"atack\""},
      {"cue FAVOR 1 attack angriff,\n", "can never match"},
      {"word speech sagte:\n", "can never match"},
      {"cue FAVOR 1 attack (angriff|offensive)\n", "can never match"},
      {"cue FAVOR 2 threat drohte ... an\n",
       "duplicate cue \"drohte ... an\" (first in base.txt line 2)"},
      {"disable griff ... an\n", "no cue \"griff ... an\" to disable"},
  };
  const std::string base =
      "# base\n"
      "cue FAVOR 3 threat drohte ... an\n";
  for (const auto& [line, message] : kCases) {
    const std::string extra = std::string("# extra\n\n") + line;
    const LexiconFile files[] = {{.name = "base.txt", .text = base},
                                 {.name = "extra.txt", .text = extra}};
    auto lexicon = Lexicon::Load(files);
    ASSERT_FALSE(lexicon.ok()) << line;
    EXPECT_NE(lexicon.status().message().find("extra.txt line 3: "),
              std::string::npos)
        << lexicon.status();
    EXPECT_NE(lexicon.status().message().find(message), std::string::npos)
        << lexicon.status();
  }
}

// A later file adds cues and set entries and disables a cue by its name
// (the pattern as written); a disabled cue may come back with a new weight.
TEST(LexiconTest, LaterFilesAddAndDisable) {
  const LexiconFile files[] = {
      {.name = "cues.txt",
       .text = "word speech sagte\n"
               "cue FAVOR 3 threat drohte ... an\n"
               "cue AGAINST 2 appeal rief ... auf\n"},
      {.name = "mine.txt",
       .text = "word speech meinte\n"
               "disable rief ... auf\n"
               "disable drohte ... an\n"
               "cue FAVOR 1.5 threat drohte ... an\n"
               "cue FAVOR 3 attack drohnenflüge|drohnenflug*\n"}};
  auto lexicon = Lexicon::Load(files);
  ASSERT_TRUE(lexicon.ok()) << lexicon.status();
  EXPECT_TRUE(lexicon->InSet("speech", "sagte"));
  EXPECT_TRUE(lexicon->InSet("speech", "meinte"));
  ASSERT_EQ(lexicon->cues().size(), 2u);
  EXPECT_EQ(lexicon->cues()[0].name, "drohte ... an");
  EXPECT_FLOAT_EQ(lexicon->cues()[0].weight, 1.5);
  EXPECT_EQ(lexicon->cues()[0].file, "mine.txt");
  EXPECT_EQ(lexicon->cues()[1].name, "drohnenflüge|drohnenflug*");
  EXPECT_EQ(lexicon->cues()[1].line, 5);
}

TEST(LexiconTest, EmbeddedLanguagesLoad) {
  const LanguageFiles languages = EmbeddedLanguages();
  ASSERT_TRUE(languages.contains("de"));
  ASSERT_TRUE(languages.contains("en"));
  for (const auto& [language, files] : languages) {
    auto lexicon = Lexicon::Load(files);
    ASSERT_TRUE(lexicon.ok()) << language << ": " << lexicon.status();
    EXPECT_GT(lexicon->cues().size(), 50u) << language;
    EXPECT_TRUE(lexicon->InSet("negation", language == "de" ? "nicht" : "not"));
  }
  EXPECT_TRUE(
      Lexicon::Load(languages.at("de"))->InSet("option", "capitalized-nouns"));
  EXPECT_FALSE(
      Lexicon::Load(languages.at("en"))->InSet("option", "capitalized-nouns"));
}

TEST(LexiconTest, LowercaseHandlesUmlautsAndSharpS) {
  EXPECT_EQ(Lowercase("ÄUSSERN Übung"), "äussern übung");
  EXPECT_EQ(Lowercase("Straße"), "straße");
}

}  // namespace
}  // namespace nlpd::stance
