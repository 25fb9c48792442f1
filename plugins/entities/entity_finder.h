// Named entities of an nlpd.v1.Document: maps the server's tokens to the
// tagger's (hyphenated compounds such as "CDU-Fraktion" are one token, as in
// GermEval), tags each sentence and turns the spans back into text offsets.
#ifndef NLPD_PLUGINS_ENTITIES_ENTITY_FINDER_H_
#define NLPD_PLUGINS_ENTITIES_ENTITY_FINDER_H_

#include "ner/tagger.h"
#include "nlpd/v1/document.pb.h"
#include "nlpd/v1/results.pb.h"

namespace nlpd::entities {

// Finds the entities of `document` with `tagger`. Thread-safe.
nlpd::v1::EntitiesResult FindEntities(const ner::Tagger& tagger,
                                      const nlpd::v1::Document& document);

}  // namespace nlpd::entities

#endif  // NLPD_PLUGINS_ENTITIES_ENTITY_FINDER_H_
