// nlpd_train_sentiment: trains the sentiment plugin's model for one language
// (target polarity and sentence polarity, multinomial logistic regression
// over hashed features, see plugins/sentiment/model/), calibrates its
// temperatures by cross-validation on the training data, evaluates the
// written (quantized) model on the dev splits and writes the model file.
// Deterministic: fixed seeds, one thread.
//
//   nlpd_train_sentiment --language=en --newsmtsc=DIR [--out=FILE]
//   nlpd_train_sentiment --language=de --gerntsa=FILE --newsmtsc=DIR
//       --dictionary=/usr/share/trans/de-en --english_weight=0.3 [--out=FILE]
//   options: --groups=words,bigrams,window,target,negation,clause,contrast,
//            intensifier,stems,translation,chargrams,fallback,speaker,quotes,
//            predicate,mentions,heads  --class_weight=POWER
//            --epochs=N --learning_rate=X --l2=X --seed=N --row_bits=N
//            --folds=N --max_translations=N --speed=0|1 --sentence=0|1
//            --learner=lbfgs|adagrad --iterations=N --further_mentions=0|1
//            --nb_floor=X (NB-LR scaling, < 0 off) --label_smoothing=X
//            --polarity_words=X
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "ding_dictionary.h"
#include "evaluation.h"
#include "logistic_regression.h"
#include "model/features.h"
#include "model/model_file.h"
#include "model/sentiment_model.h"
#include "sentiment_data.h"
#include "text/text_pipeline.h"

namespace nlpd::sentiment {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string language = "en";
  std::string newsmtsc;  // Directory with train.jsonl, newsmtsc-rw/, -mt/.
  std::string gerntsa;   // gerntsa.trainval.json
  std::string dictionary;
  std::string out;
  std::string groups =
      "words,bigrams,window,target,negation,clause,contrast,intensifier";
  float class_weight = 0;
  float english_weight = 0;
  // > 0: English words whose NewsMTSC log-odds (negative vs positive
  // targets) exceed this become polarity marks of their German translations.
  float polarity_words = 0;
  int max_translations = 3;
  bool further_mentions = false;
  int folds = 5;
  bool speed = true;
  // false: the sentence classifier is not really trained (one iteration, no
  // calibration folds), for quick experiments on the target classifier.
  bool sentence = true;
  TrainerOptions trainer;
};

bool ParseGroups(const std::string& list, uint32_t* groups) {
  static const std::map<std::string, uint32_t> kNames = {
      {"words", kSentenceWords},
      {"bigrams", kSentenceBigrams},
      {"window", kWindow},
      {"target", kTargetWords},
      {"negation", kNegation},
      {"clause", kClause},
      {"contrast", kContrast},
      {"intensifier", kIntensifier},
      {"stems", kStems},
      {"translation", kTranslation},
      {"chargrams", kCharacterGrams},
      {"fallback", kLexiconFallback},
      {"speaker", kSpeaker},
      {"quotes", kQuotes},
      {"predicate", kPredicate},
      {"mentions", kMentionSides},
      {"heads", kCompoundHeads}};
  *groups = 0;
  size_t start = 0;
  while (start < list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    const std::string name = list.substr(start, comma - start);
    start = comma + 1;
    if (name.empty() || name == "none") continue;
    auto it = kNames.find(name);
    if (it == kNames.end()) {
      std::fprintf(stderr, "unknown feature group %s\n", name.c_str());
      return false;
    }
    *groups |= it->second;
  }
  return true;
}

// The training data of one classifier: in-language examples (folded for
// calibration) and extra examples that are always trained on.
struct ClassifierData {
  FeaturizedSet own;
  std::vector<int> fold;  // Per own example.
  FeaturizedSet extra;
};

