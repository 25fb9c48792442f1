// Multinomial logistic regression over hashed binary features. Two
// learners: full-batch L-BFGS (Debian's liblbfgs) on the weighted
// cross-entropy plus l2/2 * |w|^2 (the default), or AdaGrad with L2 on the
// touched rows. Deterministic: one thread, fixed order; AdaGrad's example
// order comes from a fixed seed (own Fisher-Yates over mt19937_64).
#ifndef NLPD_TRAINING_SENTIMENT_LOGISTIC_REGRESSION_H_
#define NLPD_TRAINING_SENTIMENT_LOGISTIC_REGRESSION_H_

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "model/classes.h"

namespace nlpd::sentiment {

// Featurized examples: rows of example i are rows[offsets[i], offsets[i+1]).
struct FeaturizedSet {
  std::vector<uint32_t> rows;
  std::vector<uint32_t> offsets{0};
  std::vector<int> labels;
  std::vector<float> weights;  // Per example (class or language weighting).

  void Add(std::span<const uint32_t> example_rows, int label, float weight);
  size_t size() const { return labels.size(); }
  std::span<const uint32_t> Rows(size_t i) const {
    return {rows.data() + offsets[i], rows.data() + offsets[i + 1]};
  }
};

struct TrainerOptions {
  int row_bits = 20;
  int epochs = 10;
  float learning_rate = 0.2f;
  float l2 = 10;  // AdaGrad: use about 1e-4.
  uint64_t seed = 1;
  bool lbfgs = true;     // false: AdaGrad (epochs, learning_rate).
  int iterations = 200;  // L-BFGS iterations at most.
  // >= 0: NB-LR scaling (after Wang & Manning 2012, one-vs-rest per class):
  // feature j's class-c weight acts on |r_jc| + nb_floor times the feature,
  // r_jc being the smoothed log-count ratio of j in class c against the
  // other classes (example-weighted counts of the training data given,
  // add-one smoothing). The returned weights include the scaling, so the
  // model is still a sum of row weights. L-BFGS only. < 0: off.
  float nb_floor = -1;
  // Label smoothing: the target distribution puts 1 - label_smoothing on
  // the label and spreads label_smoothing evenly over all classes (noisy
  // crowd labels). L-BFGS only.
  float label_smoothing = 0;
};

// Dense weights, kNumClasses per row, 2^row_bits rows.
std::vector<float> TrainLogisticRegression(const FeaturizedSet& data,
                                           const TrainerOptions& options);

// Sum of the rows' weights.
std::array<float, kNumClasses> DenseLogits(const std::vector<float>& weights,
                                           std::span<const uint32_t> rows);

}  // namespace nlpd::sentiment

#endif  // NLPD_TRAINING_SENTIMENT_LOGISTIC_REGRESSION_H_
