// The sentiment classes, in the order used everywhere (model files,
// probabilities, the trainer's tables).
#ifndef NLPD_PLUGINS_SENTIMENT_MODEL_CLASSES_H_
#define NLPD_PLUGINS_SENTIMENT_MODEL_CLASSES_H_

#include <array>
#include <string_view>

namespace nlpd::sentiment {

// Class order everywhere: negative, neutral, positive.
inline constexpr int kNumClasses = 3;
inline constexpr int kNegative = 0;
inline constexpr int kNeutral = 1;
inline constexpr int kPositive = 2;
inline constexpr std::array<std::string_view, kNumClasses> kClassNames = {
    "negative", "neutral", "positive"};

// One probability per class, in class order; sums to 1.
using Probabilities = std::array<float, kNumClasses>;

}  // namespace nlpd::sentiment

#endif  // NLPD_PLUGINS_SENTIMENT_MODEL_CLASSES_H_