FeaturizedSet Concatenate(const FeaturizedSet& a, const FeaturizedSet& b,
                          const std::vector<int>* fold, int held_out) {
  FeaturizedSet out;
  for (size_t i = 0; i < a.size(); ++i) {
    if (fold && (*fold)[i] == held_out) continue;
    out.Add(a.Rows(i), a.labels[i], a.weights[i]);
  }
  for (size_t i = 0; i < b.size(); ++i) {
    out.Add(b.Rows(i), b.labels[i], b.weights[i]);
  }
  return out;
}

// Temperature with the lowest log loss of the held-out logits.
float PickTemperature(const std::vector<std::array<float, kNumClasses>>& logits,
                      const std::vector<int>& labels) {
  float best = 1, best_loss = 1e30f;
  for (float t = 0.3f; t <= 6.0f; t += 0.05f) {
    double loss = 0;
    for (size_t i = 0; i < logits.size(); ++i) {
      loss -= std::log(std::max(Softmax(logits[i], t)[labels[i]], 1e-7f));
    }
    if (loss < best_loss) {
      best_loss = static_cast<float>(loss);
      best = t;
    }
  }
  return best;
}

// Trains on all data; the temperature comes from `folds`-fold
// cross-validation over the own examples (extra examples in every fold).
std::vector<float> TrainCalibrated(const std::string& name,
                                   const ClassifierData& data,
                                   const Options& options, float* temperature) {
  std::vector<std::array<float, kNumClasses>> held_logits;
  std::vector<int> held_labels;
  for (int f = 0; f < options.folds; ++f) {
    const FeaturizedSet part = Concatenate(data.own, data.extra, &data.fold, f);
    const std::vector<float> weights =
        TrainLogisticRegression(part, options.trainer);
    for (size_t i = 0; i < data.own.size(); ++i) {
      if (data.fold[i] != f) continue;
      held_logits.push_back(DenseLogits(weights, data.own.Rows(i)));
      held_labels.push_back(data.own.labels[i]);
    }
  }
  *temperature =
      options.folds > 1 ? PickTemperature(held_logits, held_labels) : 1.0f;
  if (options.folds > 1) {
    Evaluation cross_validation;
    for (size_t i = 0; i < held_logits.size(); ++i) {
      cross_validation.Add(held_labels[i],
                           Softmax(held_logits[i], *temperature));
    }
    std::printf(
        "%s: %d-fold cross-validation on train: macroF1 %.4f acc "
        "%.4f ECE %.4f log loss %.4f (temperature %.2f)\n",
        name.c_str(), options.folds, cross_validation.MacroF1(),
        cross_validation.Accuracy(),
        cross_validation.ExpectedCalibrationError(10),
        cross_validation.LogLoss(), *temperature);
  }
  return TrainLogisticRegression(Concatenate(data.own, data.extra, nullptr, -1),
                                 options.trainer);
}

std::array<float, kNumClasses> ClassWeights(const std::vector<int>& labels,
                                            float power) {
  std::array<int, kNumClasses> counts{};
  for (int label : labels) ++counts[label];
  std::array<float, kNumClasses> weights{};
  for (int c = 0; c < kNumClasses; ++c) {
    const double share = static_cast<double>(labels.size()) /
                         (kNumClasses * std::max(1, counts[c]));
    weights[c] = static_cast<float>(std::pow(share, power));
  }
  return weights;
}

