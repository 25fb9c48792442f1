#ifndef NLPD_SERVER_TEXT_LANGUAGE_RULES_H_
#define NLPD_SERVER_TEXT_LANGUAGE_RULES_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"

namespace nlpd::text {

// Hash and equality for UTF-16 string keys with heterogeneous
// (std::u16string_view) lookup, so probing never allocates.
struct U16StringHash {
  using is_transparent = void;
  size_t operator()(std::u16string_view s) const;
};
struct U16StringEq {
  using is_transparent = void;
  bool operator()(std::u16string_view a, std::u16string_view b) const {
    return a == b;
  }
};
using U16StringSet =
    absl::flat_hash_set<std::u16string, U16StringHash, U16StringEq>;

// What an abbreviation's final period may mean.
enum class AbbreviationKind {
  kNone,               // Not an abbreviation.
  kNeverEndsSentence,  // "Dr.", "z. B.": never a sentence end.
  kMayEndSentence,     // "usw.", "v. Chr.": a sentence end if a sentence
                       // starter ("Die", "The") follows.
};

// The sentence rules of one language, parsed from a rules file
// (server/text/data/sentence_rules_<lang>.txt; the format is documented at
// the top of sentence_rules_de.txt). All strings are UTF-16 because the
// rules run over the same UTF-16 text as ICU.
//
// Immutable after Parse; safe to share between threads.
class LanguageRules {
 public:
  // Rules with empty lists and no options: only the language-independent
  // rules apply (single-letter initials).
  LanguageRules() = default;

  // Parses a rules file. Returns InvalidArgument naming `file_name` and the
  // line for ill-formed UTF-8, an entry outside a section, an unknown
  // section or option, or an abbreviation listed in two sections.
  static absl::StatusOr<LanguageRules> Parse(std::string_view file_name,
                                             std::string_view contents);

  // Whether "<number>." can be an ordinal ("am 21. Oktober").
  bool ordinal_numbers() const { return ordinal_numbers_; }

  // Looks up `text`, an abbreviation with its final period whose parts are
  // separated by single spaces ("z. B.", "Dr.", "U.S.").
  AbbreviationKind FindAbbreviation(std::u16string_view text) const;

  // The largest number of space-separated parts of any abbreviation
  // ("u. a. m." has 3); at least 1.
  size_t max_abbreviation_parts() const { return max_abbreviation_parts_; }

  bool IsMonth(std::u16string_view word) const {
    return months_.contains(word);
  }
  bool IsSentenceStarter(std::u16string_view word) const {
    return sentence_starters_.contains(word);
  }

 private:
  bool ordinal_numbers_ = false;
  size_t max_abbreviation_parts_ = 1;
  absl::flat_hash_map<std::u16string, AbbreviationKind, U16StringHash,
                      U16StringEq>
      abbreviations_;
  U16StringSet months_;
  U16StringSet sentence_starters_;
};

// The rules of every language compiled into the library
// (NLPD_TEXT_RULE_LANGUAGES in server/text/CMakeLists.txt).
// Immutable after Load; safe to share between threads.
class LanguageRuleSet {
 public:
  // Parses all embedded rule files; fails like LanguageRules::Parse (a
  // broken data file is a build defect and should stop the server early).
  static absl::StatusOr<LanguageRuleSet> LoadEmbedded();

  // The rules for a BCP-47 tag, chosen by its primary subtag,
  // case-insensitively ("de-AT" and "DE" use the "de" rules). Languages
  // without a rules file get the generic, empty rules. The reference stays
  // valid as long as this object.
  const LanguageRules& ForLanguage(std::string_view language_tag) const;

  bool HasLanguage(std::string_view language) const {
    return by_language_.contains(
        absl::string_view(language.data(), language.size()));
  }

 private:
  absl::flat_hash_map<std::string, LanguageRules> by_language_;
  LanguageRules generic_;
};

}  // namespace nlpd::text

#endif  // NLPD_SERVER_TEXT_LANGUAGE_RULES_H_
