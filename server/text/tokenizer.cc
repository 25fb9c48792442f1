#include "text/tokenizer.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "text/break_iteration.h"
#include "text/char_classes.h"

namespace nlpd::text {
namespace {

using ::nlpd::v1::TokenKind;

uint32_t Utf16Length(char32_t c) { return c > 0xFFFF ? 2 : 1; }

// White space, control and format characters never form a token.
bool IsIgnorable(char32_t c) {
  if (IsWhitespace(c)) return true;
  const auto mask = U_GET_GC_MASK(static_cast<UChar32>(c));
  return (mask & (U_GC_CC_MASK | U_GC_CF_MASK | U_GC_ZL_MASK | U_GC_ZP_MASK)) !=
         0;
}

bool IsIgnorableSegment(const Utf16Text& text, TextRange segment) {
  for (uint32_t i = segment.begin; i < segment.end;) {
    const char32_t c = text.CodePointAt(i);
    if (!IsIgnorable(c)) return false;
    i += Utf16Length(c);
  }
  return true;
}

// `segment` without ignorable characters at either end. ICU glues some
// spaces to a word (U+202F NARROW NO-BREAK SPACE is ExtendNumLet, so
// "3,5\u202f%" gives the segment "3,5\u202f"); spaces inside, as in the
// French number "10\u202f000", stay.
TextRange TrimIgnorable(const Utf16Text& text, TextRange segment) {
  while (segment.begin < segment.end) {
    const char32_t c = text.CodePointAt(segment.begin);
    if (!IsIgnorable(c)) break;
    segment.begin += Utf16Length(c);
  }
  while (segment.begin < segment.end) {
    uint32_t last = segment.end - 1;
    if (last > segment.begin && U16_IS_TRAIL(text.units()[last]) &&
        U16_IS_LEAD(text.units()[last - 1])) {
      --last;
    }
    if (!IsIgnorable(text.CodePointAt(last))) break;
    segment.end = last;
  }
  return segment;
}

bool IsEmoji(const Utf16Text& text, TextRange segment) {
  for (uint32_t i = segment.begin; i < segment.end;) {
    const char32_t c = text.CodePointAt(i);
    if (c == 0xFE0F || u_hasBinaryProperty(static_cast<UChar32>(c),
                                           UCHAR_EMOJI_PRESENTATION)) {
      return true;
    }
    i += Utf16Length(c);
  }
  return false;
}

TokenKind KindOf(const Utf16Text& text, TextRange segment,
                 int32_t rule_status) {
  if (rule_status >= UBRK_WORD_KANA && rule_status < UBRK_WORD_IDEO_LIMIT) {
    return v1::TOKEN_KIND_IDEOGRAPHIC;
  }
  if (rule_status >= UBRK_WORD_LETTER && rule_status < UBRK_WORD_LETTER_LIMIT) {
    return v1::TOKEN_KIND_WORD;
  }
  if (rule_status >= UBRK_WORD_NUMBER && rule_status < UBRK_WORD_NUMBER_LIMIT) {
    return v1::TOKEN_KIND_NUMBER;
  }
  if (IsEmoji(text, segment)) return v1::TOKEN_KIND_OTHER;
  const auto mask =
      U_GET_GC_MASK(static_cast<UChar32>(text.CodePointAt(segment.begin)));
  if ((mask & (U_GC_P_MASK | U_GC_S_MASK)) != 0) {
    return v1::TOKEN_KIND_PUNCTUATION;
  }
  return v1::TOKEN_KIND_OTHER;
}

bool IsHyphen(const Utf16Text& text, TextRange range) {
  if (range.end - range.begin != 1) return false;
  const char16_t c = text.units()[range.begin];
  return c == u'-' || c == u'\u2010' || c == u'\u2011';
}

bool IsWordOrNumber(TokenKind kind) {
  return kind == v1::TOKEN_KIND_WORD || kind == v1::TOKEN_KIND_NUMBER;
}

// Appends ICU segments to a token list, applying the joins described in
// tokenizer.h. Segments must arrive in text order.
class TokenBuilder {
 public:
  TokenBuilder(const Utf16Text& text, std::span<const ClassifiedPeriod> periods,
               std::span<const TextRange> urls)
      : text_(text), periods_(periods), urls_(urls) {}

