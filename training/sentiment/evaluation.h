// Figures of a sentiment classifier on a labelled set: macro-F1 over the
// three classes (F1m of the NewsMTSC paper), accuracy, and the expected
// calibration error of the predicted class's probability.
#ifndef NLPD_TRAINING_SENTIMENT_EVALUATION_H_
#define NLPD_TRAINING_SENTIMENT_EVALUATION_H_

#include <array>
#include <string>
#include <vector>

#include "model/classes.h"

namespace nlpd::sentiment {

class Evaluation {
 public:
  // One prediction: the gold class and the model's probabilities; the
  // predicted class is the most probable (ties: the lowest class index).
  void Add(int gold, const Probabilities& probabilities);
  // Counts a prediction without probabilities (a baseline).
  void AddClass(int gold, int predicted);

  int count() const { return count_; }
  double Accuracy() const;
  double F1(int c) const;
  double MacroF1() const;
  // Expected calibration error with `bins` equal-width bins of the
  // predicted class's probability; 0 when no probabilities were added.
  double ExpectedCalibrationError(int bins = 10) const;
  // Negative log-likelihood per example of the gold class.
  double LogLoss() const;

 private:
  int count_ = 0;
  std::array<std::array<int, kNumClasses>, kNumClasses>
      confusion_{};                                  // [gold][pred]
  std::vector<std::pair<float, bool>> confidences_;  // (p of pred, correct)
  double log_loss_ = 0;
};

int Argmax(const Probabilities& probabilities);

}  // namespace nlpd::sentiment

#endif  // NLPD_TRAINING_SENTIMENT_EVALUATION_H_
