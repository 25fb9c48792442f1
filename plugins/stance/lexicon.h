// A stance cue lexicon for one language, parsed from a text file
// (data/cues_<language>.txt; the format is documented at the top of those
// files and in docs/MODELS.md). Holds the word sets the attribution uses
// (verbs of speech, source markers, pronouns, ...) and the weighted cue
// patterns that carry a stance.
#ifndef NLPD_PLUGINS_STANCE_LEXICON_H_
#define NLPD_PLUGINS_STANCE_LEXICON_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "cue_index.h"
#include "nlpd/v1/results.pb.h"

namespace nlpd::stance {

// Matches one lower-cased token: the whole word, or a prefix ("drohte*"),
// a suffix ("*offensive") or an infix ("*gespräch*").
struct WordMatcher {
  std::string text;
  bool any_prefix = false;  // a leading '*': the token may start with more
  bool any_suffix = false;  // a trailing '*': the token may end with more

  bool Matches(std::string_view lowered_token) const;
};

// One element of a cue pattern: a token (one of several alternatives) or a
// gap of up to `max_gap` tokens of any kind.
struct PatternElement {
  std::vector<WordMatcher> alternatives;  // empty for a gap
  int max_gap = 0;
  // True when the alternatives are negation words: a pattern with such an
  // element states its negation itself and is exempt from negation scope.
  bool is_negation = false;
};

// One weighted cue: when `elements` match, the clause gets `weight` toward
// `stance` (NONE cues pull toward "no position", e.g. a bare denial).
struct CuePattern {
  nlpd::v1::Stance stance = nlpd::v1::STANCE_UNSPECIFIED;
  float weight = 0;
  // What the cue reports: "threat", "attack", "deployment", "appeal", ...
  // (free text; "attack", "deployment", "mobilization", "threat" and
  // "exercise" make escalation events).
  std::string kind;
  std::vector<PatternElement> elements;
  int line = 0;  // in the lexicon file, for messages
};

// A parsed lexicon. Immutable after Parse; safe to share between threads.
class Lexicon {
 public:
  // Parses the text of a cues file. Returns InvalidArgument naming the line
  // of the first malformed entry.
  static absl::StatusOr<Lexicon> Parse(std::string_view text);

  // True when `lowered_token` is in the word set `set` ("speech",
  // "negation", ...). Unknown sets are empty.
  bool InSet(std::string_view set, std::string_view lowered_token) const;

  // The entries of `set` that span several words ("according_to" as
  // {"according", "to"}).
  const std::vector<std::vector<std::string>>& Phrases(
      std::string_view set) const;

  const std::vector<CuePattern>& cues() const { return cues_; }
  // The cues by the words that can start them (indices into cues()).
  const CueIndex& cue_index() const { return cue_index_; }

 private:
  std::map<std::string, std::vector<WordMatcher>, std::less<>> word_sets_;
  std::map<std::string, std::vector<std::vector<std::string>>, std::less<>>
      phrase_sets_;
  std::vector<CuePattern> cues_;
  CueIndex cue_index_;  // built from cues_ at the end of Parse
};

// Lower-cases UTF-8 text (ICU full case mapping, root locale).
std::string Lowercase(std::string_view text);

}  // namespace nlpd::stance

#endif  // NLPD_PLUGINS_STANCE_LEXICON_H_
