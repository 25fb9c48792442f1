#include "stopwords.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "nlpd/embed_file.h"
#include "unicode.h"

// data/stopwords_<language>.txt (paths from nlpd_embed_files in
// CMakeLists.txt).
NLPD_EMBED_FILE(nlpd_keywords_stopwords_de, NLPD_KEYWORDS_STOPWORDS_DE);
NLPD_EMBED_FILE(nlpd_keywords_stopwords_en, NLPD_KEYWORDS_STOPWORDS_EN);

namespace nlpd::keywords {
namespace {

struct BuiltinList {
  std::string_view language;
  std::string_view text;
};

// Sorted by language.
const BuiltinList kBuiltinLists[] = {
    {"de", NLPD_EMBEDDED_FILE(nlpd_keywords_stopwords_de)},
    {"en", NLPD_EMBEDDED_FILE(nlpd_keywords_stopwords_en)},
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
    if (list.language == language) return list.text;
  }
  return std::nullopt;
}

}  // namespace nlpd::keywords
