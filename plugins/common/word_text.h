// UTF-8 word helpers shared by the built-in plugins' models (the entities
// tagger, the sentiment features, the stance rules), so that every model
// decodes, slices and lower-cases words the same way. Pure functions over
// UTF-8 views; thread-safe.
#ifndef NLPD_PLUGINS_COMMON_WORD_TEXT_H_
#define NLPD_PLUGINS_COMMON_WORD_TEXT_H_

#include <unicode/umachine.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace nlpd::word_text {

// Decodes the code point at text[i] and advances i past it; an ill-formed
// sequence yields U+FFFD (and i still advances).
UChar32 NextCodePoint(std::string_view text, size_t& i);

// Appends `c` to `out` as UTF-8. `c` must be a valid code point.
void AppendCodePoint(std::string& out, UChar32 c);

// The number of code points of `text`.
int CountCodePoints(std::string_view text);

// The first / last `count` code points of `word` (all of it if shorter), as
// a view into it.
std::string_view PrefixCodePoints(std::string_view word, int count);
std::string_view SuffixCodePoints(std::string_view word, int count);

// `word` lower-cased code point by code point (u_tolower; ASCII without
// ICU calls): "ÖSTERREICH" -> "österreich", "Straße" -> "straße".
std::string LowerCase(std::string_view word);

// Whether the first code point is upper / lower case; false for "".
bool StartsUpper(std::string_view word);
bool StartsLower(std::string_view word);

}  // namespace nlpd::word_text

#endif  // NLPD_PLUGINS_COMMON_WORD_TEXT_H_
