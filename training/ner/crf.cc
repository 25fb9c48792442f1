#include "crf.h"

#include <lbfgs.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <thread>

#include "ner/tagger.h"

namespace nlpd::ner {
namespace {

constexpr int T = kNumTags;

// The sentences are cut into kBlocks blocks of consecutive sentences; each
// block sums its loss and gradient on its own and the blocks are added in
// block order, so the sums (and the model) do not depend on the number of
// threads.
constexpr int kBlocks = 4;

// Scratch for one sentence's forward-backward, reused across sentences.
struct Scratch {
  std::vector<double> emissions, potentials, alpha, beta, scale;
};

struct Block {
  size_t begin = 0, end = 0;  // sentences
  Scratch scratch;
  std::vector<double> gradient;  // empty for block 0: it writes into g
  double loss = 0;
};

// The state liblbfgs hands back to the callbacks.
struct Problem {
  std::span<const SentenceFeatures> features;
  std::span<const std::vector<int>* const> tags;
  const CrfOptions* options = nullptr;
  size_t num_weights = 0;    // feature weights; the transitions follow them
  std::vector<bool> usable;  // per sentence: gold tags allowed by BIO
  std::vector<Block> blocks;
  CrfResult* result = nullptr;
};

// -log p(gold | sentence) of one sentence under the parameters x; adds its
// gradient to g. `start[t]` and `step[p * T + t]` are the exponentiated
// start and transition weights (0 where BIO forbids the transition).
double SentenceLoss(Scratch& scratch, size_t num_weights,
                    const SentenceFeatures& f, const std::vector<int>& gold,
                    const double* x, const double* start, const double* step,
                    double* g) {
  const int n = static_cast<int>(gold.size());
  if (n == 0) return 0;
  const double* transitions = x + num_weights;
  double* transition_gradient = g + num_weights;
  std::vector<double>& e = scratch.emissions;
  std::vector<double>& psi = scratch.potentials;
  std::vector<double>& alpha = scratch.alpha;
  std::vector<double>& beta = scratch.beta;
  std::vector<double>& scale = scratch.scale;
  e.assign(static_cast<size_t>(n) * T, 0.0);
  psi.resize(e.size());
  alpha.resize(e.size());
  beta.resize(e.size());
  scale.resize(n);
  double gold_score = 0;
  double log_z = 0;
  for (int i = 0; i < n; ++i) {
    double* ei = &e[static_cast<size_t>(i) * T];
    for (uint32_t k = f.offsets[i]; k < f.offsets[i + 1]; ++k) {
      const double* row = x + size_t{f.rows[k]} * T;
      for (int t = 0; t < T; ++t) ei[t] += row[t];
    }
    const double top = *std::max_element(ei, ei + T);
    for (int t = 0; t < T; ++t) psi[i * T + t] = std::exp(ei[t] - top);
    log_z += top;
    gold_score +=
        ei[gold[i]] + transitions[(i ? gold[i - 1] + 1 : 0) * T + gold[i]];
  }
  // Forward, each position scaled to sum 1.
  for (int i = 0; i < n; ++i) {
    double* a = &alpha[static_cast<size_t>(i) * T];
    const double* p = &psi[static_cast<size_t>(i) * T];
    double sum = 0;
    for (int t = 0; t < T; ++t) {
      double v;
      if (i == 0) {
        v = start[t];
      } else {
        const double* previous = a - T;
        v = 0;
        for (int q = 0; q < T; ++q) v += previous[q] * step[q * T + t];
      }
      a[t] = v * p[t];
      sum += a[t];
    }
    for (int t = 0; t < T; ++t) a[t] /= sum;
    scale[i] = sum;
    log_z += std::log(sum);
  }
  // Backward with the same scales: alpha[i] * beta[i] is the marginal.
  for (int t = 0; t < T; ++t) beta[static_cast<size_t>(n - 1) * T + t] = 1;
  for (int i = n - 2; i >= 0; --i) {
    const double* next_beta = &beta[static_cast<size_t>(i + 1) * T];
    const double* next_psi = &psi[static_cast<size_t>(i + 1) * T];
    double* b = &beta[static_cast<size_t>(i) * T];
    for (int q = 0; q < T; ++q) {
      double v = 0;
      for (int t = 0; t < T; ++t) {
        v += step[q * T + t] * next_psi[t] * next_beta[t];
      }
      b[q] = v / scale[i + 1];
    }
  }
  for (int i = 0; i < n; ++i) {
    const double* a = &alpha[static_cast<size_t>(i) * T];
    const double* b = &beta[static_cast<size_t>(i) * T];
    double d[T];
    for (int t = 0; t < T; ++t) d[t] = a[t] * b[t];
    d[gold[i]] -= 1;
    for (uint32_t k = f.offsets[i]; k < f.offsets[i + 1]; ++k) {
      double* row = g + size_t{f.rows[k]} * T;
      for (int t = 0; t < T; ++t) row[t] += d[t];
    }
    if (i == 0) {
      for (int t = 0; t < T; ++t) transition_gradient[t] += d[t];
      continue;
    }
    // Expected transition counts between positions i - 1 and i.
    const double* previous = a - T;
    const double* p = &psi[static_cast<size_t>(i) * T];
    for (int q = 0; q < T; ++q) {
      for (int t = 0; t < T; ++t) {
        transition_gradient[(q + 1) * T + t] +=
            previous[q] * step[q * T + t] * p[t] * b[t] / scale[i];
      }
    }
    transition_gradient[(gold[i - 1] + 1) * T + gold[i]] -= 1;
  }
  return log_z - gold_score;
}

lbfgsfloatval_t Evaluate(void* instance, const lbfgsfloatval_t* x,
                         lbfgsfloatval_t* g, const int size,
                         const lbfgsfloatval_t /*step*/) {
  Problem& problem = *static_cast<Problem*>(instance);
  const double* transitions = x + problem.num_weights;
  double start[T], step[T * T];
  for (int t = 0; t < T; ++t) {
    start[t] = Allowed(-1, t) ? std::exp(transitions[t]) : 0.0;
    for (int q = 0; q < T; ++q) {
      step[q * T + t] =
          Allowed(q, t) ? std::exp(transitions[(q + 1) * T + t]) : 0.0;
    }
  }
  auto run = [&](int first_block) {
    for (int b = first_block; b < kBlocks; b += problem.options->threads) {
      Block& block = problem.blocks[b];
      double* gradient = b == 0 ? g : block.gradient.data();
      std::memset(gradient, 0, sizeof(double) * size);
      block.loss = 0;
      for (size_t s = block.begin; s < block.end; ++s) {
        if (!problem.usable[s]) continue;
        block.loss += SentenceLoss(block.scratch, problem.num_weights,
                                   problem.features[s], *problem.tags[s], x,
                                   start, step, gradient);
      }
    }
  };
  std::vector<std::thread> threads;
  for (int k = 1; k < problem.options->threads; ++k) {
    threads.emplace_back(run, k);
  }
  run(0);
  for (std::thread& thread : threads) thread.join();
  double loss = problem.blocks[0].loss;
  for (int b = 1; b < kBlocks; ++b) {
    loss += problem.blocks[b].loss;
    const double* gradient = problem.blocks[b].gradient.data();
    for (int k = 0; k < size; ++k) g[k] += gradient[k];
  }
  double* transition_gradient = g + problem.num_weights;
  // BIO-forbidden transitions have no gradient; keep them at 0.
  for (int t = 0; t < T; ++t) {
    if (!Allowed(-1, t)) transition_gradient[t] = 0;
    for (int q = 0; q < T; ++q) {
      if (!Allowed(q, t)) transition_gradient[(q + 1) * T + t] = 0;
    }
  }
  const double l2 = problem.options->l2;
  if (l2 > 0) {
    double squares = 0;
    for (int k = 0; k < size; ++k) {
      squares += x[k] * x[k];
      g[k] += l2 * x[k];
    }
    loss += 0.5 * l2 * squares;
  }
  return loss;
}

void Convert(const lbfgsfloatval_t* x, size_t num_weights,
             std::vector<float>& weights, std::vector<float>& transitions) {
  weights.assign(x, x + num_weights);
  transitions.assign(x + num_weights,
                     x + num_weights + static_cast<ptrdiff_t>((T + 1) * T));
}

int Progress(void* instance, const lbfgsfloatval_t* x,
             const lbfgsfloatval_t* /*g*/, const lbfgsfloatval_t fx,
             const lbfgsfloatval_t /*xnorm*/, const lbfgsfloatval_t /*gnorm*/,
             const lbfgsfloatval_t /*step*/, int /*n*/, int k, int /*ls*/) {
  Problem& problem = *static_cast<Problem*>(instance);
  problem.result->iterations = k;
  problem.result->objective = fx;
  const CrfOptions& options = *problem.options;
  if (options.report && options.report_every > 0 &&
      k % options.report_every == 0) {
    std::vector<float> weights, transitions;
    Convert(x, problem.num_weights, weights, transitions);
    options.report(k, fx, weights, transitions);
  }
  return 0;
}

}  // namespace

CrfResult TrainCrf(std::span<const SentenceFeatures> features,
                   std::span<const std::vector<int>* const> tags,
                   const CrfOptions& options, std::vector<float>& weights,
                   std::vector<float>& transitions) {
  CrfResult result;
  Problem problem;
  problem.features = features;
  problem.tags = tags;
  problem.options = &options;
  problem.result = &result;
  problem.num_weights = (size_t{1} << options.row_bits) * T;
  problem.usable.resize(features.size());
  for (size_t s = 0; s < features.size(); ++s) {
    const std::vector<int>& gold = *tags[s];
    bool ok = true;
    for (size_t i = 0; i < gold.size(); ++i) {
      ok &= Allowed(i ? gold[i - 1] : -1, gold[i]);
    }
    problem.usable[s] = ok;
    result.skipped_sentences += ok ? 0 : 1;
  }
  const int size =
      static_cast<int>(problem.num_weights + static_cast<size_t>((T + 1) * T));
  // Blocks of about equal token counts.
  int64_t total_tokens = 0;
  for (const std::vector<int>* t : tags) {
    total_tokens += static_cast<int64_t>(t->size());
  }
  problem.blocks.resize(kBlocks);
  size_t sentence = 0;
  int64_t tokens = 0;
  for (int b = 0; b < kBlocks; ++b) {
    problem.blocks[b].begin = sentence;
    while (sentence < tags.size() &&
           (b == kBlocks - 1 || tokens < total_tokens * (b + 1) / kBlocks)) {
      tokens += static_cast<int64_t>(tags[sentence++]->size());
    }
    problem.blocks[b].end = sentence;
    if (b > 0) problem.blocks[b].gradient.resize(size);
  }
  lbfgsfloatval_t* x = lbfgs_malloc(size);
  std::fill(x, x + size, 0.0);
  lbfgs_parameter_t parameters;
  lbfgs_parameter_init(&parameters);
  parameters.m = options.memory;
  parameters.max_iterations = options.max_iterations;
  parameters.past = options.past;
  parameters.delta = options.delta;
  if (options.l1 > 0) {
    // OWL-QN needs the backtracking line search.
    parameters.orthantwise_c = options.l1;
    parameters.orthantwise_start = 0;
    parameters.orthantwise_end = static_cast<int>(problem.num_weights);
    parameters.linesearch = LBFGS_LINESEARCH_BACKTRACKING;
  }
  lbfgsfloatval_t objective = 0;
  result.status =
      lbfgs(size, x, &objective, Evaluate, Progress, &problem, &parameters);
  result.objective = objective;
  Convert(x, problem.num_weights, weights, transitions);
  lbfgs_free(x);
  return result;
}

}  // namespace nlpd::ner
