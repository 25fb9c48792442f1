#include "cue_matcher.h"

#include <algorithm>
#include <string_view>

namespace nlpd::stance {
namespace {

// How far before a match a negation reaches ("will not attack",
// "keine neue Offensive").
constexpr int kNegationReach = 3;
// How far before an attack a modal makes it a threat ("would target").
constexpr int kModalReach = 4;

bool ElementMatches(const PatternElement& element, const TokenInfo& token) {
  for (const WordMatcher& matcher : element.alternatives) {
    if (matcher.Matches(token.lowered)) return true;
  }
  return false;
}

// Matches elements[e...] from token `position`; returns the end token or -1.
// Gaps try the shortest length first and never cross the sentence.
int MatchFrom(const std::vector<PatternElement>& elements, std::size_t e,
              const SentenceView& sentence, int position,
              std::vector<int>& element_tokens) {
  if (e == elements.size()) return position;
  const PatternElement& element = elements[e];
  if (element.max_gap > 0) {
    for (int gap = 0; gap <= element.max_gap; ++gap) {
      if (position + gap >= sentence.size()) break;
      const int end =
          MatchFrom(elements, e + 1, sentence, position + gap, element_tokens);
      if (end >= 0) return end;
    }
    return -1;
  }
  if (position >= sentence.size() ||
      !ElementMatches(element, sentence.tokens[position])) {
    return -1;
  }
  element_tokens.push_back(position);
  const int end =
      MatchFrom(elements, e + 1, sentence, position + 1, element_tokens);
  if (end < 0) element_tokens.pop_back();
  return end;
}

bool StatesNegation(const CuePattern& cue) {
  return std::any_of(cue.elements.begin(), cue.elements.end(),
                     [](const PatternElement& e) { return e.is_negation; });
}

// A rejection whose object names a de-escalation step (lexicon set
// `deescalation_word`: disarmament, withdrawal, talks, a ceasefire) refuses
// de-escalation, which the guidelines count as FAVOR ("refuses talks or a
// ceasefire"): "lehnten eine Entwaffnung ab", "rejected calls to withdraw".
// The object runs from the verb to the match end, or to the clause end or a
// coordinator when the match is the verb alone. Such a refusal does not
// scope over what follows.
void InvertRefusals(const Lexicon& lexicon, const SentenceView& sentence,
                    std::vector<CueMatch>& matches) {
  for (CueMatch& match : matches) {
    if (match.cue->stance != nlpd::v1::AGAINST || match.kind != "rejection") {
      continue;
    }
    if (StatesNegation(*match.cue)) continue;
    int end = match.end;
    if (end - match.begin <= 1) {
      while (end < sentence.size() && !sentence.IsBoundary(end) &&
             !lexicon.InSet("coordinator", sentence.tokens[end].lowered)) {
        ++end;
      }
    }
    for (int t = match.begin + 1; t < end; ++t) {
      if (lexicon.InSet("deescalation_word", sentence.tokens[t].lowered)) {
        match.inverted = true;
        match.kind = "refusal";
        break;
      }
    }
  }
}

// The object of a rejection, warning, protest or appeal is not the
// actor's own step: "ruled out sending troops", "protestierten gegen die
// Mobilmachung". The scope runs to the clause's end or a coordinator
// ("condemned the attack and vowed revenge" keeps the vow).
void ScopeObjects(const Lexicon& lexicon, const SentenceView& sentence,
                  std::vector<CueMatch>& matches) {
  for (const CueMatch& scope : matches) {
    if (!scope.counts() || scope.inverted ||
        !lexicon.InSet("scope_kind", scope.kind)) {
      continue;
    }
    int end = scope.begin + 1;
    while (end < sentence.size() && !sentence.IsBoundary(end) &&
           !lexicon.InSet("coordinator", sentence.tokens[end].lowered)) {
      ++end;
    }
    // A predicative rejection, warning or reassurance (lexicon set
    // `predicative_kind`) also covers the deed named before it in its
    // clause: "Sending troops is not an option", "Ein Einmarsch wäre ein
    // Fehler", "the units are deployed solely for defense". Threats stay: they
    // are the speaker's own words ("any attack would be met with a response").
    int begin = scope.begin;
    const bool predicative = lexicon.InSet("predicative_kind", scope.kind);
    if (predicative) {
      while (
          begin > 0 && !sentence.IsBoundary(begin - 1) &&
          !lexicon.InSet("coordinator", sentence.tokens[begin - 1].lowered)) {
        --begin;
      }
    }
    for (CueMatch& match : matches) {
      if (match.stance() != nlpd::v1::FAVOR) continue;
      const bool after = match.begin > scope.begin && match.begin < end;
      const bool before = predicative && match.kind != "threat" &&
                          match.begin >= begin && match.end <= scope.begin;
      if (after || before) match.negated = true;
    }
  }
}

// A counted pattern that states its negation overrules the overlapping
// matches of the other stance that do not: "threatens no one" is not a
// threat, "did not rule out" is not "ruled out".
void OverruleByStatedNegation(const Lexicon& /*lexicon*/,
                              const SentenceView& /*sentence*/,
                              std::vector<CueMatch>& matches) {
  for (const CueMatch& negating : matches) {
    if (!negating.counts() || !StatesNegation(*negating.cue)) continue;
    for (CueMatch& match : matches) {
      if (match.stance() != negating.stance() &&
          match.stance() != nlpd::v1::NONE && !StatesNegation(*match.cue) &&
          match.begin < negating.end && negating.begin < match.end) {
        match.negated = true;
      }
    }
  }
}

// A NONE cue of a clause-bound kind (lexicon set `clause_bound_kind`:
// scheduling) speaks only for its own clause: "Die Gespräche wurden auf
// kommende Woche verschoben, die Schweiz rief ... zur Zurückhaltung auf"
// keeps the appeal. It stops counting when a counted FAVOR or AGAINST
// match lies in another clause of the sentence.
void BindNoneToClause(const Lexicon& lexicon, const SentenceView& sentence,
                      std::vector<CueMatch>& matches) {
  for (CueMatch& bound : matches) {
    if (bound.cue->stance != nlpd::v1::NONE || !bound.counts() ||
        !lexicon.InSet("clause_bound_kind", bound.kind)) {
      continue;
    }
    for (const CueMatch& match : matches) {
      if (!match.counts() || match.stance() == nlpd::v1::NONE) continue;
      const int from = std::min(match.end, bound.end) - 1;
      const int to = std::max(match.begin, bound.begin);
      bool separated = false;
      for (int t = std::max(from, 0); t < to; ++t) {
        separated |= sentence.IsBoundary(t) ||
                     lexicon.InSet("coordinator", sentence.tokens[t].lowered);
      }
      if (separated) {
        bound.negated = true;
        break;
      }
    }
  }
}

// The rules that decide which matches count, in the order they apply:
// each sees the marks of the rules before it (after FindCues has marked
// every match for negation scope, conditionals and future attacks).
// docs/STANCE.md ("Rules") describes them with examples.
struct MatchRule {
  std::string_view name;
  void (*apply)(const Lexicon&, const SentenceView&, std::vector<CueMatch>&);
};
constexpr MatchRule kMatchRules[] = {
    {"refused_deescalation", &InvertRefusals},
    {"object_scope", &ScopeObjects},
    {"stated_negation_overrules", &OverruleByStatedNegation},
    {"clause_bound_none", &BindNoneToClause},
};

}  // namespace

std::vector<std::string_view> MatchRuleNames() {
  std::vector<std::string_view> names;
  for (const MatchRule& rule : kMatchRules) names.push_back(rule.name);
  return names;
}

std::vector<CueMatch> FindCues(const Lexicon& lexicon,
                               const SentenceView& sentence) {
  std::vector<CueMatch> matches;
  std::vector<int> element_tokens;
  std::vector<int> candidates;
  for (int start = 0; start < sentence.size(); ++start) {
    // Only the cues whose first word matches this token, in pattern order.
    lexicon.cue_index().Candidates(sentence.tokens[start].lowered, candidates);
    for (const int c : candidates) {
      const CuePattern& cue = lexicon.cues()[c];
      element_tokens.clear();
      const int end =
          MatchFrom(cue.elements, 0, sentence, start, element_tokens);
      if (end < 0) continue;
      CueMatch match;
      match.cue = &cue;
      match.begin = start;
      match.end = end;
      match.kind = cue.kind;
      if (!StatesNegation(cue)) {
        // A negation word just before the match (within its clause) or in
        // one of its gaps.
        for (int t = start - 1; t >= 0 && t >= start - kNegationReach; --t) {
          if (sentence.IsBoundary(t)) break;
          if (lexicon.InSet("negation", sentence.tokens[t].lowered)) {
            match.negated = true;
          }
        }
        for (int t = start; t < end; ++t) {
          if (std::find(element_tokens.begin(), element_tokens.end(), t) ==
                  element_tokens.end() &&
              lexicon.InSet("negation", sentence.tokens[t].lowered)) {
            match.negated = true;
          }
        }
      }
      // A conditional word between the clause start and the match
      // ("falls", "if"), or opening the clause ("sollten die Truppen ...",
      // "should they attack").
      for (int t = start - 1; t >= 0; --t) {
        if (sentence.IsBoundary(t)) break;
        const std::string& word = sentence.tokens[t].lowered;
        if (lexicon.InSet("conditional", word) ||
            ((t == 0 || sentence.IsBoundary(t - 1)) &&
             lexicon.InSet("conditional_initial", word))) {
          match.hypothetical = true;
          break;
        }
      }
      if (match.kind == "attack") {
        for (int t = start - 1; t >= 0 && t >= start - kModalReach; --t) {
          if (lexicon.InSet("future_modal", sentence.tokens[t].lowered)) {
            match.kind = "threat";
            break;
          }
        }
      }
      matches.push_back(std::move(match));
    }
  }
  for (const MatchRule& rule : kMatchRules) {
    rule.apply(lexicon, sentence, matches);
  }
  return matches;
}

}  // namespace nlpd::stance
