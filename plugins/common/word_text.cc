#include "common/word_text.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstdint>

namespace nlpd::word_text {

UChar32 NextCodePoint(std::string_view text, size_t& i) {
  auto offset = static_cast<int32_t>(i);
  UChar32 c;
  U8_NEXT(text.data(), offset, static_cast<int32_t>(text.size()), c);
  i = static_cast<size_t>(offset);
  return c < 0 ? 0xFFFD : c;
}

void AppendCodePoint(std::string& out, UChar32 c) {
  char bytes[U8_MAX_LENGTH];
  int32_t length = 0;
  U8_APPEND_UNSAFE(bytes, length, c);
  out.append(bytes, static_cast<size_t>(length));
}

int CountCodePoints(std::string_view text) {
  int count = 0;
  for (size_t i = 0; i < text.size(); ++count) NextCodePoint(text, i);
  return count;
}

std::string_view PrefixCodePoints(std::string_view word, int count) {
  size_t i = 0;
  for (int n = 0; n < count && i < word.size(); ++n) NextCodePoint(word, i);
  return word.substr(0, i);
}

std::string_view SuffixCodePoints(std::string_view word, int count) {
  size_t i = word.size();
  for (int n = 0; n < count && i > 0; ++n) {
    --i;
    while (i > 0 && (static_cast<uint8_t>(word[i]) & 0xC0) == 0x80) --i;
  }
  return word.substr(i);
}

std::string LowerCase(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  for (size_t i = 0; i < word.size();) {
    const auto byte = static_cast<uint8_t>(word[i]);
    if (byte < 0x80) {
      out += static_cast<char>(byte >= 'A' && byte <= 'Z' ? byte + 32 : byte);
      ++i;
    } else {
      AppendCodePoint(out, u_tolower(NextCodePoint(word, i)));
    }
  }
  return out;
}

bool StartsUpper(std::string_view word) {
  if (word.empty()) return false;
  size_t i = 0;
  return u_isupper(NextCodePoint(word, i));
}

bool StartsLower(std::string_view word) {
  if (word.empty()) return false;
  size_t i = 0;
  return u_islower(NextCodePoint(word, i));
}

}  // namespace nlpd::word_text
