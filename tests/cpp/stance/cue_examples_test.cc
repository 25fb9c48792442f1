// The example sentences in the lexicon files (`example <sentence>` after a
// group of cues; docs/STANCE.md): each must fire one of its group's cues,
// counted (not negated, not conditional), over the real text pipeline, and
// every cue must be in a group with an example. A change that breaks a cue
// fails here naming the cue, its file and line.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "cue_matcher.h"
#include "language_data.h"
#include "lexicon.h"
#include "sentence_view.h"
#include "stance_eval.h"

namespace nlpd::stance {
namespace {

TEST(CueExamplesTest, EveryExampleFiresACueOfItsGroup) {
  auto pipeline = StancePipeline::Create();
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();
  int examples = 0;
  for (const auto& [language, files] : EmbeddedLanguages()) {
    auto lexicon = Lexicon::Load(files);
    ASSERT_TRUE(lexicon.ok()) << lexicon.status();
    std::map<std::string, const CuePattern*> by_name;
    for (const CuePattern& cue : lexicon->cues()) by_name[cue.name] = &cue;
    std::set<std::string> with_example;
    for (const CueExample& example : lexicon->examples()) {
      ++examples;
      auto analysis = (*pipeline)->Run(example.text, language);
      ASSERT_TRUE(analysis.ok()) << analysis.status();
      std::set<std::string> fired;
      for (int s = 0; s < analysis->document.sentences_size(); ++s) {
        const SentenceView view =
            MakeSentenceView(analysis->document, analysis->entities, s);
        for (const CueMatch& match : FindCues(*lexicon, view)) {
          if (match.counts()) fired.insert(match.cue->name);
        }
      }
      bool ok = false;
      std::string group;
      for (const std::string& name : example.cue_names) {
        with_example.insert(name);
        ok |= fired.contains(name);
        auto it = by_name.find(name);
        group += "\n  cue \"" + name + "\" (" +
                 (it == by_name.end() ? std::string("disabled")
                                      : it->second->file + " line " +
                                            std::to_string(it->second->line)) +
                 ")";
      }
      std::string got;
      for (const std::string& name : fired) got += " \"" + name + "\"";
      EXPECT_TRUE(ok) << example.file << " line " << example.line
                      << ": the example \"" << example.text
                      << "\" fires none of its cues:" << group
                      << "\nit fires:" << (got.empty() ? " nothing" : got);
    }
    // Every cue belongs to a group with an example.
    for (const CuePattern& cue : lexicon->cues()) {
      EXPECT_TRUE(with_example.contains(cue.name))
          << cue.file << " line " << cue.line << ": cue \"" << cue.name
          << "\" has no example: add an `example` line after its group";
    }
  }
  EXPECT_GT(examples, 0);
}

}  // namespace
}  // namespace nlpd::stance
