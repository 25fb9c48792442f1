#include "evaluation.h"

#include <algorithm>
#include <cmath>

namespace nlpd::sentiment {

int Argmax(const Probabilities& probabilities) {
  return static_cast<int>(
      std::max_element(probabilities.begin(), probabilities.end()) -
      probabilities.begin());
}

void Evaluation::Add(int gold, const Probabilities& probabilities) {
  const int predicted = Argmax(probabilities);
  AddClass(gold, predicted);
  confidences_.emplace_back(probabilities[predicted], predicted == gold);
  log_loss_ -= std::log(std::max(probabilities[gold], 1e-7f));
}

void Evaluation::AddClass(int gold, int predicted) {
  ++count_;
  ++confusion_[gold][predicted];
}

double Evaluation::Accuracy() const {
  int correct = 0;
  for (int c = 0; c < kNumClasses; ++c) correct += confusion_[c][c];
  return count_ ? static_cast<double>(correct) / count_ : 0;
}

double Evaluation::F1(int c) const {
  int predicted = 0, gold = 0;
  for (int other = 0; other < kNumClasses; ++other) {
    predicted += confusion_[other][c];
    gold += confusion_[c][other];
  }
  const int correct = confusion_[c][c];
  return predicted + gold ? 2.0 * correct / (predicted + gold) : 0;
}

double Evaluation::MacroF1() const {
  double sum = 0;
  for (int c = 0; c < kNumClasses; ++c) sum += F1(c);
  return sum / kNumClasses;
}

double Evaluation::ExpectedCalibrationError(int bins) const {
  if (confidences_.empty()) return 0;
  std::vector<double> confidence_sum(bins, 0), correct_sum(bins, 0);
  std::vector<int> counts(bins, 0);
  for (const auto& [confidence, correct] : confidences_) {
    const int bin = std::min(
        bins - 1, static_cast<int>(confidence * static_cast<float>(bins)));
    confidence_sum[bin] += confidence;
    correct_sum[bin] += correct ? 1 : 0;
    ++counts[bin];
  }
  double error = 0;
  for (int b = 0; b < bins; ++b) {
    error += std::fabs(confidence_sum[b] - correct_sum[b]);
  }
  return error / static_cast<double>(confidences_.size());
}

double Evaluation::LogLoss() const {
  return confidences_.empty()
             ? 0
             : log_loss_ / static_cast<double>(confidences_.size());
}

}  // namespace nlpd::sentiment
