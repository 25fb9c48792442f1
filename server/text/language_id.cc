#include "text/language_id.h"

#include <cld2/public/compact_lang_det.h>

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>

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

}  // namespace

LanguageGuess IdentifyLanguage(std::string_view utf8_text) {
  std::string_view sample = TruncateUtf8(utf8_text, kMaxBytesExamined);
  CLD2::Language language3[3];
  int percent3[3] = {0, 0, 0};
  double normalized_score3[3];
  int text_bytes = 0;
  bool is_reliable = false;
  int valid_prefix_bytes = 0;
  // The checking variant: CLD2 wants "interchange-valid" UTF-8, which is
  // stricter than well-formed (no C0 controls etc.); on such input it
  // answers UNKNOWN_LANGUAGE instead of misbehaving.
  CLD2::Language language = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      sample.data(), static_cast<int>(sample.size()), /*is_plain_text=*/true,
      /*cld_hints=*/nullptr, CLD2::kCLDFlagBestEffort, language3, percent3,
      normalized_score3, /*resultchunkvector=*/nullptr, &text_bytes,
      &is_reliable, &valid_prefix_bytes);
  if (valid_prefix_bytes > 0 &&
      static_cast<size_t>(valid_prefix_bytes) < sample.size()) {
    // Retry on the part CLD2 accepts (e.g. text up to a control character).
    sample = sample.substr(0, static_cast<size_t>(valid_prefix_bytes));
    language = CLD2::ExtDetectLanguageSummaryCheckUTF8(
        sample.data(), static_cast<int>(sample.size()), true, nullptr,
        CLD2::kCLDFlagBestEffort, language3, percent3, normalized_score3,
        nullptr, &text_bytes, &is_reliable, &valid_prefix_bytes);
  }
  if (language == CLD2::UNKNOWN_LANGUAGE ||
      language == CLD2::TG_UNKNOWN_LANGUAGE) {
    return {"und", 0.0f};
  }
  int percent = 0;
  for (int i = 0; i < 3; ++i) {
    if (language3[i] == language) {
      percent = percent3[i];
      break;
    }
  }
  float confidence = static_cast<float>(std::clamp(percent, 0, 100)) / 100.0f;
  if (!is_reliable) confidence *= 0.5f;
  return {CLD2::LanguageCode(language), confidence};
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
