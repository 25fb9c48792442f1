// Runs one request through the pipeline: limits, text pipeline (normalize,
// language, sentences, tokens), then the planned plugins in dependency order,
// each given the document and its dependencies' results.
#ifndef NLPD_SERVER_PIPELINE_ANALYZER_H_
#define NLPD_SERVER_PIPELINE_ANALYZER_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "nlpd/v1/nlpd.pb.h"
#include "plugins/plugin_manager.h"
#include "runtime/call_context.h"
#include "runtime/metrics.h"
#include "text/text_pipeline.h"

namespace nlpd {

class Analyzer {
 public:
  // Borrows `text_pipeline` and `plugins`, which must outlive the analyzer.
  // Each request runs on the plugin set that is current when it starts.
  // `metrics` (may be null) records every plugin call.
  Analyzer(const text::TextPipeline* text_pipeline,
           const PluginManager* plugins, uint64_t max_text_bytes,
           Metrics* metrics = nullptr);

  // Analyzes `request` into `response` (which must be empty; put it on a
  // protobuf Arena to allocate the document's messages there). Plugins get
  // the whole document; response->document() then keeps only what
  // request.document_view() asks for (nlpd.proto, DocumentView). Errors:
  // INVALID_ARGUMENT (empty, not UTF-8, over max_text_bytes, a bad target;
  // see ResolveTargets; a document_view DocumentView does not list),
  // NOT_FOUND /
  // FAILED_PRECONDITION (analysis unknown / unavailable), DEADLINE_EXCEEDED,
  // CANCELLED, or a plugin's error naming the plugin. On error `response`
  // holds partial results and should be discarded. Thread-safe.
  absl::Status Analyze(const v1::AnalyzeRequest& request,
                       const CallContext& call,
                       v1::AnalyzeResponse* response) const;

  uint64_t max_text_bytes() const { return max_text_bytes_; }

 private:
  // Stops the pipeline before `next_step` when the call is over.
  static absl::Status CheckCall(const CallContext& call,
                                absl::string_view next_step);

  // Parses a plugin's result into its typed response field or a custom
  // result, checking that it is a valid message of the plugin's type.
  // Its spans must fit `offsets` (the document's text).
  static absl::Status StoreResult(const RegisteredPlugin& entry,
                                  const std::string& bytes,
                                  const DocumentOffsets& offsets,
                                  v1::AnalyzeResponse* response);

  const text::TextPipeline* const text_pipeline_;
  const PluginManager* const plugins_;
  const uint64_t max_text_bytes_;
  Metrics* const metrics_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_PIPELINE_ANALYZER_H_
