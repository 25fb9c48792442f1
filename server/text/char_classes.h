#ifndef NLPD_SERVER_TEXT_CHAR_CLASSES_H_
#define NLPD_SERVER_TEXT_CHAR_CLASSES_H_

namespace nlpd::text {

// Character classes the sentence and token rules are written in. All take
// a Unicode code point and are pure, thread-safe ICU property lookups.

// Any Unicode white space (White_Space property), including line breaks.
bool IsWhitespace(char32_t c);

// A character that ends a line: LF, VT, FF, CR, NEL, LS, PS.
bool IsLineBreak(char32_t c);

// A letter, combining mark or decimal digit: what words and numbers are
// made of.
bool IsWordChar(char32_t c);

// Closing punctuation that may follow a sentence's final period: closing
// brackets and quotation marks (general categories Pe and Pf, plus the
// ambiguous ASCII quotes and the German closing “ ‘).
bool IsClosingPunctuation(char32_t c);

// Opening punctuation that may precede a sentence's first word: opening
// brackets and quotation marks (Ps, Pi, ASCII quotes, German „ ‚).
bool IsOpeningPunctuation(char32_t c);

}  // namespace nlpd::text

#endif  // NLPD_SERVER_TEXT_CHAR_CLASSES_H_
