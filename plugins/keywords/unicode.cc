#include "unicode.h"

#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace nlpd::keywords {
namespace {

std::vector<UChar32> CodePoints(std::string_view text) {
  std::vector<UChar32> code_points;
  code_points.reserve(text.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    code_points.push_back(c < 0 ? 0xFFFD : c);
  }
  return code_points;
}

}  // namespace

std::string FoldCase(std::string_view text) {
  std::string folded;
  icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())))
      .foldCase()
      .toUTF8String(folded);
  return folded;
}

WordCase CaseOf(std::string_view word) {
  int letters = 0;
  int upper = 0;
  bool first_letter_upper = false;
  for (const UChar32 c : CodePoints(word)) {
    if (!u_isalpha(c)) continue;
    const bool is_upper = u_isupper(c) || u_istitle(c);
    if (letters == 0) first_letter_upper = is_upper;
    ++letters;
    if (is_upper) ++upper;
  }
  if (letters >= 2 && upper == letters) return WordCase::kAcronym;
  if (first_letter_upper) return WordCase::kCapitalized;
  return WordCase::kOther;
}

double Similarity(std::string_view a, std::string_view b) {
  const std::vector<UChar32> x = CodePoints(a);
  const std::vector<UChar32> y = CodePoints(b);
  if (x.empty() && y.empty()) return 1.0;
  // Longest common subsequence, one row at a time.
  std::vector<int> previous(y.size() + 1, 0);
  std::vector<int> current(y.size() + 1, 0);
  for (const UChar32 cx : x) {
    for (size_t j = 0; j < y.size(); ++j) {
      current[j + 1] =
          cx == y[j] ? previous[j] + 1 : std::max(previous[j + 1], current[j]);
    }
    std::swap(previous, current);
  }
  return 2.0 * previous[y.size()] / static_cast<double>(x.size() + y.size());
}

}  // namespace nlpd::keywords
