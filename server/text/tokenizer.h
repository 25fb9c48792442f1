#ifndef NLPD_SERVER_TEXT_TOKENIZER_H_
#define NLPD_SERVER_TEXT_TOKENIZER_H_

#include <unicode/uversion.h>

#include <memory>
#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "nlpd/v1/document.pb.h"
#include "text/period_classifier.h"
#include "text/text_range.h"
#include "text/utf16_text.h"

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace nlpd::text {

struct TokenRange {
  TextRange range;  // UTF-16 indices.
  nlpd::v1::TokenKind kind;
};

// Splits text into tokens with ICU's word break iterator (UAX #29, root
// locale), then:
//  - drops segments of white space, control and format characters;
//  - sets the kind from ICU's rule status: number -> NUMBER, letter ->
//    WORD, kana/ideographic -> IDEOGRAPHIC; status "none" (punctuation and
//    symbols) -> PUNCTUATION, except emoji -> OTHER;
//  - joins hyphenated compounds written without spaces into one WORD:
//    "Hong-kyun", "NATO-Generalsekretär", "E-Mail", "10-jährige" (ICU
//    splits at "-"). Number ranges ("1990-2000") and suspended hyphens
//    ("Ein- und Ausreise") stay separate tokens;
//  - joins a period to the word before it when ClassifyPeriods says it
//    belongs to the word: "Dr.", "z.B.", "U.S.", "D." (initial) and German
//    ordinals "21." (kind NUMBER) are one token each; "z. B." is two tokens
//    "z." and "B."; a sentence's full stop is its own token;
//  - makes each URL (FindUrls) one token of kind OTHER.
// Grouped and decimal numbers ("10.000", "3,5") are one NUMBER token (ICU);
// quotation marks („ “ " ') are separate PUNCTUATION tokens.
//
// Thread-safe: Tokenize clones the ICU iterator prototype per call.
class Tokenizer {
 public:
  // Builds the ICU iterator once. Internal if ICU's break data is missing.
  static absl::StatusOr<Tokenizer> Create();

  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

  // Returns the tokens of `text` in order, non-overlapping, never empty and
  // never containing white space only. `periods` must come from
  // ClassifyPeriods(text, ...), `urls` from FindUrls(text.units()).
  std::vector<TokenRange> Tokenize(const Utf16Text& text,
                                   std::span<const ClassifiedPeriod> periods,
                                   std::span<const TextRange> urls) const;

 private:
  explicit Tokenizer(std::unique_ptr<icu::BreakIterator> prototype);

  std::unique_ptr<icu::BreakIterator> prototype_;
};

}  // namespace nlpd::text

#endif  // NLPD_SERVER_TEXT_TOKENIZER_H_
