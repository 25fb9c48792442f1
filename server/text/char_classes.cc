#include "text/char_classes.h"

#include <unicode/uchar.h>

namespace nlpd::text {
namespace {

bool IsAsciiQuote(char32_t c) { return c == U'"' || c == U'\''; }

}  // namespace

bool IsWhitespace(char32_t c) {
  if (c < 0x80) return c == U' ' || (c >= U'\t' && c <= U'\r');
  return u_isUWhiteSpace(static_cast<UChar32>(c));
}

bool IsLineBreak(char32_t c) {
  return (c >= U'\n' && c <= U'\r') || c == 0x85 || c == 0x2028 || c == 0x2029;
}

bool IsWordChar(char32_t c) {
  if (c < 0x80) {
    return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') ||
           (c >= U'0' && c <= U'9');
  }
  const auto mask = U_GET_GC_MASK(static_cast<UChar32>(c));
  return (mask & (U_GC_L_MASK | U_GC_M_MASK | U_GC_ND_MASK)) != 0;
}

bool IsClosingPunctuation(char32_t c) {
  if (IsAsciiQuote(c) || c == U'“' || c == U'‘') return true;
  const auto mask = U_GET_GC_MASK(static_cast<UChar32>(c));
  return (mask & (U_GC_PE_MASK | U_GC_PF_MASK)) != 0;
}

bool IsOpeningPunctuation(char32_t c) {
  if (IsAsciiQuote(c) || c == U'„' || c == U'‚') return true;
  const auto mask = U_GET_GC_MASK(static_cast<UChar32>(c));
  return (mask & (U_GC_PS_MASK | U_GC_PI_MASK)) != 0;
}

}  // namespace nlpd::text
