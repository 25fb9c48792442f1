#include "logistic_regression.h"

#include <lbfgs.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <random>

#include "model/sentiment_model.h"

namespace nlpd::sentiment {

void FeaturizedSet::Add(std::span<const uint32_t> example_rows, int label,
                        float weight) {
  rows.insert(rows.end(), example_rows.begin(), example_rows.end());
  offsets.push_back(static_cast<uint32_t>(rows.size()));
  labels.push_back(label);
  weights.push_back(weight);
}

std::array<float, kNumClasses> DenseLogits(const std::vector<float>& weights,
                                           std::span<const uint32_t> rows) {
  std::array<float, kNumClasses> logits{};
  for (uint32_t row : rows) {
    for (int c = 0; c < kNumClasses; ++c) {
      logits[c] += weights[size_t{row} * kNumClasses + c];
    }
  }
  return logits;
}

namespace {

// The L-BFGS problem over the rows that occur in the data (compact ids).
struct Problem {
  std::vector<uint32_t> compact_rows;  // Per data row entry.
  const FeaturizedSet* data = nullptr;
  double l2 = 0;
  double label_smoothing = 0;
  // Per compact row and class: the factor the weight acts with (NB-LR); all
  // ones without scaling.
  std::vector<double> scale;
};

lbfgsfloatval_t Evaluate(void* instance, const lbfgsfloatval_t* x,
                         lbfgsfloatval_t* g, const int n,
                         const lbfgsfloatval_t /*step*/) {
  const auto& problem = *static_cast<const Problem*>(instance);
  const FeaturizedSet& data = *problem.data;
  double loss = 0;
  for (int i = 0; i < n; ++i) {
    g[i] = problem.l2 * x[i];
    loss += 0.5 * problem.l2 * x[i] * x[i];
  }
  for (size_t e = 0; e < data.size(); ++e) {
    std::array<double, kNumClasses> z{};
    for (uint32_t k = data.offsets[e]; k < data.offsets[e + 1]; ++k) {
      const size_t base = size_t{problem.compact_rows[k]} * kNumClasses;
      for (int c = 0; c < kNumClasses; ++c) {
        z[c] += problem.scale[base + c] * x[base + c];
      }
    }
    const double largest = *std::max_element(z.begin(), z.end());
    double sum = 0;
    for (double& v : z) {
      v = std::exp(v - largest);
      sum += v;
    }
    const int label = data.labels[e];
    const double weight = data.weights[e];
    std::array<double, kNumClasses> gradient{};
    for (int c = 0; c < kNumClasses; ++c) {
      const double target = (c == label ? 1.0 - problem.label_smoothing : 0.0) +
                            problem.label_smoothing / kNumClasses;
      if (target > 0) {
        loss -= weight * target * std::log(std::max(z[c] / sum, 1e-300));
      }
      gradient[c] = weight * (z[c] / sum - target);
    }
    for (uint32_t k = data.offsets[e]; k < data.offsets[e + 1]; ++k) {
      const size_t base = size_t{problem.compact_rows[k]} * kNumClasses;
      for (int c = 0; c < kNumClasses; ++c) {
        g[base + c] += problem.scale[base + c] * gradient[c];
      }
    }
  }
  return loss;
}

std::vector<float> TrainLbfgs(const FeaturizedSet& data,
                              const TrainerOptions& options) {
  // Compact ids in order of first use (deterministic).
  std::vector<int32_t> compact_of(size_t{1} << options.row_bits, -1);
  std::vector<uint32_t> used;
  Problem problem;
  problem.data = &data;
  problem.l2 = options.l2;
  problem.label_smoothing = options.label_smoothing;
  problem.compact_rows.reserve(data.rows.size());
  for (uint32_t row : data.rows) {
    if (compact_of[row] < 0) {
      compact_of[row] = static_cast<int32_t>(used.size());
      used.push_back(row);
    }
    problem.compact_rows.push_back(static_cast<uint32_t>(compact_of[row]));
  }
  const int n = static_cast<int>(used.size()) * kNumClasses;
  problem.scale.assign(static_cast<size_t>(n), 1.0);
  if (options.nb_floor >= 0) {
    // Example-weighted counts of each row per class.
    std::vector<double> counts(static_cast<size_t>(n), 0.0);
    std::array<double, kNumClasses> totals{};
    for (size_t e = 0; e < data.size(); ++e) {
      const int label = data.labels[e];
      for (uint32_t k = data.offsets[e]; k < data.offsets[e + 1]; ++k) {
        counts[size_t{problem.compact_rows[k]} * kNumClasses + label] +=
            data.weights[e];
        totals[label] += data.weights[e];
      }
    }
    const double all = totals[0] + totals[1] + totals[2];
    const double smoothing = static_cast<double>(used.size());
    for (size_t id = 0; id < used.size(); ++id) {
      double row_all = 0;
      for (int c = 0; c < kNumClasses; ++c) {
        row_all += counts[id * kNumClasses + c];
      }
      for (int c = 0; c < kNumClasses; ++c) {
        const double in = counts[id * kNumClasses + c];
        const double ratio =
            std::log((1.0 + in) / (smoothing + totals[c])) -
            std::log((1.0 + row_all - in) / (smoothing + all - totals[c]));
        problem.scale[id * kNumClasses + c] =
            std::abs(ratio) + options.nb_floor;
      }
    }
  }
  lbfgsfloatval_t* x = lbfgs_malloc(n);
  std::fill(x, x + n, 0.0);
  lbfgs_parameter_t parameters;
  lbfgs_parameter_init(&parameters);
  parameters.max_iterations = options.iterations;
  parameters.epsilon = 1e-5;
  lbfgsfloatval_t loss = 0;
  lbfgs(n, x, &loss, Evaluate, nullptr, &problem, &parameters);
  std::vector<float> weights((size_t{1} << options.row_bits) * kNumClasses,
                             0.0f);
  for (size_t id = 0; id < used.size(); ++id) {
    for (int c = 0; c < kNumClasses; ++c) {
      weights[size_t{used[id]} * kNumClasses + c] = static_cast<float>(
          problem.scale[id * kNumClasses + c] * x[id * kNumClasses + c]);
    }
  }
  lbfgs_free(x);
  return weights;
}

}  // namespace

std::vector<float> TrainLogisticRegression(const FeaturizedSet& data,
                                           const TrainerOptions& options) {
  if (options.lbfgs) return TrainLbfgs(data, options);
  const size_t cells = (size_t{1} << options.row_bits) * kNumClasses;
  std::vector<float> weights(cells, 0.0f);
  std::vector<float> squares(cells, 0.0f);
  std::vector<size_t> order(data.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 random(options.seed);
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    for (size_t i = order.size(); i > 1; --i) {
      const size_t j = random() % i;
      std::swap(order[i - 1], order[j]);
    }
    for (size_t index : order) {
      const auto rows = data.Rows(index);
      const Probabilities p = Softmax(DenseLogits(weights, rows), 1.0f);
      std::array<float, kNumClasses> gradient{};
      for (int c = 0; c < kNumClasses; ++c) {
        gradient[c] = data.weights[index] *
                      (p[c] - (c == data.labels[index] ? 1.0f : 0.0f));
      }
      for (uint32_t row : rows) {
        for (int c = 0; c < kNumClasses; ++c) {
          const size_t cell = size_t{row} * kNumClasses + c;
          const float g = gradient[c] + options.l2 * weights[cell];
          squares[cell] += g * g;
          weights[cell] -=
              options.learning_rate * g / (std::sqrt(squares[cell]) + 1e-6f);
        }
      }
    }
  }
  return weights;
}

}  // namespace nlpd::sentiment
