#include "model/sentiment_model.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace nlpd::sentiment {

Probabilities Softmax(const std::array<float, kNumClasses>& logits,
                      float temperature) {
  Probabilities p{};
  const float largest = *std::max_element(logits.begin(), logits.end());
  float sum = 0;
  for (int c = 0; c < kNumClasses; ++c) {
    p[c] = std::exp((logits[c] - largest) / temperature);
    sum += p[c];
  }
  for (float& v : p) v /= sum;
  return p;
}

std::unique_ptr<SentimentModel> SentimentModel::Load(std::string_view bytes,
                                                     std::string* error) {
  ModelFile model;
  std::string ignored;
  if (!ParseModelFile(bytes, &model, error ? error : &ignored)) return nullptr;
  return std::unique_ptr<SentimentModel>(new SentimentModel(std::move(model)));
}

std::array<float, kNumClasses> SentimentModel::Score(
    const QuantizedClassifier& classifier,
    std::span<const uint32_t> rows) const {
  std::array<int32_t, kNumClasses> sums{};
  for (uint32_t row : rows) {
    auto it =
        std::lower_bound(classifier.rows.begin(), classifier.rows.end(), row);
    if (it == classifier.rows.end() || *it != row) continue;
    const auto& weights = classifier.weights[it - classifier.rows.begin()];
    for (int c = 0; c < kNumClasses; ++c) sums[c] += weights[c];
  }
  std::array<float, kNumClasses> logits{};
  for (int c = 0; c < kNumClasses; ++c) {
    logits[c] = static_cast<float>(sums[c]) * classifier.scale;
  }
  return logits;
}

std::array<float, kNumClasses> SentimentModel::TargetLogits(
    std::span<const std::string_view> words, int target_begin,
    int target_end) const {
  std::vector<uint32_t> rows;
  ExtractFeatures(model_.config, &model_.lexicon, FeatureMode::kTarget, words,
                  target_begin, target_end, &rows);
  return Score(model_.target, rows);
}

std::array<float, kNumClasses> SentimentModel::SentenceLogits(
    std::span<const std::string_view> words) const {
  std::vector<uint32_t> rows;
  ExtractFeatures(model_.config, &model_.lexicon, FeatureMode::kSentence, words,
                  0, 0, &rows);
  return Score(model_.sentence, rows);
}

Probabilities SentimentModel::TargetPolarity(
    std::span<const std::string_view> words, int target_begin,
    int target_end) const {
  return Softmax(TargetLogits(words, target_begin, target_end),
                 model_.target.temperature);
}

Probabilities SentimentModel::SentencePolarity(
    std::span<const std::string_view> words) const {
  return Softmax(SentenceLogits(words), model_.sentence.temperature);
}

}  // namespace nlpd::sentiment
