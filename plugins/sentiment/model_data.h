// The sentiment models compiled into libnlpd_sentiment.so.
#ifndef NLPD_PLUGINS_SENTIMENT_MODEL_DATA_H_
#define NLPD_PLUGINS_SENTIMENT_MODEL_DATA_H_

#include <string_view>

namespace nlpd::sentiment {

// The model file for `language` ("de", "en"), empty when there is none.
// The bytes live as long as the library is loaded.
std::string_view EmbeddedModel(std::string_view language);

}  // namespace nlpd::sentiment

#endif  // NLPD_PLUGINS_SENTIMENT_MODEL_DATA_H_
