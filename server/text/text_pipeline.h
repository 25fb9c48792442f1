#ifndef NLPD_SERVER_TEXT_TEXT_PIPELINE_H_
#define NLPD_SERVER_TEXT_TEXT_PIPELINE_H_

#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "nlpd/v1/document.pb.h"
#include "text/language_choice.h"

namespace nlpd::text {

// The server's text pipeline (DESIGN.md decision 3): turns the text of a
// request into an nlpd.v1.Document that every plugin receives.
//
//   validate UTF-8 -> NFC -> language (hint or CLD2) -> sentences and tokens
//   (ICU plus per-language rules) -> spans in UTF-8 bytes and code points.
//
// Create once at server start and share; Process is const and thread-safe.
class TextPipeline {
 public:
  // Loads everything once: ICU break iterators and the NFC normalizer, the
  // embedded per-language sentence rules and the embedded language model
  // for short texts (CharNgramModel::LoadEmbedded). Returns Internal if ICU
  // data is unusable, InvalidArgument if an embedded rules file or the
  // model is malformed, NotFound if the build had no model.
  static absl::StatusOr<std::unique_ptr<TextPipeline>> Create();

  TextPipeline(const TextPipeline&) = delete;
  TextPipeline& operator=(const TextPipeline&) = delete;
  ~TextPipeline();

  // Analyzes `text` (the bytes the client sent). Thread-safe: any number of
  // threads may call Process on one instance concurrently.
  //
  // Returns InvalidArgument when `text` is not well-formed UTF-8 (the
  // message names the byte offset of the first ill-formed sequence), is 1 GiB
  // or larger, or is empty or white space only ("text is empty"), or when a
  // non-empty `language_hint` is not a language tag (IsLanguageTag; the
  // message quotes at most its first 64 bytes).
  //
  // Otherwise returns a Document with:
  //  - text: `text` in Unicode NFC; every span indexes this text, in UTF-8
  //    bytes and in code points;
  //  - language: if `language_hint` is non-empty, its canonical form
  //    (CanonicalLanguageTag: "DE" -> "de", "de_at" -> "de-AT") with
  //    confidence 1, else CLD2's guess ("und", confidence 0, if it has
  //    none), with language_source IDENTIFIED when CLD2 is confident and
  //    FALLBACK when not (ChooseLanguage with no analyses). This is the one
  //    place a caller's tag is normalized: plugins only ever see canonical
  //    tags. The primary subtag also selects the sentence rules ("de-AT" ->
  //    de);
  //  - sentences: in order, each spanning its first to last token (no
  //    surrounding white space); every line break ends a sentence;
  //  - tokens: in order, never white space; each inside one sentence, and
  //    Sentence.token_begin/token_end index them.
  // See Tokenizer and ClassifyPeriods for the tokenization and sentence
  // rules.
  absl::StatusOr<nlpd::v1::Document> Process(
      std::string_view text, std::string_view language_hint) const;

  // Process, writing into `*out` (cleared first; unspecified on error). For
  // a Document on a protobuf Arena, so that its per-token messages come from
  // the arena instead of the heap. Thread-safe.
  absl::Status ProcessInto(std::string_view text,
                           std::string_view language_hint,
                           nlpd::v1::Document* out) const;

  // ProcessInto for a request: the language is the caller's
  // (`language.language`) or decided by DecideLanguage, with the caller's
  // default, the requested analyses' languages and the pipeline's language
  // model (language_source says how). Also InvalidArgument when a non-empty
  // `language.default_language` is not a language tag. Thread-safe.
  absl::Status ProcessInto(std::string_view text,
                           const LanguageRequest& language,
                           nlpd::v1::Document* out) const;

 private:
  // The stages, loaded by Create; defined in text_pipeline.cc so this
  // header does not pull in ICU and the internal headers.
  struct Stages;

  explicit TextPipeline(std::unique_ptr<const Stages> stages);

  std::unique_ptr<const Stages> stages_;
};

}  // namespace nlpd::text

#endif  // NLPD_SERVER_TEXT_TEXT_PIPELINE_H_
