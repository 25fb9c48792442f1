// The "keywords" plugin: KeywordExtractor behind the nlpd plugin SDK. This
// file is all the glue a plugin needs; the analysis lives in
// keyword_extractor.h.
#include <memory>
#include <utility>

#include "absl/status/statusor.h"
#include "keyword_extractor.h"
#include "nlpd/keywords/v1/keywords.pb.h"
#include "nlpd/plugin_sdk.h"
#include "stopwords.h"

namespace nlpd::keywords {

class KeywordsPlugin {
 public:
  using Result = v1::KeywordsResult;

  static sdk::PluginInfo Info() {
    return {.name = "keywords",
            .version = "1.0.0",
            .description = "Key phrases of the document with scores (YAKE)",
            .languages = BuiltinStopwordLanguages()};
  }

  // Reads CreateContext.config as a KeywordsConfig in text format; a bad
  // config fails with INVALID_ARGUMENT and the server does not load the
  // plugin. Needs no files: the stopword lists are compiled in.
  static absl::StatusOr<std::unique_ptr<KeywordsPlugin>> Create(
      const sdk::CreateContext& context) {
    absl::StatusOr<KeywordExtractor> extractor =
        KeywordExtractor::Create(context.config);
    if (!extractor.ok()) return extractor.status();
    return std::unique_ptr<KeywordsPlugin>(
        new KeywordsPlugin(*std::move(extractor)));
  }

  // Thread-safe: the extractor is immutable. Checks `call` once per
  // sentence, block and candidate phrase: CANCELLED
  // (sdk::Call::CancelledError) once the result is no longer wanted.
  absl::StatusOr<Result> Analyze(const nlpd::v1::PluginRequest& request,
                                 const sdk::Call& call) const {
    return extractor_.Extract(request.document(),
                              [&call] { return call.Cancelled(); });
  }

 private:
  explicit KeywordsPlugin(KeywordExtractor extractor)
      : extractor_(std::move(extractor)) {}

  const KeywordExtractor extractor_;
};

}  // namespace nlpd::keywords

NLPD_PLUGIN(nlpd::keywords::KeywordsPlugin)
