#include "text/utf8.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace nlpd::text {
namespace {

absl::Status Invalid(size_t offset, std::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid UTF-8 at byte offset ", offset, ": ",
                   absl::string_view(reason.data(), reason.size())));
}

bool IsContinuation(uint8_t byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

absl::Status ValidateUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    // Fast path: skip 8 ASCII bytes at a time.
    if (i + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, bytes + i, sizeof(word));
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const uint8_t lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    if (IsContinuation(lead)) return Invalid(i, "unexpected continuation byte");
    size_t length;
    // Allowed range of the second byte (Unicode Table 3-7), which excludes
    // overlong forms, surrogates and code points above U+10FFFF.
    uint8_t second_min = 0x80;
    uint8_t second_max = 0xBF;
    if (lead < 0xC2) {
      return Invalid(i, "overlong encoding");  // C0, C1
    } else if (lead < 0xE0) {
      length = 2;
    } else if (lead < 0xF0) {
      length = 3;
      if (lead == 0xE0) second_min = 0xA0;  // Overlong below U+0800.
      if (lead == 0xED) second_max = 0x9F;  // Surrogates U+D800..U+DFFF.
    } else if (lead < 0xF5) {
      length = 4;
      if (lead == 0xF0) second_min = 0x90;  // Overlong below U+10000.
      if (lead == 0xF4) second_max = 0x8F;  // Above U+10FFFF.
    } else {
      return Invalid(i, "byte 0xF5..0xFF never appears in UTF-8");
    }
    if (i + 1 >= size || !IsContinuation(bytes[i + 1])) {
      return Invalid(i, "truncated sequence");
    }
    const uint8_t second = bytes[i + 1];
    if (second < second_min || second > second_max) {
      if (lead == 0xED) return Invalid(i, "encoded surrogate");
      if (lead == 0xF4) return Invalid(i, "code point above U+10FFFF");
      return Invalid(i, "overlong encoding");
    }
    for (size_t k = 2; k < length; ++k) {
      if (i + k >= size || !IsContinuation(bytes[i + k])) {
        return Invalid(i, "truncated sequence");
      }
    }
    i += length;
  }
  return absl::OkStatus();
}

}  // namespace nlpd::text
