#ifndef NLPD_SERVER_TEXT_UTF16_TEXT_H_
#define NLPD_SERVER_TEXT_UTF16_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nlpd/v1/document.pb.h"
#include "text/text_range.h"

namespace nlpd::text {

// A UTF-8 text decoded to UTF-16 (what ICU iterates over), together with a
// table that maps every UTF-16 index to the UTF-8 byte offset and the
// code-point offset of the same position. Built in one linear pass, so
// converting any number of ranges afterwards costs O(1) each.
//
// Immutable after construction; const methods are safe to call from
// several threads. Does not keep a reference to the UTF-8 input.
class Utf16Text {
 public:
  // Decodes `utf8`, which must be well-formed UTF-8 (see ValidateUtf8) and
  // shorter than 4 GiB; ill-formed input gives unspecified (but memory-safe)
  // results.
  explicit Utf16Text(std::string_view utf8);

  Utf16Text(const Utf16Text&) = delete;
  Utf16Text& operator=(const Utf16Text&) = delete;
  Utf16Text(Utf16Text&&) = default;
  Utf16Text& operator=(Utf16Text&&) = default;

  std::u16string_view units() const { return units_; }
  uint32_t size() const { return static_cast<uint32_t>(units_.size()); }

  // The code point starting at UTF-16 index `index` (< size()); a lone
  // surrogate half is returned as is.
  char32_t CodePointAt(uint32_t index) const;
  // The code point ending just before UTF-16 index `index` (> 0).
  char32_t CodePointBefore(uint32_t index) const;

  // Offsets of UTF-16 index `index` (<= size()). For an index inside a
  // surrogate pair these are the offsets of the pair's start.
  uint32_t ByteOffset(uint32_t index) const { return offsets_[index].byte; }
  uint32_t CharOffset(uint32_t index) const {
    return offsets_[index].code_point;
  }

  // Writes `range` (UTF-16 indices) into `span` as byte and code-point
  // offsets.
  void FillSpan(TextRange range, nlpd::v1::Span* span) const;

 private:
  struct Offsets {
    uint32_t byte;
    uint32_t code_point;
  };

  std::u16string units_;
  std::vector<Offsets> offsets_;  // size() + 1 entries.
};

}  // namespace nlpd::text

#endif  // NLPD_SERVER_TEXT_UTF16_TEXT_H_