// English polarity words from the labelled NewsMTSC targets: a word seen in
// at least 5 sentences whose smoothed log-odds of negative vs positive
// labels is beyond `threshold` (either way) is a negative or positive word.
// Each German lexicon word whose translations include such words (more of
// one side than of the other) gets one more "translation": the mark
// "<polarity:negative>" or "<polarity:positive>", so that the German model
// learns a few well-populated features instead of one per English word.
void AddPolarityEntries(const std::vector<Example>& english, float threshold,
                        std::vector<Lexicon::Entry>* entries) {
  std::unordered_map<uint32_t, std::array<int, kNumClasses>> counts;
  std::array<int, kNumClasses> totals{};
  std::unordered_set<uint64_t> seen_sentences;
  for (const Example& example : english) {
    if (!seen_sentences.insert(example.sentence_key * 4 + example.label)
             .second) {
      continue;
    }
    ++totals[example.label];
    std::unordered_set<uint32_t> words;
    for (const std::string& word : example.words) {
      words.insert(Lexicon::TranslationOf(HashText(LowerCase(word))));
    }
    for (uint32_t word : words) ++counts[word][example.label];
  }
  std::unordered_map<uint32_t, int> polarity;  // translation -> -1 / +1
  for (const auto& [word, count] : counts) {
    if (count[kNegative] + count[kNeutral] + count[kPositive] < 5) continue;
    const double negative =
        (count[kNegative] + 1.0) / (totals[kNegative] + 2.0);
    const double positive =
        (count[kPositive] + 1.0) / (totals[kPositive] + 2.0);
    const double log_odds = std::log(negative / positive);
    if (log_odds > threshold) polarity[word] = -1;
    if (log_odds < -threshold) polarity[word] = 1;
  }
  std::map<uint32_t, int> german;  // key -> sum of polarities
  for (const Lexicon::Entry& entry : *entries) {
    auto it = polarity.find(entry.translation);
    if (it != polarity.end()) german[entry.key] += it->second;
  }
  const uint32_t negative_mark =
      Lexicon::TranslationOf(HashText("<polarity:negative>"));
  const uint32_t positive_mark =
      Lexicon::TranslationOf(HashText("<polarity:positive>"));
  int marked = 0;
  for (const auto& [key, sum] : german) {
    if (sum == 0) continue;
    entries->push_back({key, sum < 0 ? negative_mark : positive_mark});
    ++marked;
  }
  std::printf("polarity words: %zu English, %d German marked\n",
              polarity.size(), marked);
}

int MajorityClass(const std::vector<int>& labels) {
  std::array<int, kNumClasses> counts{};
  for (int label : labels) ++counts[label];
  return static_cast<int>(std::max_element(counts.begin(), counts.end()) -
                          counts.begin());
}

void PrintRow(const std::string& name, const Evaluation& model,
              const Evaluation& majority) {
  std::printf(
      "%-28s %6d  %7.4f  %7.4f  %7.4f  %7.4f  %6.4f  %6.4f %6.4f %6.4f\n",
      name.c_str(), model.count(), model.MacroF1(), model.Accuracy(),
      majority.MacroF1(), majority.Accuracy(),
      model.ExpectedCalibrationError(10), model.F1(kNegative),
      model.F1(kNeutral), model.F1(kPositive));
}

void PrintHeader() {
  std::printf("%-28s %6s  %7s  %7s  %7s  %7s  %6s  %6s %6s %6s\n", "dataset",
              "n", "macroF1", "acc", "majF1", "majAcc", "ECE10", "F1neg",
              "F1neu", "F1pos");
}

void EvaluateTargets(const std::string& name, const SentimentModel& model,
                     const std::vector<Example>& dev, int majority) {
  Evaluation evaluation, baseline;
  for (const Example& example : dev) {
    const auto words = example.Views();
    evaluation.Add(
        example.label,
        model.TargetPolarity(words, example.target_begin, example.target_end));
    baseline.AddClass(example.label, majority);
  }
  PrintRow(name, evaluation, baseline);
}

void EvaluateSentences(const std::string& name, const SentimentModel& model,
                       const std::vector<SentenceExample>& dev, int majority) {
  Evaluation evaluation, baseline;
  for (const SentenceExample& example : dev) {
    const auto words = example.Views();
    evaluation.Add(example.label, model.SentencePolarity(words));
    baseline.AddClass(example.label, majority);
  }
  PrintRow(name, evaluation, baseline);
}

