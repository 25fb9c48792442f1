// CueIndex (plugins/stance/cue_index.h) proposes exactly the cues whose
// first element matches a token: the same answer as trying every cue.
#include "cue_index.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "language_data.h"
#include "lexicon.h"

namespace nlpd::stance {
namespace {

// Every cue whose first element matches `token`, by brute force.
std::vector<int> EveryCueStartingWith(const Lexicon& lexicon,
                                      const std::string& token) {
  std::vector<int> out;
  for (size_t c = 0; c < lexicon.cues().size(); ++c) {
    for (const WordMatcher& m : lexicon.cues()[c].elements[0].alternatives) {
      if (m.Matches(token)) {
        out.push_back(static_cast<int>(c));
        break;
      }
    }
  }
  return out;
}

TEST(CueIndexTest, AffixesAndWholeWords) {
  auto lexicon = Lexicon::Parse(
      "cue FAVOR 1 threat drohte*|*drohung ... an\n"
      "cue FAVOR 1 attack angriff\n"
      "cue AGAINST 1 appeal *gespräch* ..2 an\n"
      "cue AGAINST 1 appeal angriff_ab\n");
  ASSERT_TRUE(lexicon.ok()) << lexicon.status();
  std::vector<int> got;
  lexicon->cue_index().Candidates("drohten", got);
  EXPECT_EQ(got, (std::vector<int>{0}));
  lexicon->cue_index().Candidates("kriegsdrohung", got);
  EXPECT_EQ(got, (std::vector<int>{0}));
  lexicon->cue_index().Candidates("angriff", got);
  EXPECT_EQ(got, (std::vector<int>{1, 3}));
  lexicon->cue_index().Candidates("friedensgespräche", got);
  EXPECT_EQ(got, (std::vector<int>{2}));
  lexicon->cue_index().Candidates("angriffe", got);
  EXPECT_TRUE(got.empty());
  lexicon->cue_index().Candidates("", got);
  EXPECT_TRUE(got.empty());
}

// On the real lexicons: each cue's own first words, and those words with
// letters added before and after and cut off, give the brute-force answer.
TEST(CueIndexTest, AgreesWithTryingEveryCueOnTheEmbeddedLexicons) {
  for (const auto& [language, files] : EmbeddedLanguages()) {
    auto lexicon = Lexicon::Load(files);
    ASSERT_TRUE(lexicon.ok()) << language << ": " << lexicon.status();
    std::set<std::string> tokens = {"", "x", "und", "and"};
    for (const CuePattern& cue : lexicon->cues()) {
      for (const PatternElement& element : cue.elements) {
        for (const WordMatcher& m : element.alternatives) {
          tokens.insert(m.text);
          tokens.insert("ver" + m.text);
          tokens.insert(m.text + "en");
          tokens.insert("x" + m.text + "x");
          tokens.insert(m.text.substr(1));
          tokens.insert(m.text.substr(0, m.text.size() - 1));
        }
      }
    }
    std::vector<int> got;
    int tokens_with_cues = 0;
    for (const std::string& token : tokens) {
      lexicon->cue_index().Candidates(token, got);
      ASSERT_EQ(got, EveryCueStartingWith(*lexicon, token))
          << language << " token \"" << token << "\"";
      tokens_with_cues += got.empty() ? 0 : 1;
    }
    EXPECT_GT(tokens_with_cues, 100) << language;
  }
}

}  // namespace
}  // namespace nlpd::stance
