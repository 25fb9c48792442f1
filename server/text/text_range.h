#ifndef NLPD_SERVER_TEXT_TEXT_RANGE_H_
#define NLPD_SERVER_TEXT_TEXT_RANGE_H_

#include <cstdint>

namespace nlpd::text {

// A half-open range [begin, end) of UTF-16 code unit indices into the text
// the pipeline's ICU iterators run over. Internal currency of nlpd_text;
// Document spans are produced from it by Utf16Text::FillSpan.
struct TextRange {
  uint32_t begin = 0;
  uint32_t end = 0;

  bool Contains(uint32_t index) const { return begin <= index && index < end; }
  friend bool operator==(const TextRange&, const TextRange&) = default;
};

}  // namespace nlpd::text

#endif  // NLPD_SERVER_TEXT_TEXT_RANGE_H_
