// The sentiment trainer's logistic regression (training/sentiment): plain,
// NB-LR scaled and label-smoothed fits on a tiny hand-made data set.
#include "logistic_regression.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "model/sentiment_model.h"

namespace nlpd::sentiment {
namespace {

// Row 0 is a bias in every example; rows 1, 2, 3 mark the three classes;
// row 4 occurs in all classes alike; row 5 never occurs.
FeaturizedSet TinySet() {
  FeaturizedSet data;
  for (int repeat = 0; repeat < 4; ++repeat) {
    for (int label = 0; label < kNumClasses; ++label) {
      const std::vector<uint32_t> rows = {0, static_cast<uint32_t>(label + 1),
                                          4};
      data.Add(rows, label, 1.0f);
    }
  }
  return data;
}

int Predicted(const std::vector<float>& weights, std::vector<uint32_t> rows) {
  const auto logits = DenseLogits(weights, rows);
  return static_cast<int>(std::max_element(logits.begin(), logits.end()) -
                          logits.begin());
}

TEST(LogisticRegressionTest, NbScaledFitIsDeterministicAndSeparates) {
  const FeaturizedSet data = TinySet();
  TrainerOptions options;
  options.row_bits = 4;
  options.l2 = 1;
  options.nb_floor = 0.3f;
  const std::vector<float> first = TrainLogisticRegression(data, options);
  const std::vector<float> second = TrainLogisticRegression(data, options);
  EXPECT_EQ(first, second);
  for (int label = 0; label < kNumClasses; ++label) {
    EXPECT_EQ(Predicted(first, {0, static_cast<uint32_t>(label + 1), 4}),
              label);
  }
  // A row absent from the data keeps zero weights.
  for (int c = 0; c < kNumClasses; ++c)
    EXPECT_EQ(first[5 * kNumClasses + c], 0);
  // The class-neutral row 4 weighs less than the class-marking rows.
  options.nb_floor = -1;
  const std::vector<float> plain = TrainLogisticRegression(data, options);
  EXPECT_LT(
      std::abs(first[4 * kNumClasses]) / std::abs(first[1 * kNumClasses]),
      std::abs(plain[4 * kNumClasses]) / std::abs(plain[1 * kNumClasses]) +
          1e-6f);
}

TEST(LogisticRegressionTest, LabelSmoothingTempersTheFit) {
  const FeaturizedSet data = TinySet();
  TrainerOptions options;
  options.row_bits = 4;
  options.l2 = 0.01f;
  const std::vector<float> sharp = TrainLogisticRegression(data, options);
  options.label_smoothing = 0.3f;
  const std::vector<float> smooth = TrainLogisticRegression(data, options);
  const std::vector<uint32_t> rows = {0, 1, 4};
  const float sharp_p = Softmax(DenseLogits(sharp, rows), 1.0f)[0];
  const float smooth_p = Softmax(DenseLogits(smooth, rows), 1.0f)[0];
  EXPECT_GT(sharp_p, smooth_p);
  // The optimum of the smoothed loss predicts 1 - 0.3 + 0.1 = 0.8.
  EXPECT_NEAR(smooth_p, 0.8f, 0.02f);
}

}  // namespace
}  // namespace nlpd::sentiment
