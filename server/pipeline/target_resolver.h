// Resolves the caller's targets (AnalyzeRequest.targets) to their mentions in
// the analyzed document, once per request, so every target-dependent plugin
// gets the same spans (PluginRequest.target_mentions).
#ifndef NLPD_SERVER_PIPELINE_TARGET_RESOLVER_H_
#define NLPD_SERVER_PIPELINE_TARGET_RESOLVER_H_

#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "nlpd/v1/document.pb.h"

namespace nlpd {

// The most targets one request may name.
inline constexpr int kMaxTargets = 256;

// Finds the mentions of `targets` in `document` (the text pipeline's output).
//  - A text target matches every run of whole tokens inside one sentence
//    whose text equals the target's, compared after Unicode case folding
//    and with white space ignored.
//  - A range target is one mention with exactly that range; its byte
//    offsets are computed from the code-point offsets.
// Mentions are returned in text order (ties: request order).
//
// Errors (INVALID_ARGUMENT, naming the target's index): more than
// kMaxTargets targets, a target with neither text nor range, a text that is
// empty or only white space, an empty range or one that ends past the text.
// Thread-safe (a pure function).
absl::StatusOr<std::vector<v1::TargetMention>> ResolveTargets(
    const google::protobuf::RepeatedPtrField<v1::Target>& targets,
    const v1::Document& document);

}  // namespace nlpd

#endif  // NLPD_SERVER_PIPELINE_TARGET_RESOLVER_H_
