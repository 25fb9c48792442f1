#include "text/period_classifier.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "absl/container/inlined_vector.h"
#include "text/char_classes.h"

namespace nlpd::text {
namespace {

constexpr char16_t kPeriod = u'.';

uint32_t Utf16Length(char32_t c) { return c > 0xFFFF ? 2 : 1; }

bool IsHorizontalSpace(char32_t c) {
  return IsWhitespace(c) && !IsLineBreak(c);
}

bool IsUppercase(char32_t c) {
  return u_isupper(static_cast<UChar32>(c)) ||
         u_istitle(static_cast<UChar32>(c));
}

// Reads the text around one candidate period.
class PeriodContext {
 public:
  PeriodContext(const Utf16Text& text, uint32_t period)
      : text_(text), units_(text.units()), period_(period) {}

  // The dotted run ("z.B.", "Dr.", "21.") ending with the period.
  TextRange CurrentPart() const {
    uint32_t begin = RunStart(period_ + 1);
    return {begin, period_ + 1};
  }

  // Up to `max` abbreviation parts before `first` that are separated from it
  // (and from each other) by horizontal space only, nearest first.
  absl::InlinedVector<TextRange, 2> PartsBefore(TextRange first,
                                                size_t max) const {
    absl::InlinedVector<TextRange, 2> parts;
    uint32_t end = first.begin;
    while (parts.size() < max) {
      uint32_t space = end;
      while (space > 0 && IsHorizontalSpace(text_.CodePointBefore(space))) {
        space -= Utf16Length(text_.CodePointBefore(space));
      }
      if (space == end || space == 0 || units_[space - 1] != kPeriod) break;
      const uint32_t begin = RunStart(space);
      if (begin == space) break;
      parts.push_back({begin, space});
      end = begin;
    }
    return parts;
  }

  // Up to `max` abbreviation parts after the period, nearest first.
  absl::InlinedVector<TextRange, 2> PartsAfter(size_t max) const {
    absl::InlinedVector<TextRange, 2> parts;
    uint32_t begin = period_ + 1;
    while (parts.size() < max) {
      uint32_t start = begin;
      while (start < units_.size() &&
             IsHorizontalSpace(text_.CodePointAt(start))) {
        start += Utf16Length(text_.CodePointAt(start));
      }
      if (start == begin) break;
      uint32_t end = start;
      while (end < units_.size() &&
             (units_[end] == kPeriod || IsWordChar(text_.CodePointAt(end)))) {
        end += Utf16Length(text_.CodePointAt(end));
      }
      if (end == start || units_[end - 1] != kPeriod) break;
      parts.push_back({start, end});
      begin = end;
    }
    return parts;
  }

  // Scans what follows the period up to the next word: closing and opening
  // punctuation and white space. Must be called before the accessors below.
  void ScanFollowing() {
    uint32_t i = period_ + 1;
    followed_by_closing_ =
        i < units_.size() && IsClosingPunctuation(text_.CodePointAt(i));
    while (i < units_.size()) {
      const char32_t c = text_.CodePointAt(i);
      if (IsLineBreak(c)) {
        line_break_follows_ = true;
      } else if (!IsWhitespace(c) && !IsOpeningPunctuation(c) &&
                 !IsClosingPunctuation(c)) {
        break;
      }
      i += Utf16Length(c);
    }
    uint32_t end = i;
    while (end < units_.size() && IsWordChar(text_.CodePointAt(end))) {
      end += Utf16Length(text_.CodePointAt(end));
    }
    next_word_ = {i, end};
  }

  // True if nothing but white space and punctuation remains, a line break
  // comes before the next word, or a closing quote/bracket directly follows.
  bool EndsHere() const {
    return next_word_.begin == units_.size() || line_break_follows_ ||
           followed_by_closing_;
  }
  // True if only white space and punctuation remain or a line break comes
  // before the next word.
  bool AtTextOrLineEnd() const {
    return next_word_.begin == units_.size() || line_break_follows_;
  }
  std::u16string_view NextWord() const { return View(next_word_); }
  char32_t NextWordFirstChar() const {
    return next_word_.begin < next_word_.end
               ? text_.CodePointAt(next_word_.begin)
               : 0;
  }

  std::u16string_view View(TextRange range) const {
    return units_.substr(range.begin, range.end - range.begin);
  }

 private:
  // Start of the run of word characters and periods ending at `end`,
  // without leading periods.
  uint32_t RunStart(uint32_t end) const {
    uint32_t begin = end;
    while (begin > 0) {
      const char32_t c = text_.CodePointBefore(begin);
      if (c != kPeriod && !IsWordChar(c)) break;
      begin -= Utf16Length(c);
    }
    while (begin < end && units_[begin] == kPeriod) ++begin;
    return begin;
  }

