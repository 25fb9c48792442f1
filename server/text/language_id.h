#ifndef NLPD_SERVER_TEXT_LANGUAGE_ID_H_
#define NLPD_SERVER_TEXT_LANGUAGE_ID_H_

#include <string>
#include <string_view>

#include "nlpd/language.h"

namespace nlpd::text {

// The language a text is most likely written in.
struct LanguageGuess {
  // ISO 639-1 code where one exists ("de", "en"), otherwise CLD2's code
  // (ISO 639-2 or a regional form such as "zh-Hant"); "und" if unknown.
  std::string code;
  // In [0, 1]: CLD2's share of the text in `code`, halved when CLD2 does not
  // call the result reliable (short or mixed text); 0 for "und".
  float confidence = 0;
};

// Identifies the language of `utf8_text` (plain text, well-formed UTF-8)
// with CLD2. Only the first 64 KiB are examined, which is plenty for a
// decision and bounds the cost for large documents. Short or ambiguous text
// still yields CLD2's best guess, with a low confidence.
// Thread-safe (CLD2's tables are static and read-only); never fails.
LanguageGuess IdentifyLanguage(std::string_view utf8_text);

// True when `tag` has the shape of a BCP-47 language tag: a primary subtag
// of 2-3 ASCII letters, then subtags of 1-8 ASCII letters or digits joined
// by '-' or '_' ("de", "en-GB", "zh-Hant", "de_AT"). Pure; thread-safe.
bool IsLanguageTag(std::string_view tag);

// The canonical form of `tag`, a tag IsLanguageTag accepts, following the
// case conventions of BCP-47 (RFC 5646 section 2.1.1): '_' becomes '-'; the
// primary language subtag is lower case; before any singleton subtag ("x",
// "u", ...), a 4-letter subtag is a script in title case ("Hant") and a
// 2-letter or 3-digit subtag a region in upper case ("DE", "419"); every
// other subtag, and all after a singleton, lower case. So "DE" -> "de",
// "de_DE" -> "de-DE", "EN-gb" -> "en-GB", "zh_hant_tw" -> "zh-Hant-TW".
// The result has the length of `tag`, is itself a language tag, and is its
// own canonical form. Case only: no alias mapping ("iw" stays "iw").
// Undefined for a `tag` IsLanguageTag rejects. Pure; thread-safe.
std::string CanonicalLanguageTag(std::string_view tag);

// The primary language subtag of `tag` ("de" for "de-AT"): the SDK's rule,
// so the server and plugins agree.
using sdk::PrimarySubtag;

}  // namespace nlpd::text

#endif  // NLPD_SERVER_TEXT_LANGUAGE_ID_H_
