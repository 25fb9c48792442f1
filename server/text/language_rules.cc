#include "text/language_rules.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "text/embedded_rules.h"
#include "text/language_id.h"
#include "text/utf16_text.h"
#include "text/utf8.h"

namespace nlpd::text {
namespace {

enum class Section {
  kNone,
  kOptions,
  kAbbreviations,
  kSentenceFinalAbbreviations,
  kMonths,
  kSentenceStarters,
};

// Debian's Abseil is built with its own absl::string_view, distinct from
// std::string_view; convert explicitly at the boundary.
absl::string_view Absl(std::string_view s) { return {s.data(), s.size()}; }
std::string_view Std(absl::string_view s) { return {s.data(), s.size()}; }

std::u16string ToUtf16(std::string_view utf8) {
  return std::u16string(Utf16Text(utf8).units());
}

// Joins the whitespace-separated parts of `entry` with single spaces and
// returns the number of parts.
size_t NormalizeSpaces(std::string_view entry, std::string* out) {
  std::vector<absl::string_view> parts =
      absl::StrSplit(Absl(entry), absl::ByAnyChar(" \t"), absl::SkipEmpty());
  *out = absl::StrJoin(parts, " ");
  return parts.size();
}

}  // namespace

size_t U16StringHash::operator()(std::u16string_view s) const {
  return absl::Hash<std::string_view>{}(std::string_view(
      reinterpret_cast<const char*>(s.data()), s.size() * sizeof(char16_t)));
}

absl::StatusOr<LanguageRules> LanguageRules::Parse(std::string_view file_name,
                                                   std::string_view contents) {
  if (absl::Status status = ValidateUtf8(contents); !status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(Absl(file_name), ": ", status.message()));
  }
  LanguageRules rules;
  Section section = Section::kNone;
  int line_number = 0;
  for (absl::string_view raw_line : absl::StrSplit(Absl(contents), '\n')) {
    ++line_number;
    const std::string_view line = Std(absl::StripAsciiWhitespace(raw_line));
    if (line.empty() || line.front() == '#') continue;
    auto error = [&](std::string_view what) {
      return absl::InvalidArgumentError(
          absl::StrCat(Absl(file_name), ":", line_number, ": ", Absl(what)));
    };
    if (line.front() == '[' && line.back() == ']') {
      const std::string_view name = line.substr(1, line.size() - 2);
      if (name == "options") {
        section = Section::kOptions;
      } else if (name == "abbreviations") {
        section = Section::kAbbreviations;
      } else if (name == "sentence_final_abbreviations") {
        section = Section::kSentenceFinalAbbreviations;
      } else if (name == "months") {
        section = Section::kMonths;
      } else if (name == "sentence_starters") {
        section = Section::kSentenceStarters;
      } else {
        return error(absl::StrCat("unknown section [", Absl(name), "]"));
      }
      continue;
    }
    switch (section) {
      case Section::kNone:
        return error("entry before the first [section]");
      case Section::kOptions:
        if (line != "ordinal_numbers") {
          return error(absl::StrCat("unknown option '", Absl(line), "'"));
        }
        rules.ordinal_numbers_ = true;
        break;
      case Section::kAbbreviations:
      case Section::kSentenceFinalAbbreviations: {
        if (line.back() != '.') {
          return error("an abbreviation must end with '.'");
        }
        std::string normalized;
        const size_t parts = NormalizeSpaces(line, &normalized);
        const AbbreviationKind kind = section == Section::kAbbreviations
                                          ? AbbreviationKind::kNeverEndsSentence
                                          : AbbreviationKind::kMayEndSentence;
        auto [it, inserted] =
            rules.abbreviations_.try_emplace(ToUtf16(normalized), kind);
        if (!inserted && it->second != kind) {
          return error(absl::StrCat("'", Absl(line), "' is in two sections"));
        }
        rules.max_abbreviation_parts_ =
            std::max(rules.max_abbreviation_parts_, parts);
        break;
      }
      case Section::kMonths:
        rules.months_.insert(ToUtf16(line));
        break;
      case Section::kSentenceStarters:
        rules.sentence_starters_.insert(ToUtf16(line));
        break;
    }
  }
  return rules;
}

AbbreviationKind LanguageRules::FindAbbreviation(
    std::u16string_view text) const {
  const auto it = abbreviations_.find(text);
  return it == abbreviations_.end() ? AbbreviationKind::kNone : it->second;
}

absl::StatusOr<LanguageRuleSet> LanguageRuleSet::LoadEmbedded() {
  LanguageRuleSet set;
  for (const EmbeddedRulesFile& file : EmbeddedSentenceRules()) {
    absl::StatusOr<LanguageRules> rules =
        LanguageRules::Parse(file.file_name, file.contents);
    if (!rules.ok()) return rules.status();
    set.by_language_.emplace(std::string(file.language), *std::move(rules));
  }
  return set;
}

const LanguageRules& LanguageRuleSet::ForLanguage(
    std::string_view language_tag) const {
  const std::string_view primary = PrimarySubtag(language_tag);
  // Primary subtags are 2-3 letters; anything longer has no rules anyway.
  char lower[8];
  if (primary.empty() || primary.size() > sizeof(lower)) return generic_;
  for (size_t i = 0; i < primary.size(); ++i) {
    lower[i] = absl::ascii_tolower(static_cast<unsigned char>(primary[i]));
  }
  const auto it = by_language_.find(absl::string_view(lower, primary.size()));
  return it == by_language_.end() ? generic_ : it->second;
}

}  // namespace nlpd::text
