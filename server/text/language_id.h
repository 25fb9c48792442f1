#ifndef NLPD_SERVER_TEXT_LANGUAGE_ID_H_
#define NLPD_SERVER_TEXT_LANGUAGE_ID_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "nlpd/language.h"

namespace nlpd::text {

// One language CLD2 found in a text.
struct LanguageCandidate {
  // ISO 639-1 code where one exists ("de", "en"), otherwise CLD2's code
  // (ISO 639-2 or a regional form such as "zh-Hant"). Static storage.
  std::string_view code;
  // CLD2's share of the text in this language, 0-100.
  int percent = 0;
  // CLD2's normalized score of this language: its score per KiB of text.
  double score = 0;
};

// The language a text is most likely written in, and what CLD2 said about
// it: the inputs of the decision whether to trust it (IsConfident).
struct LanguageGuess {
  // CLD2's language (as LanguageCandidate::code); "und" if unknown. Static
  // storage.
  std::string_view code = "und";
  // In [0, 1]: CLD2's share of the text in `code`, halved when CLD2 does not
  // call the result reliable; 0 for "und".
  float confidence = 0;
  // CLD2's languages, most likely first; candidates[0] is `code`. A short
  // text usually has one: CLD2 ranks languages over chunks of text, and a
  // short text is one chunk.
  std::array<LanguageCandidate, 3> candidates{};
  int candidate_count = 0;
  // Bytes of letters CLD2 scored (its text_bytes): the length that matters.
  int text_bytes = 0;
  // CLD2's is_reliable.
  bool reliable = false;
  // IsConfident(text_bytes, reliable, score of `code`): when false, the
  // guess is wrong too often to be used as it is (see IsConfident).
  bool confident = false;
};

// Identifies the language of `utf8_text` (plain text, well-formed UTF-8)
// with CLD2. Only the first 64 KiB are examined, which is plenty for a
// decision and bounds the cost for large documents. Short or ambiguous text
// still yields CLD2's best guess, with confident false.
// Thread-safe (CLD2's tables are static and read-only); never fails.
LanguageGuess IdentifyLanguage(std::string_view utf8_text);

// The thresholds of IsConfident, chosen on the "tune" half of the
// evaluation set of training/langid (docs/OPERATIONS.md, "Language
// identification"): the lowest that keep the precision of confident
// guesses at 99 % or more for German and for English.
inline constexpr int kConfidentTextBytes = 60;
inline constexpr double kConfidentScoreIntercept = 2000;
inline constexpr double kConfidentScorePerByte = 30;

// True when CLD2's guess is to be trusted as it is: a text of at least
// kConfidentTextBytes bytes of letters (long texts: CLD2's answer is kept,
// as it always was), or a shorter one that CLD2 calls reliable and whose
// normalized score reaches kConfidentScoreIntercept - kConfidentScorePerByte
// * text_bytes (the shorter the text, the clearer CLD2's evidence must be).
// Pure.
constexpr bool IsConfident(int text_bytes, bool reliable, double score) {
  return text_bytes >= kConfidentTextBytes ||
         (reliable && score + kConfidentScorePerByte * text_bytes >=
                          kConfidentScoreIntercept);
}

// CLD2's normalized score of `language` (a language tag; its primary
// subtag is used) on `utf8_text`, with CLD2's prior boosted toward that
// language (its language hint), the same boost whatever the language: so
// the scores of several languages on one text compare how well each fits.
// nullopt when CLD2 does not know the language, or still prefers another
// one. For ranking the languages the requested analyses support when the
// unhinted guess is not among them (ChooseLanguage). Thread-safe.
std::optional<double> HintedLanguageScore(std::string_view utf8_text,
                                          std::string_view language);

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
