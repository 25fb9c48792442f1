#include "stopwords.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "unicode.h"

namespace nlpd::keywords {
namespace internal {
// Defined in the sources generated from data/stopwords_*.txt.
extern const std::string_view kStopwordsDe;
extern const std::string_view kStopwordsEn;
}  // namespace internal

namespace {

struct BuiltinList {
  std::string_view language;
  const std::string_view* text;
};

// Sorted by language.
constexpr BuiltinList kBuiltinLists[] = {
    {"de", &internal::kStopwordsDe},
    {"en", &internal::kStopwordsEn},
};

}  // namespace

StopwordSet ParseStopwords(std::string_view text) {
  StopwordSet stopwords;
  // Debian's Abseil has its own string_view, not std::string_view.
  for (absl::string_view line :
       absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (!line.empty()) stopwords.insert(FoldCase({line.data(), line.size()}));
  }
  return stopwords;
}

std::vector<std::string> BuiltinStopwordLanguages() {
  std::vector<std::string> languages;
  for (const BuiltinList& list : kBuiltinLists) {
    languages.emplace_back(list.language);
  }
  return languages;
}

std::optional<std::string_view> BuiltinStopwordList(std::string_view language) {
  for (const BuiltinList& list : kBuiltinLists) {
    if (list.language == language) return *list.text;
  }
  return std::nullopt;
}

}  // namespace nlpd::keywords
