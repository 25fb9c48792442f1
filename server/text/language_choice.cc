#include "text/language_choice.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/match.h"

namespace nlpd::text {
namespace {

// The guess's share of `language` (matched on the primary subtag), in
// [0, 1]; 0 when CLD2 did not rank it.
float ShareOf(const LanguageGuess& guess, std::string_view language) {
  const std::string_view primary = PrimarySubtag(language);
  for (int i = 0; i < guess.candidate_count; ++i) {
    const std::string_view code = PrimarySubtag(guess.candidates[i].code);
    if (absl::EqualsIgnoreCase(
            absl::string_view(code.data(), code.size()),
            absl::string_view(primary.data(), primary.size()))) {
      return static_cast<float>(guess.candidates[i].percent) / 100.0f;
    }
  }
  return 0.0f;
}

LanguageChoice Unsure(const LanguageGuess& guess, std::string language,
                      v1::LanguageSource source) {
  const float share = ShareOf(guess, language);
  return {std::move(language), share * 0.5f, source};
}

}  // namespace

LanguageChoice ChooseLanguage(const LanguageGuess& guess,
                              std::string_view default_language,
                              const LanguageSupport* support,
                              HintedScorer hinted_score) {
  if (guess.confident) {
    return {std::string(guess.code), guess.confidence,
            v1::LANGUAGE_SOURCE_IDENTIFIED};
  }
  if (!default_language.empty()) {
    return Unsure(guess, CanonicalLanguageTag(default_language),
                  v1::LANGUAGE_SOURCE_DEFAULT);
  }
  if (support == nullptr) {
    if (guess.candidate_count == 0) {
      return {"und", 0.0f, v1::LANGUAGE_SOURCE_UNDETERMINED};
    }
    return Unsure(guess, std::string(guess.code), v1::LANGUAGE_SOURCE_FALLBACK);
  }
  // CLD2's own candidates first: of equally useful languages, the one CLD2
  // found wins.
  std::string_view best;
  int best_runnable = 0;
  for (int i = 0; i < guess.candidate_count; ++i) {
    const int runnable = support->Runnable(guess.candidates[i].code);
    if (runnable > best_runnable) {
      best = guess.candidates[i].code;
      best_runnable = runnable;
    }
  }
  // Then the requested analyses' languages that would let more of them
  // run, scored by CLD2 with the same prior each. No letters, no scores.
  if (guess.text_bytes > 0) {
    double best_score = 0;
    int hinted_runnable = best_runnable;
    std::string_view hinted;
    for (const std::string& language : support->Languages()) {
      const int runnable = support->Runnable(language);
      if (runnable <= best_runnable || runnable < hinted_runnable) continue;
      const std::optional<double> score = hinted_score(language);
      if (!score.has_value()) continue;
      if (runnable > hinted_runnable || hinted.empty() || *score > best_score) {
        hinted = language;
        hinted_runnable = runnable;
        best_score = *score;
      }
    }
    if (!hinted.empty()) {
      best = hinted;
      best_runnable = hinted_runnable;
    }
  }
  if (best_runnable == 0) {
    return {"und", 0.0f, v1::LANGUAGE_SOURCE_UNDETERMINED};
  }
  return Unsure(guess, std::string(best), v1::LANGUAGE_SOURCE_FALLBACK);
}

LanguageChoice DecideLanguage(std::string_view text,
                              const LanguageRequest& request) {
  if (!request.language.empty()) {
    return {CanonicalLanguageTag(request.language), 1.0f,
            v1::LANGUAGE_SOURCE_CALLER};
  }
  const LanguageGuess guess = IdentifyLanguage(text);
  return ChooseLanguage(guess, request.default_language, request.support,
                        [text](std::string_view language) {
                          return HintedLanguageScore(text, language);
                        });
}

}  // namespace nlpd::text
