// The trained models, compiled into the plugin (nlpd/embed_file.h; the
// paths come from nlpd_embed_files in CMakeLists.txt). See model_data.h.
#include "model_data.h"

#include "nlpd/embed_file.h"

NLPD_EMBED_FILE(nlpd_sentiment_model_de, NLPD_SENTIMENT_MODEL_DE);
NLPD_EMBED_FILE(nlpd_sentiment_model_en, NLPD_SENTIMENT_MODEL_EN);

namespace nlpd::sentiment {

std::string_view EmbeddedModel(std::string_view language) {
  if (language == "de") return NLPD_EMBEDDED_FILE(nlpd_sentiment_model_de);
  if (language == "en") return NLPD_EMBEDDED_FILE(nlpd_sentiment_model_en);
  return {};
}

}  // namespace nlpd::sentiment
