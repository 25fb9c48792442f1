// Unicode helpers on UTF-8 text for the keywords plugin, on top of ICU.
// Pure functions; safe to call from any thread.
#ifndef NLPD_PLUGINS_KEYWORDS_UNICODE_H_
#define NLPD_PLUGINS_KEYWORDS_UNICODE_H_

#include <string>
#include <string_view>

namespace nlpd::keywords {

// Returns `text` with Unicode full case folding applied, the form in which
// the plugin compares words: "Zinsen" and "ZINSEN" fold to "zinsen",
// "Straße" to "strasse". Ill-formed UTF-8 becomes U+FFFD.
std::string FoldCase(std::string_view text);

// How a word is written, as far as a key-phrase scorer cares.
enum class WordCase {
  // At least two letters, all upper case: "EZB", "NATO", "COVID-19".
  kAcronym,
  // The first letter is upper or title case: "Bundestag", "Powell".
  kCapitalized,
  // Anything else: "rates", "iPhone", "123".
  kOther,
};

// Classifies the UTF-8 `word`.
WordCase CaseOf(std::string_view word);

// Similarity of the UTF-8 strings `a` and `b` in [0, 1]: 2 * LCS / (|a| +
// |b|), LCS being the longest common subsequence of code points; 1 when
// both are empty. Takes O(|a| * |b|) time.
double Similarity(std::string_view a, std::string_view b);

}  // namespace nlpd::keywords

#endif  // NLPD_PLUGINS_KEYWORDS_UNICODE_H_
