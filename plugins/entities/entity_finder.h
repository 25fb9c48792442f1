// Named entities of an nlpd.v1.Document: maps the server's tokens to the
// tagger's (hyphenated compounds such as "CDU-Fraktion" are one token, as in
// GermEval), tags each sentence and turns the spans back into text offsets.
// A name the part decision finds inside a compound ("NATO" in
// "NATO-Generalsekretär") comes out as a span inside the compound.
#ifndef NLPD_PLUGINS_ENTITIES_ENTITY_FINDER_H_
#define NLPD_PLUGINS_ENTITIES_ENTITY_FINDER_H_

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "ner/tagger.h"
#include "nlpd/v1/document.pb.h"
#include "nlpd/v1/results.pb.h"

namespace nlpd::entities {

// Finds the entities of `document` with `tagger`, leaving out those with a
// confidence below `min_confidence`, and makes the labels of one name
// consistent over the document (HarmonizeLabels). Thread-safe.
nlpd::v1::EntitiesResult FindEntities(const ner::Tagger& tagger,
                                      const nlpd::v1::Document& document,
                                      float min_confidence = 0.0f);

// The same, stopping early when the result is no longer wanted: polls
// `should_stop` once per sentence (before tagging it) and, once it returns
// true, returns sdk::Call::CancelledError() (CANCELLED) without a result.
// Thread-safe when `should_stop` is.
absl::StatusOr<nlpd::v1::EntitiesResult> FindEntities(
    const ner::Tagger& tagger, const nlpd::v1::Document& document,
    float min_confidence, absl::FunctionRef<bool()> should_stop);

// One name, one label per document: where the same text is tagged with
// different labels ("Reuters" ORG twice, PER once after "berichtete"), every
// mention gets the label with the highest summed confidence, and a relabeled
// mention gets the mean confidence of the mentions that had that label. A
// document-level consistency step, as in Krishnan and Manning (2006); the
// tagger itself sees one sentence at a time. Pure; thread-safe.
void HarmonizeLabels(nlpd::v1::EntitiesResult* result);

}  // namespace nlpd::entities

#endif  // NLPD_PLUGINS_ENTITIES_ENTITY_FINDER_H_
