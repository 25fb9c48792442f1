#include "text/language_choice.h"

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "absl/container/inlined_vector.h"
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

bool SamePrimarySubtag(std::string_view a, std::string_view b) {
  const std::string_view x = PrimarySubtag(a);
  const std::string_view y = PrimarySubtag(b);
  return absl::EqualsIgnoreCase(absl::string_view(x.data(), x.size()),
                                absl::string_view(y.data(), y.size()));
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
                              LanguageScorer model_score,
                              LanguageScorer hinted_score) {
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
  // Every language that lets an analysis run, ranked by (runnable, tier,
  // score), highest first. Tiers: 2 the model scores it; 1 one of CLD2's
  // candidates the model does not know (score: minus CLD2's rank); 0 one of
  // the analyses' languages known to neither (CLD2's hinted score). No
  // letters: CLD2's candidates only, unscored.
  struct Ranked {
    std::string_view language;
    int runnable = 0;
    int tier = 0;
    double score = 0;
    bool operator>(const Ranked& other) const {
      return std::tie(runnable, tier, score) >
             std::tie(other.runnable, other.tier, other.score);
    }
  };
  const bool letters = guess.text_bytes > 0;
  std::optional<Ranked> top;
  auto consider = [&top](const Ranked& ranked) {
    if (!top.has_value() || ranked > *top) top = ranked;
  };
  auto is_candidate = [&guess](std::string_view language) {
    for (int i = 0; i < guess.candidate_count; ++i) {
      if (SamePrimarySubtag(guess.candidates[i].code, language)) return true;
    }
    return false;
  };
  absl::InlinedVector<std::string_view, 4> unknown;  // to neither
  for (int i = 0; i < guess.candidate_count; ++i) {
    const std::string_view code = guess.candidates[i].code;
    const int runnable = support->Runnable(code);
    if (runnable == 0) continue;
    const std::optional<double> score =
        letters ? model_score(code) : std::nullopt;
    consider(score.has_value() ? Ranked{code, runnable, 2, *score}
                               : Ranked{code, runnable, 1, -1.0 * i});
  }
  if (letters) {
    for (const std::string& language : support->Languages()) {
      if (is_candidate(language)) continue;
      const int runnable = support->Runnable(language);
      if (runnable == 0) continue;
      const std::optional<double> score = model_score(language);
      if (score.has_value()) {
        consider({language, runnable, 2, *score});
      } else {
        unknown.push_back(language);
      }
    }
  }
  // CLD2's hinted scores (a CLD2 call each) only where they could win.
  for (const std::string_view language : unknown) {
    const int runnable = support->Runnable(language);
    if (top.has_value() && (runnable < top->runnable ||
                            (runnable == top->runnable && top->tier > 0))) {
      continue;
    }
    const std::optional<double> score = hinted_score(language);
    if (score.has_value()) consider({language, runnable, 0, *score});
  }
  if (!top.has_value()) {
    return {"und", 0.0f, v1::LANGUAGE_SOURCE_UNDETERMINED};
  }
  return Unsure(guess, std::string(top->language),
                v1::LANGUAGE_SOURCE_FALLBACK);
}

LanguageChoice DecideLanguage(std::string_view text,
                              const LanguageRequest& request,
                              const CharNgramModel* model) {
  if (!request.language.empty()) {
    return {CanonicalLanguageTag(request.language), 1.0f,
            v1::LANGUAGE_SOURCE_CALLER};
  }
  const LanguageGuess guess = IdentifyLanguage(text);
  return ChooseLanguage(
      guess, request.default_language, request.support,
      [text, model](std::string_view language) -> std::optional<double> {
        if (model == nullptr) return std::nullopt;
        return model->Score(text, language);
      },
      [text](std::string_view language) {
        return HintedLanguageScore(text, language);
      });
}

}  // namespace nlpd::text
