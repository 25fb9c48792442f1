// Stopword lists of the keywords plugin. The built-in lists are the files
// data/stopwords_<language>.txt, compiled into the library at build time
// (nlpd/embed_file.h), so the plugin is one self-contained file to
// deploy, with nothing to find at run time.
#ifndef NLPD_PLUGINS_KEYWORDS_STOPWORDS_H_
#define NLPD_PLUGINS_KEYWORDS_STOPWORDS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"

namespace nlpd::keywords {

// Case-folded words (see FoldCase) that never begin or end a key phrase.
using StopwordSet = absl::flat_hash_set<std::string>;

// Parses a stopword list: one word per line, any case; '#' starts a
// comment; blank lines and surrounding whitespace are ignored.
StopwordSet ParseStopwords(std::string_view text);

// The languages with a built-in list, sorted: {"de", "en"}.
std::vector<std::string> BuiltinStopwordLanguages();

// The text of the built-in list for `language` (a primary language code
// such as "de"), or nullopt when there is none.
std::optional<std::string_view> BuiltinStopwordList(std::string_view language);

}  // namespace nlpd::keywords

#endif  // NLPD_PLUGINS_KEYWORDS_STOPWORDS_H_
