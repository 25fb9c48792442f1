// The cue lexicons compiled into libnlpd_stance.so (data/cues_<lang>.txt).
#ifndef NLPD_PLUGINS_STANCE_LEXICON_DATA_H_
#define NLPD_PLUGINS_STANCE_LEXICON_DATA_H_

#include <map>
#include <string>
#include <string_view>

namespace nlpd::stance {

// Language code -> the text of its embedded cues file. The views live as
// long as the library is loaded.
std::map<std::string, std::string_view, std::less<>> EmbeddedLexicons();

}  // namespace nlpd::stance

#endif  // NLPD_PLUGINS_STANCE_LEXICON_DATA_H_
