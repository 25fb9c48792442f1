// The choice of a document's language: the caller's, CLD2's when it is
// sure, else the caller's default, else the most likely language in which
// the requested analyses can run (by the character n-gram model, then
// CLD2), else "und".
#ifndef NLPD_SERVER_TEXT_LANGUAGE_CHOICE_H_
#define NLPD_SERVER_TEXT_LANGUAGE_CHOICE_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "nlpd/v1/document.pb.h"
#include "text/char_ngram_model.h"
#include "text/language_id.h"

namespace nlpd::text {

// The languages the analyses of one request can run in. Implemented by the
// analyzer over its plan; ChooseLanguage asks only when the identification
// is unsure, so an implementation may compute its answers lazily.
class LanguageSupport {
 public:
  virtual ~LanguageSupport() = default;

  // How many of the requested analyses can run on a document in `language`
  // (a canonical tag or CLD2's code; "und" counts the analyses that take
  // any language).
  virtual int Runnable(std::string_view language) const = 0;

  // The languages the requested analyses and their dependencies name
  // (their primary subtags, each once, no "*"): the ones worth scoring when
  // CLD2's guesses are none of them.
  virtual std::span<const std::string> Languages() const = 0;
};

// What the caller said about the language of a request.
struct LanguageRequest {
  // AnalyzeRequest.language, a language tag or empty: identify.
  std::string_view language;
  // AnalyzeRequest.default_language, a language tag or empty: none.
  std::string_view default_language;
  // The requested analyses' languages; null when none were requested (then
  // any language is as good as another, and an unsure guess is kept).
  const LanguageSupport* support = nullptr;
};

// Document.language, language_confidence and language_source.
struct LanguageChoice {
  std::string language;
  float confidence = 0;
  v1::LanguageSource source = v1::LANGUAGE_SOURCE_UNSPECIFIED;
};

// A score of a language on the document's text, higher for a better fit,
// comparable between the languages one scorer scores; nullopt when the
// scorer cannot score it. Two kinds: the n-gram model's log-likelihood
// (CharNgramModel::Score; nullopt for a language it has no table for) and
// CLD2's score with the same prior for every language (HintedLanguageScore;
// nullopt when it is not a plausible language of the text).
using LanguageScorer =
    absl::FunctionRef<std::optional<double>(std::string_view language)>;

// Chooses the language of a document whose text CLD2 guessed as `guess`,
// given a request with an empty `language` (tags already checked with
// IsLanguageTag):
//   1. guess.confident: CLD2's guess (IDENTIFIED);
//   2. else a default_language: its canonical form (DEFAULT);
//   3. else, with no analyses requested (support null): CLD2's guess
//      (FALLBACK), "und" if it has none (UNDETERMINED);
//   4. else the language that lets the most requested analyses run (at
//      least one), among CLD2's candidates and support->Languages(); of
//      equally useful ones, first those `model_score` scores (the n-gram
//      model: de, en), highest score first, whatever CLD2's unsure guess
//      was; then CLD2's candidates the model does not know, in CLD2's
//      order; then the analyses' languages known to neither, by
//      `hinted_score`, highest first (called only for languages that could
//      still win; a language it answers nullopt for is not chosen). On a
//      text without letters (guess.text_bytes 0) no scorer is called and
//      only CLD2's candidates count. FALLBACK;
//   5. else "und" (UNDETERMINED).
// The confidence is the guess's share of the chosen language (0 if none),
// halved for DEFAULT and FALLBACK (the identification was unsure), and
// guess.confidence for IDENTIFIED. Pure apart from the scorers; a scorer
// that always answers nullopt stands for "no such scorer".
LanguageChoice ChooseLanguage(const LanguageGuess& guess,
                              std::string_view default_language,
                              const LanguageSupport* support,
                              LanguageScorer model_score,
                              LanguageScorer hinted_score);

// The whole decision for a request: the caller's language (CALLER,
// confidence 1) or IdentifyLanguage(text) and ChooseLanguage, with
// `model`->Score and HintedLanguageScore on `text` (`model` null: CLD2's
// hinted score alone). Borrows `model` for the call. Thread-safe.
LanguageChoice DecideLanguage(std::string_view text,
                              const LanguageRequest& request,
                              const CharNgramModel* model);

}  // namespace nlpd::text

#endif  // NLPD_SERVER_TEXT_LANGUAGE_CHOICE_H_