  const Utf16Text& text_;
  std::u16string_view units_;
  uint32_t period_;
  bool followed_by_closing_ = false;
  bool line_break_follows_ = false;
  TextRange next_word_;
};

struct AbbreviationMatch {
  AbbreviationKind kind = AbbreviationKind::kNone;
  bool ends_at_period = false;  // The match's last part is the current one.
};

// Tries every window of consecutive parts that contains the current part,
// longest first, with the first letter as written and then lowercased.
AbbreviationMatch MatchAbbreviation(const PeriodContext& context,
                                    const LanguageRules& rules) {
  const size_t max_parts = rules.max_abbreviation_parts();
  const TextRange current = context.CurrentPart();
  absl::InlinedVector<TextRange, 2> before =
      context.PartsBefore(current, max_parts - 1);
  absl::InlinedVector<TextRange, 2> after = context.PartsAfter(max_parts - 1);
  absl::InlinedVector<TextRange, 5> parts(before.rbegin(), before.rend());
  const size_t current_index = parts.size();
  parts.push_back(current);
  parts.insert(parts.end(), after.begin(), after.end());

  std::u16string key;
  for (size_t length = std::min(max_parts, parts.size()); length >= 1;
       --length) {
    const size_t first_start =
        current_index + 1 >= length ? current_index + 1 - length : 0;
    const size_t last_start = std::min(current_index, parts.size() - length);
    for (size_t start = first_start; start <= last_start; ++start) {
      key.clear();
      for (size_t k = start; k < start + length; ++k) {
        if (k > start) key.push_back(u' ');
        key.append(context.View(parts[k]));
      }
      AbbreviationKind kind = rules.FindAbbreviation(key);
      if (kind == AbbreviationKind::kNone && !key.empty() &&
          u_isupper(key[0])) {
        key[0] = static_cast<char16_t>(u_tolower(key[0]));
        kind = rules.FindAbbreviation(key);
      }
      if (kind != AbbreviationKind::kNone) {
        return {kind, start + length - 1 == current_index};
      }
    }
  }
  return {};
}

PeriodRole ClassifyNumber(std::u16string_view digits,
                          const PeriodContext& context,
                          const LanguageRules& rules) {
  if (context.EndsHere()) return PeriodRole::kSentenceEnd;
  const char32_t next = context.NextWordFirstChar();
  if (next == 0) return PeriodRole::kSentenceEnd;
  const size_t length = digits.size();
  if (u_isdigit(static_cast<UChar32>(next))) {
    return length <= 2 ? PeriodRole::kOrdinal : PeriodRole::kSentenceEnd;
  }
  if (u_islower(static_cast<UChar32>(next))) return PeriodRole::kOrdinal;
  if (length <= 2 && rules.IsMonth(context.NextWord())) {
    return PeriodRole::kOrdinal;
  }
  if (rules.IsSentenceStarter(context.NextWord())) {
    return PeriodRole::kSentenceEnd;
  }
  if (length <= 3 && IsUppercase(next)) return PeriodRole::kOrdinal;
  return PeriodRole::kSentenceEnd;
}

PeriodRole ClassifyPeriod(const Utf16Text& text, uint32_t period,
                          const LanguageRules& rules) {
  PeriodContext context(text, period);
  context.ScanFollowing();

  const AbbreviationMatch abbreviation = MatchAbbreviation(context, rules);
  if (abbreviation.kind != AbbreviationKind::kNone) {
    if (!abbreviation.ends_at_period ||
        abbreviation.kind == AbbreviationKind::kNeverEndsSentence) {
      return context.AtTextOrLineEnd() && abbreviation.ends_at_period
                 ? PeriodRole::kAbbreviationEndingSentence
                 : PeriodRole::kAbbreviation;
    }
    return context.EndsHere() || rules.IsSentenceStarter(context.NextWord())
               ? PeriodRole::kAbbreviationEndingSentence
               : PeriodRole::kAbbreviation;
  }

  const TextRange current = context.CurrentPart();
  const std::u16string_view word =
      context.View({current.begin, current.end - 1});
  const char32_t first = text.CodePointAt(current.begin);
  if (word.size() == Utf16Length(first) &&
      u_isalpha(static_cast<UChar32>(first))) {
    if (context.EndsHere() || context.NextWordFirstChar() == 0 ||
        rules.IsSentenceStarter(context.NextWord())) {
      return PeriodRole::kSentenceEnd;
    }
    return PeriodRole::kInitial;
  }

  if (rules.ordinal_numbers() && word.size() <= 4 &&
      std::all_of(word.begin(), word.end(),
                  [](char16_t c) { return c >= u'0' && c <= u'9'; })) {
    return ClassifyNumber(word, context, rules);
  }
  return PeriodRole::kSentenceEnd;
}

}  // namespace

std::vector<ClassifiedPeriod> ClassifyPeriods(const Utf16Text& text,
                                              const LanguageRules& rules) {
  std::vector<ClassifiedPeriod> periods;
  const std::u16string_view units = text.units();
  for (uint32_t i = 1; i < units.size(); ++i) {
    if (units[i] != kPeriod || !IsWordChar(text.CodePointBefore(i))) continue;
    if (i + 1 < units.size() && IsWordChar(text.CodePointAt(i + 1))) continue;
    periods.push_back({i, ClassifyPeriod(text, i, rules)});
  }
  return periods;
}

}  // namespace nlpd::text
