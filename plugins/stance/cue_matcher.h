// Finds the lexicon's cue patterns in a sentence and decides, for each
// match, whether it counts: a match in the scope of a negation the pattern
// does not state itself, or inside a conditional clause ("falls ...",
// "if ..."), does not express the actor's position.
#ifndef NLPD_PLUGINS_STANCE_CUE_MATCHER_H_
#define NLPD_PLUGINS_STANCE_CUE_MATCHER_H_

#include <string>
#include <string_view>
#include <vector>

#include "lexicon.h"
#include "sentence_view.h"

namespace nlpd::stance {

struct CueMatch {
  const CuePattern* cue = nullptr;  // owned by the Lexicon
  int begin = 0;                    // token range in the sentence view
  int end = 0;
  // The cue's kind, refined: an "attack" after a future or conditional
  // modal ("would strike", "werde angreifen") is a "threat".
  std::string kind;
  bool negated = false;       // in the scope of an unstated negation
  bool hypothetical = false;  // inside a conditional clause
  // A rejection whose object is a de-escalation step ("lehnte eine
  // Entwaffnung ab", "rejected calls to withdraw") is a refusal: FAVOR.
  bool inverted = false;
  bool counts() const { return !negated && !hypothetical; }
  // The stance the match expresses: the pattern's, or FAVOR when inverted.
  nlpd::v1::Stance stance() const {
    return inverted ? nlpd::v1::FAVOR : cue->stance;
  }
};

// All matches in text order (by begin, then by pattern order). A pattern
// matches at most once per start token, with the shortest gaps. Each match
// is marked for the negation before it or in its gaps, a conditional
// clause, and an attack after a future modal (a threat); then the match
// rules apply in the order of MatchRuleNames(). Thread-safe.
std::vector<CueMatch> FindCues(const Lexicon& lexicon,
                               const SentenceView& sentence);

// The names of the match rules in the order they apply (the table
// kMatchRules in cue_matcher.cc; docs/STANCE.md, "Rules").
std::vector<std::string_view> MatchRuleNames();

}  // namespace nlpd::stance

#endif  // NLPD_PLUGINS_STANCE_CUE_MATCHER_H_
