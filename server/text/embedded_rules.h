#ifndef NLPD_SERVER_TEXT_EMBEDDED_RULES_H_
#define NLPD_SERVER_TEXT_EMBEDDED_RULES_H_

#include <span>
#include <string_view>

namespace nlpd::text {

// One per-language sentence rule file compiled into the library.
struct EmbeddedRulesFile {
  std::string_view language;   // Primary language subtag, e.g. "de".
  std::string_view file_name;  // e.g. "sentence_rules_de.txt", for errors.
  std::string_view contents;   // The file's bytes (UTF-8).
};

// Returns the rule files listed in NLPD_TEXT_RULE_LANGUAGES
// (server/text/CMakeLists.txt). The data is static and immutable; safe to
// call from any thread. Defined in the generated embedded_sentence_rules.cc.
std::span<const EmbeddedRulesFile> EmbeddedSentenceRules();

}  // namespace nlpd::text

#endif  // NLPD_SERVER_TEXT_EMBEDDED_RULES_H_
