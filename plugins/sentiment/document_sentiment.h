// The sentiment of one document, from a SentimentModel: every sentence, the
// document as a whole, every target mention (the entities the pipeline
// found and the caller's targets), and one summary per distinct target.
#ifndef NLPD_PLUGINS_SENTIMENT_DOCUMENT_SENTIMENT_H_
#define NLPD_PLUGINS_SENTIMENT_DOCUMENT_SENTIMENT_H_

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "model/sentiment_model.h"
#include "nlpd/v1/plugin.pb.h"
#include "nlpd/v1/results.pb.h"

namespace nlpd::sentiment {

// Fills a SentimentResult for `request.document()` with `model`:
//  - sentences: SentencePolarity of each sentence's tokens;
//  - document: the mean of the sentence probabilities;
//  - targets: TargetPolarity of each mention, in text order: the entities
//    in `entities` (source ENTITY) and request.target_mentions (REQUEST).
//    A mention covers the tokens its span overlaps (a name inside a
//    compound, "NATO" in "NATO-Chef", is judged as that token) within the
//    sentence where it starts;
//  - summaries: per entity (same label and text; a one-word PER mention
//    that is the last word of an earlier PER name joins that name), then
//    per caller's target in request order, with the mean of their
//    mentions' probabilities.
// Polls `should_stop` once per sentence and once per target mention and,
// once it returns true, stops and returns sdk::Call::CancelledError()
// (CANCELLED): the result is no longer wanted. Otherwise a pure function of
// its inputs; thread-safe when `model` and `should_stop` are.
absl::StatusOr<v1::SentimentResult> AnalyzeDocument(
    const SentimentModel& model, const v1::PluginRequest& request,
    const v1::EntitiesResult& entities, absl::FunctionRef<bool()> should_stop);

// The Polarity message of three probabilities (negative, neutral,
// positive): the most probable label, the probabilities, and the score
// positive - negative.
v1::Polarity ToPolarity(const Probabilities& probabilities);

}  // namespace nlpd::sentiment

#endif  // NLPD_PLUGINS_SENTIMENT_DOCUMENT_SENTIMENT_H_