void MeasureSpeed(const SentimentModel& model,
                  const std::vector<Example>& dev) {
  std::vector<std::vector<std::string_view>> views;
  views.reserve(dev.size());
  for (const Example& example : dev) views.push_back(example.Views());
  float sink = 0;
  int64_t targets = 0;
  auto start = Clock::now();
  double seconds = 0;
  while (seconds < 1.0) {
    for (size_t i = 0; i < dev.size(); ++i) {
      sink += model.TargetPolarity(views[i], dev[i].target_begin,
                                   dev[i].target_end)[0];
    }
    targets += static_cast<int64_t>(dev.size());
    seconds = std::chrono::duration<double>(Clock::now() - start).count();
  }
  const double target_rate = static_cast<double>(targets) / seconds;
  int64_t sentences = 0;
  start = Clock::now();
  seconds = 0;
  while (seconds < 1.0) {
    for (const auto& words : views) sink += model.SentencePolarity(words)[0];
    sentences += static_cast<int64_t>(views.size());
    seconds = std::chrono::duration<double>(Clock::now() - start).count();
  }
  std::printf(
      "speed (one core, dev sentences): %.0f targets/s, %.0f sentences/s%s\n",
      target_rate, static_cast<double>(sentences) / seconds,
      sink < -1 ? " " : "");
}

