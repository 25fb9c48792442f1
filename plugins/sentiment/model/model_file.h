// The sentiment model file: feature configuration, two classifiers (target
// and sentence polarity) with 8-bit quantized weights, and the translation
// lexicon. Written by the trainer, read by SentimentModel::Load.
//
// Layout (little-endian):
//   "NLPDSNT1"
//   u32 language, u32 feature groups, u32 row_bits
//   2 x classifier (target, then sentence):
//     f32 temperature, f32 scale, u32 count,
//     count x u32 row (strictly increasing, < 2^row_bits),
//     count x 3 x i8 weights (negative, neutral, positive; times scale)
//   u32 lexicon size, size x (u32 key, u32 translation), sorted and unique
#ifndef NLPD_PLUGINS_SENTIMENT_MODEL_MODEL_FILE_H_
#define NLPD_PLUGINS_SENTIMENT_MODEL_MODEL_FILE_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/classes.h"
#include "model/features.h"
#include "model/lexicon.h"

namespace nlpd::sentiment {

// One linear classifier as stored: the rows that have a non-zero weight.
struct QuantizedClassifier {
  // Logits are divided by it before the softmax (> 0).
  float temperature = 1;
  // Weight = quantized value * scale.
  float scale = 1;
  std::vector<uint32_t> rows;                            // Increasing.
  std::vector<std::array<int8_t, kNumClasses>> weights;  // One per row.
};

struct ModelFile {
  FeatureConfig config;
  QuantizedClassifier target;
  QuantizedClassifier sentence;
  Lexicon lexicon;
};

// Quantizes dense weights (row-major, kNumClasses per row, 2^row_bits rows)
// to 8 bits with one scale; rows that quantize to all zeros are left out.
QuantizedClassifier Quantize(const std::vector<float>& dense,
                             float temperature);

// The file's bytes.
std::string SerializeModelFile(const ModelFile& model);

// Parses `bytes`. Returns false with *error naming what is wrong (bad
// magic, truncated, unknown language, rows out of order or out of range,
// a non-positive temperature). Copies what it needs: `bytes` need not
// outlive the call.
bool ParseModelFile(std::string_view bytes, ModelFile* model,
                    std::string* error);

}  // namespace nlpd::sentiment

#endif  // NLPD_PLUGINS_SENTIMENT_MODEL_MODEL_FILE_H_
