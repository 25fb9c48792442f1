#ifndef NLPD_SERVER_TEXT_SENTENCE_SPLITTER_H_
#define NLPD_SERVER_TEXT_SENTENCE_SPLITTER_H_

#include <unicode/uversion.h>

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "absl/status/statusor.h"
#include "text/period_classifier.h"
#include "text/text_range.h"
#include "text/utf16_text.h"

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace nlpd::text {

// Splits text into sentences: ICU's sentence break iterator (UAX #29, root
// locale), minus the breaks that follow a period classified as part of a
// word (abbreviation, ordinal, initial; see ClassifyPeriods) and the breaks
// inside URLs.
//
// Line breaks end a sentence (UAX #29 rule SB4): news text puts headlines,
// datelines and paragraphs on lines of their own, so a headline without a
// final period stays a sentence of its own. The exception is hard-wrapped
// text: a single line break after a line that does not end in . ! ? : or a
// closing quote, followed by a line starting with a lowercase letter, is
// inside a sentence. A wrapped line that starts with a capital ("on\nMonday")
// still ends the sentence; unwrap such text before sending it.
//
// Thread-safe: Split clones the ICU iterator prototype per call (a clone
// costs well under a microsecond; see text_pipeline.cc).
class SentenceSplitter {
 public:
  // Builds the ICU iterator once. Internal if ICU's break data is missing.
  static absl::StatusOr<SentenceSplitter> Create();

  SentenceSplitter(SentenceSplitter&&) noexcept;
  SentenceSplitter& operator=(SentenceSplitter&&) noexcept;
  ~SentenceSplitter();

  // Returns the sentence boundaries of `text` as increasing UTF-16 indices,
  // starting with 0 and ending with text.size() (so N+1 values for N
  // sentences). A sentence may consist of white space only. `periods` must
  // come from ClassifyPeriods(text, ...) and `urls` from FindUrls(text).
  std::vector<uint32_t> Split(const Utf16Text& text,
                              std::span<const ClassifiedPeriod> periods,
                              std::span<const TextRange> urls) const;

 private:
  explicit SentenceSplitter(std::unique_ptr<icu::BreakIterator> prototype);

  std::unique_ptr<icu::BreakIterator> prototype_;
};

}  // namespace nlpd::text

#endif  // NLPD_SERVER_TEXT_SENTENCE_SPLITTER_H_