int Run(const Options& options) {
  auto pipeline = text::TextPipeline::Create();
  if (!pipeline.ok()) {
    std::fprintf(stderr, "text pipeline: %s\n",
                 std::string(pipeline.status().message()).c_str());
    return 1;
  }
  const bool german = options.language == "de";
  FeatureConfig config;
  config.language = german ? Language::kGerman : Language::kEnglish;
  config.row_bits = options.trainer.row_bits;
  if (!ParseGroups(options.groups, &config.groups)) return 2;

  std::string error;
  std::vector<Example> train, english;
  std::vector<std::pair<std::string, std::vector<Example>>> devs;
  auto report = [](const std::string& name, const ReadStats& stats) {
    std::printf(
        "read %-24s %5d targets, %5d kept, %d NFC-changed, %d without "
        "token, %d across sentences\n",
        name.c_str(), stats.records, stats.examples, stats.nfc_changed,
        stats.no_token, stats.across_sentences);
  };
  const std::string newsmtsc_train = options.newsmtsc + "/train.jsonl";
  if (german || !options.newsmtsc.empty()) {
    ReadStats stats;
    if (!ReadNewsMtsc(newsmtsc_train, **pipeline, options.further_mentions,
                      &english, &stats, &error)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 1;
    }
    report("newsmtsc/train", stats);
  }
  if (german) {
    ReadStats train_stats, dev_stats;
    devs.emplace_back("gerntsa-dev", std::vector<Example>());
    if (!ReadGerNtsa(options.gerntsa, GerNtsaSplit::kTrain, **pipeline, &train,
                     &train_stats, &error) ||
        !ReadGerNtsa(options.gerntsa, GerNtsaSplit::kDev, **pipeline,
                     &devs.back().second, &dev_stats, &error)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 1;
    }
    report("gerntsa/train-split", train_stats);
    report("gerntsa/dev-split", dev_stats);
  } else {
    train = std::move(english);
    english.clear();
    for (const char* name : {"newsmtsc-rw", "newsmtsc-mt"}) {
      ReadStats stats;
      devs.emplace_back(name, std::vector<Example>());
      if (!ReadNewsMtsc(options.newsmtsc + "/" + name + "/dev.jsonl",
                        **pipeline, false, &devs.back().second, &stats,
                        &error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
      }
      report(std::string(name) + "/dev", stats);
    }
  }

  ModelFile model_file;
  model_file.config = config;
  if (german && (config.groups & kTranslation)) {
    std::unordered_set<uint32_t> vocabulary;
    for (const Example& example : english) {
      for (const std::string& word : example.words) {
        vocabulary.insert(Lexicon::TranslationOf(HashText(LowerCase(word))));
      }
    }
    std::vector<Lexicon::Entry> entries;
    if (!ReadDingLexicon(options.dictionary, vocabulary,
                         options.max_translations, &entries, &error)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 1;
    }
    if (options.polarity_words > 0) {
      AddPolarityEntries(english, options.polarity_words, &entries);
    }
    model_file.lexicon = Lexicon(std::move(entries));
    std::printf("lexicon: %zu German -> English pairs\n",
                model_file.lexicon.entries().size());
  }
  const Lexicon* lexicon = &model_file.lexicon;

  std::vector<int> train_labels;
  train_labels.reserve(train.size());
  for (const Example& example : train) train_labels.push_back(example.label);
  const auto class_weights = ClassWeights(train_labels, options.class_weight);
  std::vector<SentenceExample> train_sentences = AgreeingSentences(train);
  std::vector<int> sentence_labels;
  sentence_labels.reserve(train_sentences.size());
  for (const auto& s : train_sentences) sentence_labels.push_back(s.label);
  const auto sentence_class_weights =
      ClassWeights(sentence_labels, options.class_weight);

  ClassifierData target_data, sentence_data;
  std::vector<uint32_t> rows;
  for (const Example& example : train) {
    rows.clear();
    const auto words = example.Views();
    ExtractFeatures(config, lexicon, FeatureMode::kTarget, words,
                    example.target_begin, example.target_end, &rows);
    target_data.own.Add(rows, example.label, class_weights[example.label]);
    target_data.fold.push_back(
        static_cast<int>(example.sentence_key % options.folds));
  }
  for (size_t i = 0; i < train_sentences.size(); ++i) {
    rows.clear();
    const auto words = train_sentences[i].Views();
    ExtractFeatures(config, lexicon, FeatureMode::kSentence, words, 0, 0,
                    &rows);
    sentence_data.own.Add(rows, train_sentences[i].label,
                          sentence_class_weights[train_sentences[i].label]);
    sentence_data.fold.push_back(static_cast<int>(i % options.folds));
  }
  if (german && options.english_weight > 0) {
    for (const Example& example : english) {
      rows.clear();
      const auto words = example.Views();
      ExtractFeatures(config, lexicon, FeatureMode::kLexiconOnly, words,
                      example.target_begin, example.target_end, &rows);
      target_data.extra.Add(rows, example.label, options.english_weight);
    }
    for (const SentenceExample& sentence : AgreeingSentences(english)) {
      rows.clear();
      const auto words = sentence.Views();
      ExtractFeatures(config, lexicon, FeatureMode::kLexiconOnly, words, -1, -1,
                      &rows);
      sentence_data.extra.Add(rows, sentence.label, options.english_weight);
    }
  }
  std::printf(
      "training: %zu targets, %zu sentences (+%zu / %zu English, "
      "weight %.2f); class weights %.2f %.2f %.2f\n",
      target_data.own.size(), sentence_data.own.size(),
      target_data.extra.size(), sentence_data.extra.size(),
      options.english_weight, class_weights[0], class_weights[1],
      class_weights[2]);

  const auto start = Clock::now();
  float target_temperature = 1, sentence_temperature = 1;
  const auto target_weights =
      TrainCalibrated("target", target_data, options, &target_temperature);
  Options sentence_options = options;
  if (!options.sentence) {
    sentence_options.folds = 1;
    sentence_options.trainer.iterations = 1;
  }
  const auto sentence_weights = TrainCalibrated(
      "sentence", sentence_data, sentence_options, &sentence_temperature);
  const double train_seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  model_file.target = Quantize(target_weights, target_temperature);
  model_file.sentence = Quantize(sentence_weights, sentence_temperature);
  const std::string bytes = SerializeModelFile(model_file);
  auto model = SentimentModel::Load(bytes, &error);
  if (!model) {
    std::fprintf(stderr, "written model does not load: %s\n", error.c_str());
    return 1;
  }
  std::printf(
      "trained in %.1f s (with %d-fold calibration); temperatures: "
      "target %.2f, sentence %.2f; model %zu bytes (%zu + %zu rows, "
      "%zu lexicon pairs)\n",
      train_seconds, options.folds, target_temperature, sentence_temperature,
      bytes.size(), model_file.target.rows.size(),
      model_file.sentence.rows.size(), model_file.lexicon.entries().size());

  const int majority = MajorityClass(train_labels);
  const int sentence_majority = MajorityClass(sentence_labels);
  PrintHeader();
  for (const auto& [name, dev] : devs) {
    EvaluateTargets(name + " targets", *model, dev, majority);
  }
  for (const auto& [name, dev] : devs) {
    EvaluateSentences(name + " sentences", *model, AgreeingSentences(dev),
                      sentence_majority);
  }
  if (options.speed) MeasureSpeed(*model, devs.front().second);
  if (!options.out.empty()) {
    std::ofstream out(options.out, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::fprintf(stderr, "cannot write %s\n", options.out.c_str());
      return 1;
    }
    std::printf("wrote %s\n", options.out.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace nlpd::sentiment

int main(int argc, char** argv) {
  nlpd::sentiment::Options options;
  using Setter = std::function<void(const std::string&)>;
  const std::map<std::string, Setter> setters = {
      {"language", [&](const std::string& value) { options.language = value; }},
      {"newsmtsc", [&](const std::string& value) { options.newsmtsc = value; }},
      {"gerntsa", [&](const std::string& value) { options.gerntsa = value; }},
      {"dictionary",
       [&](const std::string& value) { options.dictionary = value; }},
      {"out", [&](const std::string& value) { options.out = value; }},
      {"groups", [&](const std::string& value) { options.groups = value; }},
      {"class_weight",
       [&](const std::string& value) {
         options.class_weight = std::stof(value);
       }},
      {"english_weight",
       [&](const std::string& value) {
         options.english_weight = std::stof(value);
       }},
      {"max_translations",
       [&](const std::string& value) {
         options.max_translations = std::stoi(value);
       }},
      {"further_mentions",
       [&](const std::string& value) {
         options.further_mentions = value != "0";
       }},
      {"polarity_words",
       [&](const std::string& value) {
         options.polarity_words = std::stof(value);
       }},
      {"folds",
       [&](const std::string& value) { options.folds = std::stoi(value); }},
      {"sentence",
       [&](const std::string& value) { options.sentence = value != "0"; }},
      {"speed",
       [&](const std::string& value) { options.speed = value != "0"; }},
      {"epochs",
       [&](const std::string& value) {
         options.trainer.epochs = std::stoi(value);
       }},
      {"learning_rate",
       [&](const std::string& value) {
         options.trainer.learning_rate = std::stof(value);
       }},
      {"l2",
       [&](const std::string& value) {
         options.trainer.l2 = std::stof(value);
       }},
      {"seed",
       [&](const std::string& value) {
         options.trainer.seed = std::stoull(value);
       }},
      {"learner",
       [&](const std::string& value) {
         options.trainer.lbfgs = value == "lbfgs";
       }},
      {"iterations",
       [&](const std::string& value) {
         options.trainer.iterations = std::stoi(value);
       }},
      {"nb_floor",
       [&](const std::string& value) {
         options.trainer.nb_floor = std::stof(value);
       }},
      {"label_smoothing",
       [&](const std::string& value) {
         options.trainer.label_smoothing = std::stof(value);
       }},
      {"row_bits",
       [&](const std::string& value) {
         options.trainer.row_bits = std::stoi(value);
       }},
  };
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    const size_t equals = argument.find('=');
    if (!argument.starts_with("--") || equals == std::string::npos) {
      std::fprintf(stderr,
                   "bad argument %s (see the top of train_sentiment.cc)\n",
                   argument.c_str());
      return 2;
    }
    const std::string name = argument.substr(2, equals - 2);
    auto setter = setters.find(name);
    if (setter == setters.end()) {
      std::fprintf(stderr, "unknown option --%s\n", name.c_str());
      return 2;
    }
    setter->second(argument.substr(equals + 1));
  }
  if (options.language != "de" && options.language != "en") {
    std::fprintf(stderr, "--language must be de or en\n");
    return 2;
  }
  return nlpd::sentiment::Run(options);
}
