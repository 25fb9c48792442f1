#include "model/model_file.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "nlpd/binary_io.h"

namespace nlpd::sentiment {
namespace {

constexpr char kMagic[8] = {'N', 'L', 'P', 'D', 'S', 'N', 'T', '1'};

using sdk::AppendValue;
using sdk::ByteReader;

void PutClassifier(std::string& out, const QuantizedClassifier& classifier) {
  AppendValue<float>(out, classifier.temperature);
  AppendValue<float>(out, classifier.scale);
  AppendValue<uint32_t>(out, static_cast<uint32_t>(classifier.rows.size()));
  for (uint32_t row : classifier.rows) AppendValue<uint32_t>(out, row);
  for (const auto& weights : classifier.weights) {
    for (int8_t w : weights) AppendValue<int8_t>(out, w);
  }
}

bool GetClassifier(ByteReader& reader, int row_bits,
                   QuantizedClassifier* classifier, std::string* error) {
  uint32_t count = 0;
  if (!reader.Get(&classifier->temperature) ||
      !reader.Get(&classifier->scale) || !reader.Get(&count)) {
    *error = "sentiment model: truncated classifier header";
    return false;
  }
  if (!(classifier->temperature > 0) || !std::isfinite(classifier->scale)) {
    *error = "sentiment model: bad temperature or scale";
    return false;
  }
  if (reader.remaining() / (4 + kNumClasses) < count) {
    *error = "sentiment model: truncated weights";
    return false;
  }
  classifier->rows.resize(count);
  classifier->weights.resize(count);
  const uint64_t limit = uint64_t{1} << row_bits;
  for (uint32_t i = 0; i < count; ++i) {
    reader.Get(&classifier->rows[i]);
    if (classifier->rows[i] >= limit ||
        (i > 0 && classifier->rows[i] <= classifier->rows[i - 1])) {
      *error = "sentiment model: rows out of order or out of range";
      return false;
    }
  }
  for (uint32_t i = 0; i < count; ++i) {
    for (int8_t& w : classifier->weights[i]) reader.Get(&w);
  }
  return true;
}

}  // namespace

QuantizedClassifier Quantize(const std::vector<float>& dense,
                             float temperature) {
  QuantizedClassifier classifier;
  classifier.temperature = temperature;
  float largest = 0;
  for (float w : dense) largest = std::max(largest, std::fabs(w));
  classifier.scale = largest > 0 ? largest / 127.0f : 1.0f;
  const size_t rows = dense.size() / kNumClasses;
  for (size_t row = 0; row < rows; ++row) {
    std::array<int8_t, kNumClasses> q{};
    bool any = false;
    for (int c = 0; c < kNumClasses; ++c) {
      const float v =
          std::round(dense[row * kNumClasses + c] / classifier.scale);
      q[c] = static_cast<int8_t>(std::clamp(v, -127.0f, 127.0f));
      any |= q[c] != 0;
    }
    if (!any) continue;
    classifier.rows.push_back(static_cast<uint32_t>(row));
    classifier.weights.push_back(q);
  }
  return classifier;
}

std::string SerializeModelFile(const ModelFile& model) {
  std::string out(kMagic, sizeof(kMagic));
  AppendValue<uint32_t>(out, static_cast<uint32_t>(model.config.language));
  AppendValue<uint32_t>(out, model.config.groups);
  AppendValue<uint32_t>(out, static_cast<uint32_t>(model.config.row_bits));
  PutClassifier(out, model.target);
  PutClassifier(out, model.sentence);
  AppendValue<uint32_t>(out,
                        static_cast<uint32_t>(model.lexicon.entries().size()));
  for (const Lexicon::Entry& entry : model.lexicon.entries()) {
    AppendValue<uint32_t>(out, entry.key);
    AppendValue<uint32_t>(out, entry.translation);
  }
  return out;
}

bool ParseModelFile(std::string_view bytes, ModelFile* model,
                    std::string* error) {
  ByteReader reader(bytes);
  std::string_view magic;
  if (!reader.Take(sizeof(kMagic), &magic) ||
      magic != std::string_view(kMagic, sizeof(kMagic))) {
    *error = "sentiment model: not a sentiment model file (bad magic)";
    return false;
  }
  uint32_t language = 0, groups = 0, row_bits = 0;
  if (!reader.Get(&language) || !reader.Get(&groups) ||
      !reader.Get(&row_bits)) {
    *error = "sentiment model: truncated header";
    return false;
  }
  if (language > static_cast<uint32_t>(Language::kGerman)) {
    *error = "sentiment model: unknown language " + std::to_string(language);
    return false;
  }
  if (row_bits < 8 || row_bits > 28) {
    *error = "sentiment model: row_bits out of range";
    return false;
  }
  model->config.language = static_cast<Language>(language);
  model->config.groups = groups;
  model->config.row_bits = static_cast<int>(row_bits);
  if (!GetClassifier(reader, model->config.row_bits, &model->target, error) ||
      !GetClassifier(reader, model->config.row_bits, &model->sentence, error)) {
    return false;
  }
  uint32_t lexicon_size = 0;
  if (!reader.Get(&lexicon_size) || reader.remaining() / 8 < lexicon_size) {
    *error = "sentiment model: truncated lexicon";
    return false;
  }
  std::vector<Lexicon::Entry> entries(lexicon_size);
  for (Lexicon::Entry& entry : entries) {
    reader.Get(&entry.key);
    reader.Get(&entry.translation);
  }
  if (reader.remaining() != 0) {
    *error = "sentiment model: trailing bytes";
    return false;
  }
  model->lexicon = Lexicon(std::move(entries));
  return true;
}

}  // namespace nlpd::sentiment
