#include "text/language_id.h"

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"

namespace nlpd::text {
namespace {

constexpr size_t kMaxBytesExamined = size_t{64} * 1024;

// Shortens `text` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string_view TruncateUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return text.substr(0, end);
}

// What one CLD2 call says.
struct Cld2Result {
  CLD2::Language language = CLD2::UNKNOWN_LANGUAGE;
  CLD2::Language language3[3] = {CLD2::UNKNOWN_LANGUAGE, CLD2::UNKNOWN_LANGUAGE,
                                 CLD2::UNKNOWN_LANGUAGE};
  int percent3[3] = {0, 0, 0};
  double normalized_score3[3] = {0, 0, 0};
  int text_bytes = 0;
  bool is_reliable = false;
};

// `text` in ASCII lower case (absl::string_view is not std::string_view in
// every absl build).
std::string LowerAscii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = absl::ascii_tolower(c);
  return lower;
}

bool IsUnknown(CLD2::Language language) {
  return language == CLD2::UNKNOWN_LANGUAGE ||
         language == CLD2::TG_UNKNOWN_LANGUAGE;
}

// Runs CLD2 on `text` (at most its first 64 KiB), with `hints` if not null.
Cld2Result RunCld2(std::string_view text, const CLD2::CLDHints* hints) {
  std::string_view sample = TruncateUtf8(text, kMaxBytesExamined);
  Cld2Result result;
  int valid_prefix_bytes = 0;
  // The checking variant: CLD2 wants "interchange-valid" UTF-8, which is
  // stricter than well-formed (no C0 controls etc.); on such input it
  // answers UNKNOWN_LANGUAGE instead of misbehaving.
  result.language = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      sample.data(), static_cast<int>(sample.size()), /*is_plain_text=*/true,
      hints, CLD2::kCLDFlagBestEffort, result.language3, result.percent3,
      result.normalized_score3, /*resultchunkvector=*/nullptr,
      &result.text_bytes, &result.is_reliable, &valid_prefix_bytes);
  if (valid_prefix_bytes > 0 &&
      static_cast<size_t>(valid_prefix_bytes) < sample.size()) {
    // Retry on the part CLD2 accepts (e.g. text up to a control character).
    sample = sample.substr(0, static_cast<size_t>(valid_prefix_bytes));
    result.language = CLD2::ExtDetectLanguageSummaryCheckUTF8(
        sample.data(), static_cast<int>(sample.size()), true, hints,
        CLD2::kCLDFlagBestEffort, result.language3, result.percent3,
        result.normalized_score3, nullptr, &result.text_bytes,
        &result.is_reliable, &valid_prefix_bytes);
  }
  return result;
}

// CLD2's language for the primary subtag of a language tag ("de-AT" ->
// GERMAN); UNKNOWN_LANGUAGE when CLD2 has none. The table is built once.
CLD2::Language Cld2Language(std::string_view tag) {
  static const auto* const by_code = [] {
    auto* map = new absl::flat_hash_map<std::string, CLD2::Language>();
    for (int i = 0; i < CLD2::NUM_LANGUAGES; ++i) {
      const auto language = static_cast<CLD2::Language>(i);
      if (IsUnknown(language)) continue;
      std::string code =
          LowerAscii(PrimarySubtag(CLD2::LanguageCode(language)));
      map->try_emplace(std::move(code),
                       language);  // The first (main) one wins.
    }
    return map;
  }();
  const auto found = by_code->find(LowerAscii(PrimarySubtag(tag)));
  return found == by_code->end() ? CLD2::UNKNOWN_LANGUAGE : found->second;
}

}  // namespace

LanguageGuess IdentifyLanguage(std::string_view utf8_text) {
  const Cld2Result result = RunCld2(utf8_text, /*hints=*/nullptr);
  LanguageGuess guess;
  guess.text_bytes = result.text_bytes;
  guess.reliable = result.is_reliable;
  if (IsUnknown(result.language)) return guess;
  // CLD2's summary language first, then the others it ranked.
  guess.candidates[0] = {CLD2::LanguageCode(result.language), 0, 0};
  guess.candidate_count = 1;
  for (int i = 0; i < 3; ++i) {
    if (IsUnknown(result.language3[i])) continue;
    const LanguageCandidate candidate{CLD2::LanguageCode(result.language3[i]),
                                      std::clamp(result.percent3[i], 0, 100),
                                      result.normalized_score3[i]};
    if (result.language3[i] == result.language) {
      guess.candidates[0] = candidate;
    } else if (guess.candidate_count < 3) {
      guess.candidates[guess.candidate_count++] = candidate;
    }
  }
  const LanguageCandidate& top = guess.candidates[0];
  guess.code = top.code;
  guess.confidence = static_cast<float>(top.percent) / 100.0f;
  if (!result.is_reliable) guess.confidence *= 0.5f;
  guess.confident =
      IsConfident(result.text_bytes, result.is_reliable, top.score);
  return guess;
}

std::optional<double> HintedLanguageScore(std::string_view utf8_text,
                                          std::string_view language) {
  const CLD2::Language wanted = Cld2Language(language);
  if (IsUnknown(wanted)) return std::nullopt;
  const CLD2::CLDHints hints = {/*content_language_hint=*/nullptr,
                                /*tld_hint=*/nullptr, CLD2::UNKNOWN_ENCODING,
                                /*language_hint=*/wanted};
  const Cld2Result result = RunCld2(utf8_text, &hints);
  if (result.language != wanted) return std::nullopt;
  for (int i = 0; i < 3; ++i) {
    if (result.language3[i] == wanted) return result.normalized_score3[i];
  }
  return std::nullopt;
}

bool IsLanguageTag(std::string_view tag) {
  size_t subtag_begin = 0;
  bool primary = true;
  for (size_t i = 0; i <= tag.size(); ++i) {
    if (i < tag.size() && tag[i] != '-' && tag[i] != '_') {
      const char c = tag[i];
      const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      const bool digit = c >= '0' && c <= '9';
      if (!letter && !(digit && !primary)) return false;
      continue;
    }
    const size_t length = i - subtag_begin;
    if (primary ? (length < 2 || length > 3) : (length < 1 || length > 8)) {
      return false;
    }
    primary = false;
    subtag_begin = i + 1;
  }
  return true;
}

std::string CanonicalLanguageTag(std::string_view tag) {
  std::string canonical(tag);
  bool primary = true;
  bool after_singleton = false;
  size_t begin = 0;
  while (begin <= canonical.size()) {
    size_t end = canonical.find_first_of("-_", begin);
    if (end == std::string::npos) end = canonical.size();
    if (end < canonical.size()) canonical[end] = '-';
    const std::span<char> subtag(canonical.data() + begin, end - begin);
    const bool all_letters =
        std::all_of(subtag.begin(), subtag.end(),
                    [](char c) { return absl::ascii_isalpha(c); });
    const bool all_digits =
        std::all_of(subtag.begin(), subtag.end(),
                    [](char c) { return absl::ascii_isdigit(c); });
    for (char& c : subtag) c = absl::ascii_tolower(c);
    if (!primary && !after_singleton) {
      if (subtag.size() == 4 && all_letters) {  // script
        subtag[0] = absl::ascii_toupper(subtag[0]);
      } else if ((subtag.size() == 2 && all_letters) ||
                 (subtag.size() == 3 && all_digits)) {  // region
        for (char& c : subtag) c = absl::ascii_toupper(c);
      }
    }
    if (!primary && subtag.size() == 1) after_singleton = true;
    primary = false;
    begin = end + 1;
  }
  return canonical;
}

}  // namespace nlpd::text
