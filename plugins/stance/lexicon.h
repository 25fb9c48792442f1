// A stance cue lexicon for one language, loaded from the files of its
// folder (lang/<tag>/*.txt) and the extra files the plugin's config names
// (`cues <language> <path>`). The format is documented in docs/STANCE.md;
// the names it may use form the closed vocabulary in vocabulary.h. Holds
// the word sets the attribution uses (verbs of speech, source markers,
// pronouns, ...) and the weighted cue patterns that carry a stance.
#ifndef NLPD_PLUGINS_STANCE_LEXICON_H_
#define NLPD_PLUGINS_STANCE_LEXICON_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
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
  // The cue's name: its pattern as written, fields joined by one space
  // ("drohte|*drohung ... an"). Unique in a lexicon; `disable <name>`
  // removes the cue.
  std::string name;
  std::string file;  // the lexicon file and line, for messages
  int line = 0;
};

// An example sentence from a lexicon file (`example <sentence>`): it must
// fire one of the cues written since the previous example line of its file
// (the cue group it follows). Checked by tests, not at load.
struct CueExample {
  std::string text;
  std::string file;
  int line = 0;
  std::vector<std::string> cue_names;  // the group's cues (CuePattern::name)
};

// One lexicon file: the name messages use ("lang/de/cues.txt" or the path
// the config gave) and its text.
struct LexiconFile {
  std::string name;
  std::string_view text;
};

// A parsed lexicon. Immutable after Parse; safe to share between threads.
class Lexicon {
 public:
  // Parses `files` in order into one lexicon: each adds word-set entries
  // and cues, and `disable <cue name>` removes a cue an earlier file (or
  // line) added. Returns InvalidArgument "<file> line <n>: <what>" for the
  // first mistake: a malformed line, an unknown directive, word set, cue
  // kind, stance or option (vocabulary.h), a pattern word that can never
  // match a token, a duplicate cue, or a `disable` that names no cue. The
  // texts need only live for the call.
  static absl::StatusOr<Lexicon> Load(std::span<const LexiconFile> files);

  // Load() of one file named "lexicon".
  static absl::StatusOr<Lexicon> Parse(std::string_view text);

  // True when `lowered_token` is in the word set `set` ("speech",
  // "negation", ...; a name from KnownSets()). A set the lexicon does not
  // fill is empty.
  bool InSet(std::string_view set, std::string_view lowered_token) const;

  // The entries of `set` that span several words ("according_to" as
  // {"according", "to"}).
  const std::vector<std::vector<std::string>>& Phrases(
      std::string_view set) const;

  const std::vector<CuePattern>& cues() const { return cues_; }
  // The example sentences, in file order.
  const std::vector<CueExample>& examples() const { return examples_; }
  // The cues by the words that can start them (indices into cues()).
  const CueIndex& cue_index() const { return cue_index_; }

 private:
  // Hash maps: InSet runs for most tokens of every sentence, and a set a
  // language leaves out is looked up as often as one it fills.
  absl::flat_hash_map<std::string, std::vector<WordMatcher>> word_sets_;
  absl::flat_hash_map<std::string, std::vector<std::vector<std::string>>>
      phrase_sets_;
  std::vector<CuePattern> cues_;
  std::vector<CueExample> examples_;
  CueIndex cue_index_;  // built from cues_ at the end of Load

  friend class LexiconLoader;
};

// Lower-cases UTF-8 text (ICU full case mapping, root locale).
std::string Lowercase(std::string_view text);

}  // namespace nlpd::stance

#endif  // NLPD_PLUGINS_STANCE_LEXICON_H_
