#ifndef NLPD_TESTS_FUZZ_UTF8_ORACLE_H_
#define NLPD_TESTS_FUZZ_UTF8_ORACLE_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace nlpd::fuzz {

// A strict UTF-8 decoder (RFC 3629) written apart from server/text/utf8.cc,
// so the fuzzers check the server against an independent oracle. Returns
// false on any ill-formed input. When given, cps gets the code points and
// byte_of[i] the byte offset of code point i, with byte_of[n] = size.
inline bool DecodeUtf8(std::string_view s, std::vector<char32_t>* cps,
                       std::vector<uint32_t>* byte_of) {
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    int n;
    char32_t c, min;
    if (b < 0x80) {
      n = 1;
      c = b;
      min = 0;
    } else if ((b & 0xE0) == 0xC0) {
      n = 2;
      c = b & 0x1F;
      min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
      n = 3;
      c = b & 0x0F;
      min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
      n = 4;
      c = b & 0x07;
      min = 0x10000;
    } else
      return false;
    if (i + n > s.size()) return false;
    for (int k = 1; k < n; ++k) {
      const auto cb = static_cast<unsigned char>(s[i + k]);
      if ((cb & 0xC0) != 0x80) return false;
      c = (c << 6) | (cb & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
    if (cps != nullptr) cps->push_back(c);
    if (byte_of != nullptr) byte_of->push_back(static_cast<uint32_t>(i));
    i += n;
  }
  if (byte_of != nullptr) byte_of->push_back(static_cast<uint32_t>(s.size()));
  return true;
}

}  // namespace nlpd::fuzz

#endif  // NLPD_TESTS_FUZZ_UTF8_ORACLE_H_
