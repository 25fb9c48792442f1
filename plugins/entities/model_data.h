// The NER models compiled into libnlpd_entities.so.
#ifndef NLPD_PLUGINS_ENTITIES_MODEL_DATA_H_
#define NLPD_PLUGINS_ENTITIES_MODEL_DATA_H_

#include <string_view>

namespace nlpd::entities {

// The model file for `language` ("de", "en"), empty when there is none.
std::string_view EmbeddedModel(std::string_view language);

}  // namespace nlpd::entities

#endif  // NLPD_PLUGINS_ENTITIES_MODEL_DATA_H_
