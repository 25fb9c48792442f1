// The target-dependent sentiment classifier of the sentiment plugin:
// multinomial logistic regression over hashed features of the sentence and
// of the target's context (model/features.h), one model file per language
// (model/sentiment_de.bin, model/sentiment_en.bin, trained by
// training/sentiment; model cards in docs/MODELS.md).
#ifndef NLPD_PLUGINS_SENTIMENT_MODEL_SENTIMENT_MODEL_H_
#define NLPD_PLUGINS_SENTIMENT_MODEL_SENTIMENT_MODEL_H_

#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "model/classes.h"
#include "model/model_file.h"

namespace nlpd::sentiment {

class SentimentModel {
 public:
  // Parses a model file. The model copies what it needs (weights, lexicon),
  // so `bytes` need not outlive the call. Returns nullptr and sets *error
  // (if error is non-null) on a malformed file. Never throws.
  static std::unique_ptr<SentimentModel> Load(std::string_view bytes,
                                              std::string* error);

  SentimentModel(const SentimentModel&) = delete;
  SentimentModel& operator=(const SentimentModel&) = delete;

  // Sentiment expressed toward the target words [target_begin, target_end)
  // of one sentence. `words` are the server's tokens of that sentence in
  // order (punctuation included, no white space), as nlpd::text::
  // TextPipeline produces them. Indices outside the sentence are clamped
  // into it (an empty range means the word at target_begin); an empty
  // sentence yields the model's prior. Calibrated probabilities (softmax
  // at the model's temperature). Thread-safe (const, no shared state).
  Probabilities TargetPolarity(std::span<const std::string_view> words,
                               int target_begin, int target_end) const;

  // Polarity of the sentence as a whole (no target). Thread-safe.
  Probabilities SentencePolarity(std::span<const std::string_view> words) const;

  // The logits (before temperature and softmax) of either classifier, for
  // the trainer's calibration. Thread-safe.
  std::array<float, kNumClasses> TargetLogits(
      std::span<const std::string_view> words, int target_begin,
      int target_end) const;
  std::array<float, kNumClasses> SentenceLogits(
      std::span<const std::string_view> words) const;

  const FeatureConfig& config() const { return model_.config; }
  float target_temperature() const { return model_.target.temperature; }
  float sentence_temperature() const { return model_.sentence.temperature; }

 private:
  // A classifier's stored rows by row number, built once at load: a hash
  // lookup per feature instead of a binary search over all stored rows.
  using RowIndex =
      absl::flat_hash_map<uint32_t, const std::array<int8_t, kNumClasses>*>;
  static RowIndex IndexRows(const QuantizedClassifier& classifier);

  explicit SentimentModel(ModelFile model);
  std::array<float, kNumClasses> Score(const QuantizedClassifier& classifier,
                                       const RowIndex& index,
                                       std::span<const uint32_t> rows) const;

  ModelFile model_;
  RowIndex target_rows_;    // of model_.target; points into it
  RowIndex sentence_rows_;  // of model_.sentence
};

// Softmax of logits / temperature. Pure.
Probabilities Softmax(const std::array<float, kNumClasses>& logits,
                      float temperature);

}  // namespace nlpd::sentiment

#endif  // NLPD_PLUGINS_SENTIMENT_MODEL_SENTIMENT_MODEL_H_
