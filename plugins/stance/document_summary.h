// The document-level parts of a StanceResult, computed from its statements:
// one ActorStance per actor (a person's surname alone joins the full name
// mentioned before it), the counts and the balance.
#ifndef NLPD_PLUGINS_STANCE_DOCUMENT_SUMMARY_H_
#define NLPD_PLUGINS_STANCE_DOCUMENT_SUMMARY_H_

#include "nlpd/v1/results.pb.h"

namespace nlpd::stance {

// Fills result->actors, favor, against, none and balance from
// result->statements (replacing what was there). Thread-safe.
void SummarizeActors(nlpd::v1::StanceResult* result);

}  // namespace nlpd::stance

#endif  // NLPD_PLUGINS_STANCE_DOCUMENT_SUMMARY_H_
