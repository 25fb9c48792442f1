#include "text/url_finder.h"

#include <algorithm>
#include <cstdint>

namespace nlpd::text {
namespace {

bool IsAsciiAlpha(char16_t c) {
  return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}
bool IsAsciiAlnum(char16_t c) {
  return IsAsciiAlpha(c) || (c >= u'0' && c <= u'9');
}
bool IsSchemeChar(char16_t c) {
  return IsAsciiAlnum(c) || c == u'+' || c == u'-' || c == u'.';
}

// Characters that cannot be part of a URL in running text.
bool StopsUrl(char16_t c) {
  switch (c) {
    case u' ':
    case u'\t':
    case u'\n':
    case u'\r':
    case u'\v':
    case u'\f':
    case u'<':
    case u'>':
    case u'"':
    case u'\u00A0':
    case u'\u2028':
    case u'\u2029':
    case u'\u3000':
    case u'\u201C':
    case u'\u201D':
    case u'\u201E':
    case u'\u00AB':
    case u'\u00BB':
    case u'\u2018':
    case u'\u2019':
    case u'\u201A':
      return true;
    default:
      return c < 0x20;
  }
}

// Punctuation a sentence may put directly after a URL.
bool IsTrailingPunctuation(char16_t c) {
  switch (c) {
    case u'.':
    case u',':
    case u':':
    case u';':
    case u'!':
    case u'?':
    case u'\'':
    case u')':
    case u']':
    case u'}':
      return true;
    default:
      return false;
  }
}

char16_t OpeningFor(char16_t closing) {
  switch (closing) {
    case u')':
      return u'(';
    case u']':
      return u'[';
    case u'}':
      return u'{';
    default:
      return 0;
  }
}

// Drops trailing punctuation from [begin, end); a closing bracket stays if
// the URL has more opening than closing ones of its kind.
uint32_t TrimEnd(std::u16string_view text, uint32_t begin, uint32_t end) {
  while (end > begin && IsTrailingPunctuation(text[end - 1])) {
    const char16_t opening = OpeningFor(text[end - 1]);
    if (opening != 0) {
      int balance = 0;
      for (uint32_t i = begin; i < end; ++i) {
        if (text[i] == opening) ++balance;
        if (text[i] == text[end - 1]) --balance;
      }
      if (balance >= 0) break;
    }
    --end;
  }
  return end;
}

// Start of the URL whose "://" is at `separator`, or `separator` if the
// characters before it are no scheme.
uint32_t SchemeStart(std::u16string_view text, uint32_t separator) {
  uint32_t begin = separator;
  while (begin > 0 && IsSchemeChar(text[begin - 1])) --begin;
  while (begin < separator && !IsAsciiAlpha(text[begin])) ++begin;
  return begin;
}

bool IsWwwAt(std::u16string_view text, size_t i) {
  return (text.substr(i, 4) == u"www." || text.substr(i, 4) == u"WWW.") &&
         (i == 0 || !IsSchemeChar(text[i - 1]));
}

}  // namespace

std::vector<TextRange> FindUrls(std::u16string_view text) {
  std::vector<TextRange> urls;
  const size_t size = text.size();
  // Candidates are found with find() (memchr speed); most texts have none.
  constexpr size_t kNone = std::u16string_view::npos;
  // Next "www." at a word start, at or after `from`.
  auto find_www = [text](size_t from) {
    size_t at = std::min(text.find(u"www.", from), text.find(u"WWW.", from));
    while (at != kNone && !IsWwwAt(text, at)) {
      at = std::min(text.find(u"www.", at + 1), text.find(u"WWW.", at + 1));
    }
    return at;
  };
  size_t next_scheme = text.find(u"://");
  size_t next_www = find_www(0);
  size_t i = 0;
  while (i < size) {
    if (next_scheme != kNone && next_scheme < i) {
      next_scheme = text.find(u"://", i);
    }
    if (next_www != kNone && next_www < i) next_www = find_www(i);
    uint32_t begin;
    uint32_t rest;
    if (next_scheme != kNone &&
        (next_www == kNone ||
         SchemeStart(text, static_cast<uint32_t>(next_scheme)) < next_www)) {
      rest = static_cast<uint32_t>(next_scheme + 3);
      begin = SchemeStart(text, static_cast<uint32_t>(next_scheme));
      if (begin == next_scheme || begin < i) {  // No scheme, or overlaps.
        i = rest;
        continue;
      }
    } else if (next_www != kNone) {
      begin = static_cast<uint32_t>(next_www);
      rest = begin + 4;
    } else {
      break;
    }
    uint32_t end = rest;
    while (end < size && !StopsUrl(text[end])) ++end;
    end = TrimEnd(text, rest, end);
    if (end > rest) urls.push_back({begin, end});
    i = std::max(end, rest);
  }
  return urls;
}

}  // namespace nlpd::text
