#ifndef NLPD_SERVER_TEXT_PERIOD_CLASSIFIER_H_
#define NLPD_SERVER_TEXT_PERIOD_CLASSIFIER_H_

#include <cstdint>
#include <vector>

#include "text/language_rules.h"
#include "text/utf16_text.h"

namespace nlpd::text {

// What a "." after a word or number is.
enum class PeriodRole {
  kSentenceEnd,                 // Full stop; a separate token.
  kAbbreviation,                // "Dr.", "z." in "z. B.": part of the word,
                                // never a sentence end.
  kAbbreviationEndingSentence,  // "usw." before "Die": part of the word and
                                // the end of the sentence.
  kOrdinal,                     // "21." in "am 21. Oktober" (German).
  kInitial,                     // "D." in "Franklin D. Roosevelt".
};

// True for the roles whose period belongs to the preceding word token.
inline bool PeriodJoinsWord(PeriodRole role) {
  return role != PeriodRole::kSentenceEnd;
}
// True for the roles whose period can end a sentence.
inline bool PeriodEndsSentence(PeriodRole role) {
  return role == PeriodRole::kSentenceEnd ||
         role == PeriodRole::kAbbreviationEndingSentence;
}

struct ClassifiedPeriod {
  uint32_t index;  // UTF-16 index of the "." in the text.
  PeriodRole role;
};

// Finds every "." (U+002E) that directly follows a letter or digit and is
// not followed by one (so "z.B" and "10.000" inside a word are skipped) and
// classifies it with `rules`, in this order:
//  1. Abbreviations from the rules file, including multi-part ones
//     ("z. B.", "v. Chr."); a lowercase entry also matches capitalized.
//  2. A single letter ("D.") is an initial, unless a sentence starter
//     ("Die", "The"), a line break, closing punctuation or the end follows.
//  3. If the language has ordinal numbers: a number of up to 3 digits is an
//     ordinal when followed by a lowercase word, a month (up to 2 digits),
//     another number (up to 2 digits: "21. 10. 2024") or a capitalized word
//     that is not a sentence starter ("3. Liga", "der 2. Weltkrieg"). A
//     4-digit number before a capitalized word is a year ending the
//     sentence ("im Jahr 2024. Die Regierung").
//  4. Everything else ends a sentence.
// A period followed by a line break is never an ordinal or initial. Returns
// the periods in text order. Pure function; thread-safe. O(text size).
std::vector<ClassifiedPeriod> ClassifyPeriods(const Utf16Text& text,
                                              const LanguageRules& rules);

}  // namespace nlpd::text

#endif  // NLPD_SERVER_TEXT_PERIOD_CLASSIFIER_H_
