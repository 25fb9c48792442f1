#include "text/utf16_text.h"

#include <cstddef>

namespace nlpd::text {
namespace {

bool IsLeadSurrogate(char16_t unit) { return (unit & 0xFC00) == 0xD800; }
bool IsTrailSurrogate(char16_t unit) { return (unit & 0xFC00) == 0xDC00; }

}  // namespace

Utf16Text::Utf16Text(std::string_view utf8) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  const size_t size = utf8.size();
  // UTF-16 never needs more units than UTF-8 has bytes; fill through raw
  // pointers and shrink once at the end.
  units_.resize(size);
  offsets_.resize(size + 1);
  char16_t* unit = units_.data();
  Offsets* offset = offsets_.data();
  uint32_t code_points = 0;
  size_t i = 0;
  while (i < size) {
    const uint8_t lead = bytes[i];
    const Offsets here{static_cast<uint32_t>(i), code_points++};
    if (lead < 0x80) {
      *unit++ = lead;
      *offset++ = here;
      ++i;
      continue;
    }
    char32_t cp;
    size_t length;
    if (lead < 0xE0) {
      cp = lead & 0x1F;
      length = 2;
    } else if (lead < 0xF0) {
      cp = lead & 0x0F;
      length = 3;
    } else {
      cp = lead & 0x07;
      length = 4;
    }
    if (i + length > size) length = size - i;  // Only on ill-formed input.
    for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (bytes[i + k] & 0x3F);
    if (cp < 0x10000) {
      *unit++ = static_cast<char16_t>(cp);
      *offset++ = here;
    } else {
      cp -= 0x10000;
      *unit++ = static_cast<char16_t>(0xD800 + (cp >> 10));
      *unit++ = static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
      *offset++ = here;
      *offset++ = here;
    }
    i += length;
  }
  *offset++ = {static_cast<uint32_t>(size), code_points};
  units_.resize(static_cast<size_t>(unit - units_.data()));
  offsets_.resize(static_cast<size_t>(offset - offsets_.data()));
}

char32_t Utf16Text::CodePointAt(uint32_t index) const {
  const char16_t unit = units_[index];
  if (IsLeadSurrogate(unit) && index + 1 < units_.size() &&
      IsTrailSurrogate(units_[index + 1])) {
    return 0x10000 + ((char32_t{unit} - 0xD800) << 10) +
           (units_[index + 1] - 0xDC00);
  }
  return unit;
}

char32_t Utf16Text::CodePointBefore(uint32_t index) const {
  const char16_t unit = units_[index - 1];
  if (IsTrailSurrogate(unit) && index >= 2 &&
      IsLeadSurrogate(units_[index - 2])) {
    return CodePointAt(index - 2);
  }
  return unit;
}

void Utf16Text::FillSpan(TextRange range, nlpd::v1::Span* span) const {
  span->set_byte_start(offsets_[range.begin].byte);
  span->set_byte_end(offsets_[range.end].byte);
  span->set_char_start(offsets_[range.begin].code_point);
  span->set_char_end(offsets_[range.end].code_point);
}

}  // namespace nlpd::text
