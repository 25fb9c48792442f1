// Linear-chain CRF training for the entities tagger (plugins/entities/ner/
// tagger.h): the same hashed feature rows, weight table and transition
// weights as the averaged perceptron, fitted by maximizing the conditional
// log-likelihood with L-BFGS (liblbfgs), with an L2 penalty or an L1 penalty
// (OWL-QN, which sets most weights to exactly zero). Decoding stays the
// tagger's Viterbi; the model's forward-backward marginals are then
// calibrated at temperature 1.
//
// Deterministic: the objective and gradient are summed in a fixed order
// whatever the number of threads, and L-BFGS has no randomness.
#ifndef NLPD_TRAINING_NER_CRF_H_
#define NLPD_TRAINING_NER_CRF_H_

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace nlpd::ner {

// The feature rows of one sentence, as FeatureExtractor::Extract gives them:
// token i's rows are rows[offsets[i], offsets[i + 1]).
struct SentenceFeatures {
  std::vector<uint32_t> rows, offsets;
};

struct CrfOptions {
  int row_bits = 20;
  // Objective: sum over sentences of -log p(gold | sentence)
  // + l2 / 2 * ||w||^2 + l1 * ||w||_1 (the L1 term on the feature weights
  // only, not the transitions). l1 > 0 selects OWL-QN.
  double l2 = 0;
  double l1 = 0;
  int max_iterations = 300;
  // Stops when the objective fell by less than `delta` (relative) over the
  // last `past` iterations.
  int past = 10;
  double delta = 1e-5;
  int memory = 6;  // L-BFGS history
  // Threads for the objective and gradient (1..4); the model is the same
  // for every number.
  int threads = 1;
  // Called every `report_every` iterations (and after the last) with the
  // current weights and transitions (layout as in ModelData).
  int report_every = 0;
  std::function<void(int iteration, double objective,
                     std::span<const float> weights,
                     std::span<const float> transitions)>
      report;
};

struct CrfResult {
  int iterations = 0;
  int status = 0;  // liblbfgs return code (0, 1, 2: converged or stopped)
  double objective = 0;
  long skipped_sentences = 0;  // gold tags not allowed by BIO: left out
};

// Trains on sentences with tags `tags[s]` and features `features[s]`;
// fills `weights` ((1 << row_bits) * kNumTags) and `transitions`
// ((kNumTags + 1) * kNumTags, row 0: start).
CrfResult TrainCrf(std::span<const SentenceFeatures> features,
                   std::span<const std::vector<int>* const> tags,
                   const CrfOptions& options, std::vector<float>& weights,
                   std::vector<float>& transitions);

}  // namespace nlpd::ner

#endif  // NLPD_TRAINING_NER_CRF_H_
