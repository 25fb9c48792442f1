// Key-phrase extraction over a tokenized document: the logic of the
// "keywords" plugin, free of any plugin glue so that it can be tested and
// reused on its own.
#ifndef NLPD_PLUGINS_KEYWORDS_KEYWORD_EXTRACTOR_H_
#define NLPD_PLUGINS_KEYWORDS_KEYWORD_EXTRACTOR_H_

#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "nlpd/keywords/v1/keywords.pb.h"
#include "nlpd/v1/document.pb.h"
#include "stopwords.h"

namespace nlpd::keywords {

// Parses `text`, a KeywordsConfig in protobuf text format (empty means all
// defaults), and checks every value. INVALID_ARGUMENT with the line and
// column, or the field, of the first problem.
absl::StatusOr<v1::KeywordsConfig> ParseKeywordsConfig(std::string_view text);

// Finds the key phrases of a document with YAKE (Campos et al., "YAKE!
// Keyword extraction from single documents using multiple local features",
// Information Sciences 509, 2020), over the tokens and sentences the server
// found. See keyword_extractor.cc for the method and why it was chosen.
//
// Immutable once made: Extract() is const and safe to call from any number
// of threads at once. Cheap to move.
class KeywordExtractor {
 public:
  // Makes an extractor configured by `config`, with the built-in stopword
  // lists (BuiltinStopwordLanguages()) plus config.extra_stopwords.
  // INVALID_ARGUMENT naming the field when a value is out of range.
  static absl::StatusOr<KeywordExtractor> Create(
      const v1::KeywordsConfig& config);

  // The same from a KeywordsConfig in text format; see ParseKeywordsConfig.
  static absl::StatusOr<KeywordExtractor> Create(std::string_view config);

  // The key phrases of `document`, best first (see KeywordsResult).
  // document.language selects the stopword list by its primary subtag
  // ("en-GB" uses "en"). INVALID_ARGUMENT when there is no list for the
  // language, or when a token or sentence points outside the document; a
  // document without sentences counts as one sentence. Phrases never cross
  // a sentence, punctuation or number.
  absl::StatusOr<v1::KeywordsResult> Extract(
      const nlpd::v1::Document& document) const;

  // The same, stopping early when the result is no longer wanted: polls
  // `should_stop` once per sentence, block of words and ranked candidate
  // phrase and, once it returns true, returns sdk::Call::CancelledError()
  // (CANCELLED) without a result. Thread-safe when `should_stop` is.
  absl::StatusOr<v1::KeywordsResult> Extract(
      const nlpd::v1::Document& document,
      absl::FunctionRef<bool()> should_stop) const;

 private:
  KeywordExtractor() = default;

  int max_keywords_ = 0;
  int max_phrase_words_ = 0;
  double dedup_threshold_ = 0;
  // By primary language code.
  absl::flat_hash_map<std::string, StopwordSet> stopwords_;
};

}  // namespace nlpd::keywords

#endif  // NLPD_PLUGINS_KEYWORDS_KEYWORD_EXTRACTOR_H_
