// The lexicon files, compiled in with nlpd/embed_file.h (the paths come
// from nlpd_embed_files in CMakeLists.txt). To add a language, add its
// cues_<lang>.txt there and one line here.
#include "lexicon_data.h"

#include "nlpd/embed_file.h"

#if !defined(NLPD_STANCE_CUES_DE) || !defined(NLPD_STANCE_CUES_EN)
#error "NLPD_STANCE_CUES_DE and _EN must name the lexicon files"
#endif

NLPD_EMBED_FILE(nlpd_stance_cues_de, NLPD_STANCE_CUES_DE);
NLPD_EMBED_FILE(nlpd_stance_cues_en, NLPD_STANCE_CUES_EN);

namespace nlpd::stance {

std::map<std::string, std::string_view, std::less<>> EmbeddedLexicons() {
  return {{"de", NLPD_EMBEDDED_FILE(nlpd_stance_cues_de)},
          {"en", NLPD_EMBEDDED_FILE(nlpd_stance_cues_en)}};
}

}  // namespace nlpd::stance
