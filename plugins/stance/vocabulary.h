// The closed vocabulary of the stance lexicon files (lang/<tag>/*.txt and
// the extra files named in the plugin's config): the word sets the engine
// reads, the cue kinds, the stances and the options. The lexicon loader
// refuses any other name, so a misspelled set or kind is a load error
// naming its file and line instead of a set that silently matches nothing.
// docs/STANCE.md lists the same vocabulary for analysts.
#ifndef NLPD_PLUGINS_STANCE_VOCABULARY_H_
#define NLPD_PLUGINS_STANCE_VOCABULARY_H_

#include <span>
#include <string_view>

namespace nlpd::stance {

// One word set the engine reads.
struct SetInfo {
  std::string_view name;
  std::string_view meaning;  // one line, for docs and error messages
  // True when the set's entries are cue kinds (checked against KindInfo),
  // not words.
  bool holds_kinds = false;
};

// One cue kind: what a cue reports.
struct KindInfo {
  std::string_view name;
  std::string_view meaning;
  // The engine's treatment: kinds that become escalation events are
  // marked so in docs/STANCE.md; the engine decides it in code.
};

// One option of a language (`option <name>` in lang/<tag>/options.txt).
struct OptionInfo {
  std::string_view name;
  std::string_view meaning;
};

// The vocabulary, in documentation order. Static storage; thread-safe.
std::span<const SetInfo> KnownSets();
std::span<const KindInfo> KnownKinds();
std::span<const OptionInfo> KnownOptions();

// Lookups by name; nullptr when the name is not in the vocabulary.
const SetInfo* FindSet(std::string_view name);
const KindInfo* FindKind(std::string_view name);
const OptionInfo* FindOption(std::string_view name);

}  // namespace nlpd::stance

#endif  // NLPD_PLUGINS_STANCE_VOCABULARY_H_