  void Add(TokenRange token) {
    // Skip URLs that end before this token.
    while (!urls_.empty() && urls_.front().end <= token.range.begin) {
      urls_ = urls_.subspan(1);
    }
    if (!urls_.empty() && urls_.front().begin < token.range.end) {
      AddUrlPart(token);
      return;
    }
    if (JoinPeriod(token) || JoinHyphenated(token)) return;
    tokens_.push_back(token);
  }

  std::vector<TokenRange> Finish() && { return std::move(tokens_); }

 private:
  // `token` overlaps the first URL: emit the URL once, and any part of the
  // token outside it as a token of its own.
  void AddUrlPart(TokenRange token) {
    const TextRange url = urls_.front();
    if (token.range.begin < url.begin) {
      tokens_.push_back({{token.range.begin, url.begin}, token.kind});
    }
    if (tokens_.empty() || tokens_.back().range != url) {
      tokens_.push_back({url, v1::TOKEN_KIND_OTHER});
    }
    if (token.range.end > url.end) {
      urls_ = urls_.subspan(1);
      Add({{url.end, token.range.end}, token.kind});
    }
  }

  // A "." that ClassifyPeriods gave to the word before it.
  bool JoinPeriod(TokenRange token) {
    if (token.range.end - token.range.begin != 1 ||
        text_.units()[token.range.begin] != u'.' || tokens_.empty()) {
      return false;
    }
    TokenRange& previous = tokens_.back();
    if (previous.range.end != token.range.begin ||
        !IsWordOrNumber(previous.kind)) {
      return false;
    }
    while (!periods_.empty() && periods_.front().index < token.range.begin) {
      periods_ = periods_.subspan(1);
    }
    if (periods_.empty() || periods_.front().index != token.range.begin ||
        !PeriodJoinsWord(periods_.front().role)) {
      return false;
    }
    previous.range.end = token.range.end;
    return true;
  }

  // word "-" word, with no spaces: one WORD (not number "-" number).
  bool JoinHyphenated(TokenRange token) {
    if (!IsWordOrNumber(token.kind) || tokens_.size() < 2) return false;
    const TokenRange hyphen = tokens_.back();
    TokenRange& first = tokens_[tokens_.size() - 2];
    if (!IsHyphen(text_, hyphen.range) ||
        hyphen.range.end != token.range.begin ||
        first.range.end != hyphen.range.begin || !IsWordOrNumber(first.kind) ||
        (first.kind == v1::TOKEN_KIND_NUMBER &&
         token.kind == v1::TOKEN_KIND_NUMBER) ||
        text_.units()[first.range.end - 1] == u'.') {
      return false;
    }
    first.range.end = token.range.end;
    first.kind = v1::TOKEN_KIND_WORD;
    tokens_.pop_back();
    return true;
  }

  const Utf16Text& text_;
  std::span<const ClassifiedPeriod> periods_;  // Not yet passed.
  std::span<const TextRange> urls_;            // Not yet passed.
  std::vector<TokenRange> tokens_;
};

}  // namespace

absl::StatusOr<Tokenizer> Tokenizer::Create() {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> iterator(
      icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || iterator == nullptr) {
    return absl::InternalError(absl::StrCat(
        "ICU word break iterator unavailable: ", u_errorName(status)));
  }
  return Tokenizer(std::move(iterator));
}

Tokenizer::Tokenizer(std::unique_ptr<icu::BreakIterator> prototype)
    : prototype_(std::move(prototype)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

std::vector<TokenRange> Tokenizer::Tokenize(
    const Utf16Text& text, std::span<const ClassifiedPeriod> periods,
    std::span<const TextRange> urls) const {
  TokenBuilder builder(text, periods, urls);
  const std::u16string_view units = text.units();
  if (units.empty()) return std::move(builder).Finish();

  uint32_t begin = 0;
  ForEachBreak(*prototype_, units, [&](uint32_t end, int32_t rule_status) {
    const TextRange untrimmed{begin, end};
    begin = end;
    if (IsIgnorableSegment(text, untrimmed)) return;
    const TextRange segment = TrimIgnorable(text, untrimmed);
    builder.Add({segment, KindOf(text, segment, rule_status)});
  });
  return std::move(builder).Finish();
}

}  // namespace nlpd::text
