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

SentimentModel::RowIndex SentimentModel::IndexRows(
    const QuantizedClassifier& classifier) {
  RowIndex index;
  index.reserve(classifier.rows.size());
  for (size_t i = 0; i < classifier.rows.size(); ++i) {
    index.emplace(classifier.rows[i], &classifier.weights[i]);
  }
  return index;
}

SentimentModel::SentimentModel(ModelFile model)
    : model_(std::move(model)),
      target_rows_(IndexRows(model_.target)),
      sentence_rows_(IndexRows(model_.sentence)) {}

std::array<float, kNumClasses> SentimentModel::Score(
    const QuantizedClassifier& classifier, const RowIndex& index,
    std::span<const uint32_t> rows) const {
  // Integer sums: the order of the rows cannot change the result.
  std::array<int32_t, kNumClasses> sums{};
  for (uint32_t row : rows) {
    auto it = index.find(row);
    if (it == index.end()) continue;
    const std::array<int8_t, kNumClasses>& weights = *it->second;
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
  thread_local std::vector<uint32_t> rows;  // reused: no allocation per call
  rows.clear();
  ExtractFeatures(model_.config, &model_.lexicon, FeatureMode::kTarget, words,
                  target_begin, target_end, &rows);
  return Score(model_.target, target_rows_, rows);
}

std::array<float, kNumClasses> SentimentModel::SentenceLogits(
    std::span<const std::string_view> words) const {
  thread_local std::vector<uint32_t> rows;  // reused: no allocation per call
  rows.clear();
  ExtractFeatures(model_.config, &model_.lexicon, FeatureMode::kSentence, words,
                  0, 0, &rows);
  return Score(model_.sentence, sentence_rows_, rows);
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
