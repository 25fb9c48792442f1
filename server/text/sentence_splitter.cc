#include "text/sentence_splitter.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "text/break_iteration.h"
#include "text/char_classes.h"

namespace nlpd::text {
namespace {

// Whether ICU's break at `boundary` follows a period that belongs to a word.
// Looks back over white space (a line break keeps the break) and closing
// punctuation to the last character of the sentence.
bool FollowsWordPeriod(const Utf16Text& text, uint32_t boundary,
                       std::span<const ClassifiedPeriod> periods) {
  const std::u16string_view units = text.units();
  uint32_t i = boundary;
  while (i > 0) {
    const char32_t c = text.CodePointBefore(i);
    if (IsLineBreak(c)) return false;
    if (!IsWhitespace(c) && !IsClosingPunctuation(c)) break;
    i -= c > 0xFFFF ? 2 : 1;
  }
  if (i == 0 || units[i - 1] != u'.') return false;
  const uint32_t period = i - 1;
  const auto it =
      std::lower_bound(periods.begin(), periods.end(), period,
                       [](const ClassifiedPeriod& p, uint32_t index) {
                         return p.index < index;
                       });
  return it != periods.end() && it->index == period &&
         !PeriodEndsSentence(it->role);
}

// Whether ICU's break at `boundary` is a line break inside a sentence, as in
// hard-wrapped text: exactly one line break, the line before it not ending
// in sentence punctuation, and the next line starting with a lowercase
// letter (sentences in German and English do not).
bool IsWrappedLine(const Utf16Text& text, uint32_t boundary) {
  uint32_t i = boundary;
  int line_breaks = 0;
  while (i > 0) {
    const char32_t c = text.CodePointBefore(i);
    if (!IsWhitespace(c)) break;
    // "\r\n" is one line break; count its "\n".
    if (IsLineBreak(c) && c != u'\r') ++line_breaks;
    i -= c > 0xFFFF ? 2 : 1;
  }
  if (line_breaks != 1 || i == 0) return false;
  const char32_t last = text.CodePointBefore(i);
  if (last == u'.' || last == u'!' || last == u'?' || last == u':' ||
      IsClosingPunctuation(last)) {
    return false;
  }
  uint32_t j = boundary;
  while (j < text.size() && IsWhitespace(text.CodePointAt(j))) {
    j += text.CodePointAt(j) > 0xFFFF ? 2 : 1;
  }
  return j < text.size() &&
         u_hasBinaryProperty(static_cast<UChar32>(text.CodePointAt(j)),
                             UCHAR_LOWERCASE);
}

bool InsideUrl(uint32_t boundary, std::span<const TextRange> urls) {
  const auto it = std::upper_bound(
      urls.begin(), urls.end(), boundary,
      [](uint32_t index, const TextRange& url) { return index < url.begin; });
  // `it` is the first URL starting after `boundary`; check the one before.
  return it != urls.begin() && std::prev(it)->begin < boundary &&
         boundary < std::prev(it)->end;
}

}  // namespace

absl::StatusOr<SentenceSplitter> SentenceSplitter::Create() {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> iterator(
      icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(),
                                                 status));
  if (U_FAILURE(status) || iterator == nullptr) {
    return absl::InternalError(absl::StrCat(
        "ICU sentence break iterator unavailable: ", u_errorName(status)));
  }
  return SentenceSplitter(std::move(iterator));
}

SentenceSplitter::SentenceSplitter(
    std::unique_ptr<icu::BreakIterator> prototype)
    : prototype_(std::move(prototype)) {}
SentenceSplitter::SentenceSplitter(SentenceSplitter&&) noexcept = default;
SentenceSplitter& SentenceSplitter::operator=(SentenceSplitter&&) noexcept =
    default;
SentenceSplitter::~SentenceSplitter() = default;

std::vector<uint32_t> SentenceSplitter::Split(
    const Utf16Text& text, std::span<const ClassifiedPeriod> periods,
    std::span<const TextRange> urls) const {
  const std::u16string_view units = text.units();
  std::vector<uint32_t> boundaries = {0};
  if (units.empty()) return boundaries;

  const bool bound = ForEachBreak(
      *prototype_, units, [&](uint32_t boundary, int32_t /*rule_status*/) {
        if (boundary < text.size() &&
            (FollowsWordPeriod(text, boundary, periods) ||
             InsideUrl(boundary, urls) || IsWrappedLine(text, boundary))) {
          return;
        }
        boundaries.push_back(boundary);
      });
  // Binding cannot fail for in-memory UTF-16; if it did, one sentence.
  if (!bound) boundaries.resize(1);
  if (boundaries.back() != text.size()) boundaries.push_back(text.size());
  return boundaries;
}

}  // namespace nlpd::text
