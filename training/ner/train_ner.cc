// nlpd_train_ner: trains the entities plugin's tagger (hashed features with
// Viterbi decoding, see plugins/entities/ner/tagger.h) as an averaged
// structured perceptron (default) or as a linear-chain CRF with L-BFGS
// (--learner=crf, crf.h), evaluates it on a dev split and writes the model
// file. Deterministic: the perceptron's only randomness is the sentence
// order, from a fixed seed; the CRF has none.
//
//   nlpd_train_ner --language=de --train=germ.train.iob2 --dev=germ.dev.iob2
//                  --out=plugins/entities/model/ner_de.bin [--epochs=10]
//                  [--seed=1] [--row_bits=20]
//                  [--deriv_part=outside|misc|deriv_misc|main]
//                  [--dictionary=FILE] [--place_names=0|1]
//                  [--lower_vocabulary=1|0] [--institution_seats=FILE]
//                  [--learner=perceptron|crf] [--l2=C] [--l1=C]
//                  [--iterations=N] [--report_every=N] [--threads=N]
//                  [--heldout=K]  (evaluate on every K-th training sentence
//                                  instead of --dev, train on the rest)
#include <unicode/locid.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>
#include <unicode/tznames.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "crf.h"
#include "ner/tagger.h"
#include "ner_data.h"

namespace nlpd::ner {
namespace {

using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}
// Processor time of this process so far (the VM's cores are shared, so
// wall time varies with other jobs).
double ProcessorSeconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

struct Options {
  std::string language = "de";
  std::string train, dev, out;
  bool lower_vocabulary = true;  // --lower_vocabulary=0: ablation
  bool place_names = false;      // --place_names=1: CLDR countries and cities
  std::string dictionary;  // e.g. /usr/share/dict/ngerman (Debian wngerman)
  int epochs = 10;
  unsigned seed = 1;
  int row_bits = 20;
  int gazetteer_folds = 0;  // 0: no training-data gazetteer; < 0: no folds
  int gazetteer_min = 1;
  bool part_model = false;  // --part_model=1: GermEval *part decision
  DerivPart deriv_part = DerivPart::kOutside;
  // --institution_seats=FILE: apply the project's institution convention
  // (ApplyInstitutionConvention, seats one per line) to the training data;
  // dev keeps its own labels.
  std::string institution_seats;
  bool crf = false;  // --learner=crf
  double l2 = 0, l1 = 0;
  int iterations = 300;  // CRF: at most this many L-BFGS iterations
  int report_every = 0;  // CRF: dev F1 every N iterations
  int threads = 1;       // CRF: threads for the gradient (1..4)
  int heldout = 0;       // > 0: evaluate on training sentences i % K == K-1
};

Evaluation Evaluate(const Tagger& tagger, const std::vector<Sentence>& data) {
  Evaluation evaluation;
  std::vector<int> tags;
  for (const Sentence& s : data) {
    auto words = s.Views();
    tagger.Tag(words, tags);
    evaluation.Add(s.tags, tags);
  }
  return evaluation;
}

// Brier score of entity confidences against exact correctness.
double Brier(const Tagger& tagger, const std::vector<Sentence>& data) {
  double sum = 0;
  int64_t n = 0;
  for (const Sentence& s : data) {
    auto words = s.Views();
    auto gold = SpansFromTags(s.tags);
    for (const TaggedEntity& e : tagger.Entities(words)) {
      bool correct = false;
      for (auto& g : gold) correct |= g == e.span;
      sum += std::pow(e.confidence - (correct ? 1.0 : 0.0), 2);
      ++n;
    }
  }
  return n ? sum / static_cast<double>(n) : 0;
}

// Brier score of the part decision's confidences on the compounds the tagger
// leaves O (FeatureExtractor::CompoundPart), against the *part tags.
struct PartBrier {
  double brier = 0;
  int64_t candidates = 0;
};
PartBrier PartDecisionBrier(const Tagger& tagger,
                            const std::vector<Sentence>& data) {
  PartBrier result;
  double sum = 0;
  std::vector<int> tags;
  for (const Sentence& s : data) {
    if (s.parts.empty()) continue;
    auto words = s.Views();
    tagger.Tag(words, tags);
    for (int k = 0; k < static_cast<int>(words.size()); ++k) {
      if (tags[k] != kOutside ||
          FeatureExtractor::CompoundPart(words[k]) == 0) {
        continue;
      }
      float confidence = 0;
      const int type = tagger.PartType(words, k, &confidence);
      sum += std::pow(confidence - (type == s.parts[k] ? 1.0 : 0.0), 2);
      ++result.candidates;
    }
  }
  if (result.candidates > 0) {
    result.brier = sum / static_cast<double>(result.candidates);
  }
  return result;
}

// Country names (CLDR, through ICU) in German and English, and the exemplar
// cities of the time zones in German and English.
std::vector<std::string> CldrPlaceNames() {
  std::vector<std::string> names;
  auto add = [&](const icu::UnicodeString& name) {
    std::string utf8;
    name.toUTF8String(utf8);
    if (!utf8.empty()) names.push_back(utf8);
  };
  for (const char* const* c = icu::Locale::getISOCountries(); *c; ++c) {
    icu::UnicodeString name;
    icu::Locale region("", *c);
    for (const char* in : {"de", "en"}) {
      add(region.getDisplayCountry(icu::Locale(in), name));
    }
  }
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::StringEnumeration> zones(
      icu::TimeZone::createEnumeration(status));
  for (const char* in : {"de", "en"}) {
    std::unique_ptr<icu::TimeZoneNames> tz_names(
        icu::TimeZoneNames::createInstance(icu::Locale(in), status));
    if (U_FAILURE(status) || !zones) break;
    zones->reset(status);
    while (const icu::UnicodeString* id = zones->snext(status)) {
      icu::UnicodeString city;
      tz_names->getExemplarLocationName(*id, city);
      add(city);
    }
  }
  return names;
}

int Run(const Options& options) {
  std::string error;
  // --train and --dev take comma-separated datasets ("conll:PATH",
  // "germeval:PATH"); the training sets are concatenated, each dev set is
  // evaluated on its own, and the first one picks the temperature.
  auto split = [](const std::string& list) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      if (comma == std::string::npos) comma = list.size();
      if (comma > start) parts.push_back(list.substr(start, comma - start));
      start = comma + 1;
    }
    return parts;
  };
  std::vector<Sentence> train, dev;
  std::vector<std::pair<std::string, std::vector<Sentence>>> devs;
  for (const std::string& spec : split(options.train)) {
    if (!ReadDataset(spec, options.deriv_part, train, &error)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 1;
    }
  }
  for (const std::string& spec :
       split(options.heldout > 0 ? std::string() : options.dev)) {
    devs.emplace_back(spec, std::vector<Sentence>());
    if (!ReadDataset(spec, options.deriv_part, devs.back().second, &error)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      return 1;
    }
  }
  if (options.heldout > 0) {
    // Every K-th training sentence is evaluated instead of the dev sets
    // (for choosing settings without looking at dev).
    std::vector<Sentence> kept, heldout;
    for (size_t i = 0; i < train.size(); ++i) {
      (static_cast<int>(i % options.heldout) == options.heldout - 1 ? heldout
                                                                    : kept)
          .push_back(std::move(train[i]));
    }
    train = std::move(kept);
    devs.assign(1, {"heldout", std::move(heldout)});
  }
  dev = devs.front().second;
  if (!options.institution_seats.empty()) {
    std::ifstream file(options.institution_seats);
    if (!file) {
      std::fprintf(stderr, "cannot read %s\n",
                   options.institution_seats.c_str());
      return 1;
    }
    std::vector<std::string> seats;
    for (std::string line; std::getline(file, line);) {
      if (!line.empty() && line[0] != '#') seats.push_back(line);
    }
    std::printf("institution convention: %d training tokens relabeled ORG\n",
                ApplyInstitutionConvention(train, seats));
  }
  int64_t train_tokens = 0, dev_tokens = 0;
  for (auto& s : train) train_tokens += static_cast<int64_t>(s.words.size());
  for (auto& s : dev) dev_tokens += static_cast<int64_t>(s.words.size());
  std::printf(
      "train: %zu sentences, %ld tokens; dev: %zu sentences, %ld tokens\n",
      train.size(), train_tokens, dev.size(), dev_tokens);

  const auto start = Clock::now();
  LowerVocabulary vocabulary;
  for (auto& s : train) {
    auto words = s.Views();
    vocabulary.Count(words);
  }
  vocabulary.Finish();
  if (!options.lower_vocabulary) vocabulary.mutable_classes().clear();
  if (!options.dictionary.empty()) {
    std::ifstream in(options.dictionary);
    if (!in) {
      std::fprintf(stderr, "cannot read %s\n", options.dictionary.c_str());
      return 1;
    }
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::vector<std::string_view> views(lines.begin(), lines.end());
    vocabulary.AddDictionary(views);
    std::printf("dictionary %s: %zu words\n", options.dictionary.c_str(),
                lines.size());
  }
  if (options.place_names) {
    std::vector<std::string> places = CldrPlaceNames();
    vocabulary.AddPlaceNames(places);
    std::printf("CLDR place names: %zu\n", places.size());
  }
  // Training-data gazetteer. The model gets the one of all training
  // sentences; a training sentence's features use one built from the other
  // folds only, so the weights learn how far the gazetteer is to be trusted
  // on names it has not seen (as on new text) instead of memorizing.
  const int folds = options.gazetteer_folds;
  std::vector<LowerVocabulary> fold_gazetteers(std::max(folds, 1));
  if (folds != 0) {  // < 0: no folds (ablation: the full gazetteer everywhere)
    for (size_t i = 0; i < train.size(); ++i) {
      auto words = train[i].Views();
      vocabulary.CountNames(words, train[i].tags);
      for (int f = 0; f < folds; ++f) {
        if (static_cast<int>(i % folds) != f) {
          fold_gazetteers[f].CountNames(words, train[i].tags);
        }
      }
    }
    vocabulary.FinishGazetteer(options.gazetteer_min);
    for (auto& g : fold_gazetteers) g.FinishGazetteer(options.gazetteer_min);
  }
  std::vector<SentenceFeatures> features(train.size());
  for (size_t i = 0; i < train.size(); ++i) {
    auto words = train[i].Views();
    FeatureExtractor extractor(
        &vocabulary, options.row_bits,
        folds > 0 ? &fold_gazetteers[i % folds] : &vocabulary);
    extractor.Extract(words, features[i].rows, features[i].offsets);
  }

  constexpr int T = kNumTags;
  const size_t n_weights = (size_t{1} << options.row_bits) * T;
  const size_t n_trans = size_t{T + 1} * T;
  std::vector<float> w(n_weights, 0), u(n_weights, 0), tw(n_trans, 0),
      tu(n_trans, 0);
  double c = 1;
  std::vector<size_t> order(train.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937_64 random(options.seed);
  std::vector<float> emissions;
  std::vector<int> predicted;

  auto averaged = [&] {
    ModelData data;
    data.row_bits = options.row_bits;
    data.weights.resize(n_weights);
    data.transitions.resize(n_trans);
    // Averaged weights, computed in double and stored as float.
    for (size_t k = 0; k < n_weights; ++k) {
      data.weights[k] = static_cast<float>(w[k] - u[k] / c);
    }
    for (size_t k = 0; k < n_trans; ++k) {
      data.transitions[k] = static_cast<float>(tw[k] - tu[k] / c);
    }
    data.lower_classes = vocabulary.classes();
    return data;
  };

  ModelData crf_model;
  if (options.crf) {
    // Linear-chain CRF over the same cached features (each training
    // sentence featurized once, with its fold's gazetteer).
    CrfOptions crf_options;
    crf_options.row_bits = options.row_bits;
    crf_options.l2 = options.l2;
    crf_options.l1 = options.l1;
    crf_options.max_iterations = options.iterations;
    crf_options.threads = options.threads;
    crf_options.report_every = options.report_every;
    crf_options.report = [&](int iteration, double objective,
                             std::span<const float> weights,
                             std::span<const float> transitions) {
      ModelData current;
      current.row_bits = options.row_bits;
      current.weights.assign(weights.begin(), weights.end());
      current.transitions.assign(transitions.begin(), transitions.end());
      current.lower_classes = vocabulary.classes();
      Evaluation e = Evaluate(*Tagger::FromData(std::move(current)), dev);
      std::printf(
          "iteration %3d: objective %.1f, dev F1 PER+LOC+ORG %.4f, all %.4f "
          "(%.0f s)\n",
          iteration, objective, e.PerLocOrg().F1(), e.All().F1(),
          Seconds(start));
      std::fflush(stdout);
    };
    std::vector<const std::vector<int>*> tags(train.size());
    for (size_t i = 0; i < train.size(); ++i) tags[i] = &train[i].tags;
    CrfResult result = TrainCrf(features, tags, crf_options, crf_model.weights,
                                crf_model.transitions);
    crf_model.row_bits = options.row_bits;
    crf_model.lower_classes = vocabulary.classes();
    size_t nonzero = 0;
    for (float v : crf_model.weights) nonzero += v != 0;
    std::printf(
        "crf: l2 %g, l1 %g: %d iterations, status %d, objective %.1f, %zu "
        "non-zero weights, %ld sentences skipped (%.0f s, processor %.0f "
        "s)\n",
        options.l2, options.l1, result.iterations, result.status,
        result.objective, nonzero, result.skipped_sentences, Seconds(start),
        ProcessorSeconds());
  }
  // The perceptron (the CRF has no epochs).
  for (int epoch = 1; !options.crf && epoch <= options.epochs; ++epoch) {
    // Fisher-Yates with mt19937_64 (standardized), so the order is the same
    // with every standard library.
    for (size_t i = order.size() - 1; i > 0; --i) {
      std::swap(order[i], order[random() % (i + 1)]);
    }
    int64_t errors = 0;
    for (size_t index : order) {
      const Sentence& s = train[index];
      const SentenceFeatures& f = features[index];
      const int n = static_cast<int>(s.words.size());
      emissions.assign(static_cast<size_t>(n) * T, 0);
      for (int i = 0; i < n; ++i) {
        for (uint32_t k = f.offsets[i]; k < f.offsets[i + 1]; ++k) {
          const float* row = &w[size_t{f.rows[k]} * T];
          for (int t = 0; t < T; ++t) emissions[i * T + t] += row[t];
        }
      }
      Viterbi(emissions, tw, n, predicted);
      if (predicted != s.tags) {
        for (int i = 0; i < n; ++i) {
          const int g = s.tags[i], p = predicted[i];
          const int gp = i ? s.tags[i - 1] : -1, pp = i ? predicted[i - 1] : -1;
          if (g != p) {
            ++errors;
            for (uint32_t k = f.offsets[i]; k < f.offsets[i + 1]; ++k) {
              size_t r = size_t{f.rows[k]} * T;
              w[r + g] += 1;
              u[r + g] = static_cast<float>(u[r + g] + c);
              w[r + p] -= 1;
              u[r + p] = static_cast<float>(u[r + p] - c);
            }
          }
          if (g != p || gp != pp) {
            tw[(gp + 1) * T + g] += 1;
            tu[(gp + 1) * T + g] = static_cast<float>(tu[(gp + 1) * T + g] + c);
            tw[(pp + 1) * T + p] -= 1;
            tu[(pp + 1) * T + p] = static_cast<float>(tu[(pp + 1) * T + p] - c);
          }
        }
      }
      c += 1;
    }
    auto tagger = Tagger::FromData(averaged());
    Evaluation e = Evaluate(*tagger, dev);
    std::printf(
        "epoch %2d: token errors %ld, dev F1 PER+LOC+ORG %.4f, all %.4f (%.0f "
        "s)\n",
        epoch, errors, e.PerLocOrg().F1(), e.All().F1(), Seconds(start));
    std::fflush(stdout);
  }
  const double train_seconds = Seconds(start);

  ModelData data = options.crf ? std::move(crf_model) : averaged();
  if (options.part_model) {
    // The part decision: for hyphenated compounds tagged O whose first
    // part is capitalized, is that part a name, of which type (GermEval's
    // *part tags)? Multiclass averaged perceptron on its own rows of the
    // same table, columns O and B-X.
    struct Example {
      std::vector<uint32_t> rows;
      int label;  // 0: O, 1 + type
    };
    std::vector<Example> examples;
    for (size_t i = 0; i < train.size(); ++i) {
      const Sentence& s = train[i];
      if (s.parts.empty()) continue;
      auto words = s.Views();
      FeatureExtractor extractor(
          &vocabulary, options.row_bits,
          folds > 0 ? &fold_gazetteers[i % folds] : &vocabulary);
      for (int k = 0; k < static_cast<int>(words.size()); ++k) {
        if (s.tags[k] != kOutside ||
            FeatureExtractor::CompoundPart(words[k]) == 0) {
          continue;
        }
        Example e;
        extractor.PartFeatures(words, k, e.rows);
        e.label = s.parts[k] + 1;
        examples.push_back(std::move(e));
      }
    }
    auto column = [](int label) {
      return label == 0 ? kOutside : BeginTag(label - 1);
    };
    std::vector<float> pw(n_weights, 0), pu(n_weights, 0);
    double pc = 1;
    std::mt19937_64 part_random(options.seed + 1);
    std::vector<size_t> part_order(examples.size());
    for (size_t i = 0; i < part_order.size(); ++i) part_order[i] = i;
    for (int epoch = 1; epoch <= options.epochs; ++epoch) {
      for (size_t i = part_order.size(); i > 1; --i) {
        std::swap(part_order[i - 1], part_order[part_random() % i]);
      }
      for (size_t index : part_order) {
        const Example& e = examples[index];
        float score[1 + kNumTypes] = {};
        for (uint32_t r : e.rows) {
          for (int k = 0; k <= kNumTypes; ++k) {
            score[k] += pw[size_t{r} * T + column(k)];
          }
        }
        int best = 0;
        for (int k = 1; k <= kNumTypes; ++k) {
          if (score[k] > score[best]) best = k;
        }
        if (best != e.label) {
          for (uint32_t r : e.rows) {
            size_t g = size_t{r} * T + column(e.label),
                   p = size_t{r} * T + column(best);
            pw[g] += 1;
            pu[g] = static_cast<float>(pu[g] + pc);
            pw[p] -= 1;
            pu[p] = static_cast<float>(pu[p] - pc);
          }
        }
        pc += 1;
      }
    }
    float part_scale = 1;
    if (options.crf) {
      // A CRF's scores are calibrated at temperature 1 (its temperature
      // pick below), the perceptron part decision's are not. So its weights
      // are divided by the temperature with the best Brier score of the
      // part decisions on the dev candidates; that also brings them to the
      // CRF weights' range (one quantization scale, hash collisions).
      // Undivided, they cost the CRF 0.007 F1 on held-out train.
      ModelData with_part = data;
      for (size_t k = 0; k < n_weights; ++k) {
        with_part.weights[k] =
            static_cast<float>(with_part.weights[k] + (pw[k] - pu[k] / pc));
      }
      with_part.part_model = true;
      double best = 1e9;
      for (float t : {1.0f, 2.0f, 4.0f, 8.0f, 16.0f, 32.0f, 64.0f}) {
        with_part.temperature = t;
        const PartBrier b =
            PartDecisionBrier(*Tagger::FromData(with_part), dev);
        std::printf("part decision temperature %4.0f: Brier %.4f (%ld)\n", t,
                    b.brier, b.candidates);
        if (b.candidates > 0 && b.brier < best) {
          best = b.brier;
          part_scale = 1 / t;
        }
      }
    }
    for (size_t k = 0; k < n_weights; ++k) {
      data.weights[k] = static_cast<float>(data.weights[k] +
                                           (pw[k] - pu[k] / pc) * part_scale);
    }
    data.part_model = true;
    std::printf("part decision: %zu training compounds, weights x %g\n",
                examples.size(), part_scale);
  }
  {
    // Float weights, before the file's 8-bit quantization (compare with the
    // table of the model as written, below).
    Evaluation e = Evaluate(*Tagger::FromData(data), dev);
    std::printf("float weights: dev F1 PER+LOC+ORG %.4f, all %.4f\n",
                e.PerLocOrg().F1(), e.All().F1());
  }
  // Confidence temperature: the one with the best Brier score on dev.
  {
    double best = 1e9;
    float best_t = 1;
    for (float t : {0.5f, 1.0f, 2.0f, 4.0f, 8.0f, 16.0f, 32.0f, 64.0f}) {
      data.temperature = t;
      auto tagger = Tagger::FromData(data);
      double b = Brier(*tagger, dev);
      std::printf("temperature %5.1f: Brier %.4f\n", t, b);
      if (b < best) {
        best = b;
        best_t = t;
      }
    }
    data.temperature = best_t;
  }
  std::string bytes = SerializeModel(data);
  auto tagger = Tagger::Load(bytes, &error);
  if (!tagger) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  // Tagging speed, one thread, over the dev split (3 passes).
  // Minimum confidence (the plugin's `min_confidence`): dev F1 when the
  // entities below it are left out.
  for (float threshold : {0.0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f}) {
    Evaluation e;
    std::vector<int> kept;
    for (const Sentence& s : dev) {
      auto words = s.Views();
      kept.assign(words.size(), kOutside);
      for (const TaggedEntity& found : tagger->Entities(words)) {
        if (found.part_bytes > 0 || found.confidence < threshold) continue;
        for (int k = found.span.begin; k < found.span.end; ++k) {
          kept[k] = k == found.span.begin ? BeginTag(found.span.type)
                                          : InsideTag(found.span.type);
        }
      }
      e.Add(s.tags, kept);
    }
    std::printf("min confidence %.1f: dev F1 PER+LOC+ORG %.4f, all %.4f\n",
                threshold, e.PerLocOrg().F1(), e.All().F1());
  }
  const auto tag_start = Clock::now();
  std::vector<int> tags;
  for (int pass = 0; pass < 3; ++pass) {
    for (const Sentence& s : dev) {
      auto words = s.Views();
      tagger->Tag(words, tags);
    }
  }
  const double tokens_per_second =
      3.0 * static_cast<double>(dev_tokens) / Seconds(tag_start);
  // The plugin's path: tags plus forward-backward confidences.
  const auto entities_start = Clock::now();
  size_t found = 0;
  for (int pass = 0; pass < 3; ++pass) {
    for (const Sentence& s : dev) {
      auto words = s.Views();
      found += tagger->Entities(words).size();
    }
  }
  const double entities_per_second =
      3.0 * static_cast<double>(dev_tokens) / Seconds(entities_start);

  for (const auto& [name, sentences] : devs) {
    std::printf("\nmodel %s (quantized, as written) on %s\n%s",
                options.language.c_str(), name.c_str(),
                Evaluate(*tagger, sentences).Table().c_str());
    if (!data.part_model) continue;
    // Part decision on compounds the tagger leaves O, against *part tags
    // (exact type); `all_parts` counts every *part token (recall ceiling).
    int64_t gold = 0, pred = 0, correct = 0, all_parts = 0;
    std::vector<int> tags;
    for (const Sentence& s : sentences) {
      if (s.parts.empty()) continue;
      auto words = s.Views();
      tagger->Tag(words, tags);
      for (int k = 0; k < static_cast<int>(words.size()); ++k) {
        all_parts += s.parts[k] >= 0;
        if (tags[k] != kOutside ||
            FeatureExtractor::CompoundPart(words[k]) == 0) {
          continue;
        }
        int p = tagger->PartType(words, k, nullptr);
        gold += s.parts[k] >= 0;
        pred += p >= 0;
        correct += p >= 0 && p == s.parts[k];
      }
    }
    const double precision =
        pred ? static_cast<double>(correct) / static_cast<double>(pred) : 0;
    const double recall =
        gold ? static_cast<double>(correct) / static_cast<double>(gold) : 0;
    const double f1 = precision + recall > 0
                          ? 2 * precision * recall / (precision + recall)
                          : 0;
    std::printf(
        "part decision: %lld *part tokens; %lld among candidate compounds, "
        "%lld predicted, %lld correct: P %.4f R %.4f F1 %.4f\n",
        static_cast<long long>(all_parts), static_cast<long long>(gold),
        static_cast<long long>(pred), static_cast<long long>(correct),
        precision, recall, f1);
  }
  std::printf(
      "training time %.1f s; model %.2f MB; tagging %.0f tokens/s (one "
      "thread), "
      "%.0f tokens/s with confidences (%zu entities); confidence temperature "
      "%.1f\n",
      train_seconds, static_cast<double>(bytes.size()) / 1e6, tokens_per_second,
      entities_per_second, found / 3, data.temperature);
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
}  // namespace nlpd::ner

int main(int argc, char** argv) {
  nlpd::ner::Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* name) -> const char* {
      std::string prefix = std::string("--") + name + "=";
      return arg.rfind(prefix, 0) == 0 ? argv[i] + prefix.size() : nullptr;
    };
    if (auto v = value("language")) {
      options.language = v;
    } else if (auto v = value("train")) {
      options.train = v;
    } else if (auto v = value("dev")) {
      options.dev = v;
    } else if (auto v = value("out")) {
      options.out = v;
    } else if (auto v = value("gazetteer_folds")) {
      options.gazetteer_folds = std::atoi(v);
    } else if (auto v = value("part_model")) {
      options.part_model = std::string(v) == "1";
    } else if (auto v = value("gazetteer_min")) {
      options.gazetteer_min = std::atoi(v);
    } else if (auto v = value("dictionary")) {
      options.dictionary = v;
    } else if (auto v = value("lower_vocabulary")) {
      options.lower_vocabulary = std::string(v) == "1";
    } else if (auto v = value("place_names")) {
      options.place_names = std::string(v) == "1";
    } else if (auto v = value("epochs")) {
      options.epochs = std::atoi(v);
    } else if (auto v = value("seed")) {
      options.seed = std::strtoul(v, nullptr, 10);
    } else if (auto v = value("row_bits")) {
      options.row_bits = std::atoi(v);
    } else if (auto v = value("institution_seats")) {
      options.institution_seats = v;
    } else if (auto v = value("learner")) {
      if (std::string(v) != "crf" && std::string(v) != "perceptron") {
        std::fprintf(stderr, "unknown learner %s\n", v);
        return 2;
      }
      options.crf = std::string(v) == "crf";
    } else if (auto v = value("l2")) {
      options.l2 = std::atof(v);
    } else if (auto v = value("l1")) {
      options.l1 = std::atof(v);
    } else if (auto v = value("iterations")) {
      options.iterations = std::atoi(v);
    } else if (auto v = value("report_every")) {
      options.report_every = std::atoi(v);
    } else if (auto v = value("threads")) {
      options.threads = std::clamp(std::atoi(v), 1, 4);
    } else if (auto v = value("heldout")) {
      options.heldout = std::atoi(v);
    } else if (auto v = value("deriv_part")) {
      std::string m = v;
      options.deriv_part = m == "misc" ? nlpd::ner::DerivPart::kMisc
                           : m == "deriv_misc"
                               ? nlpd::ner::DerivPart::kDerivMisc
                           : m == "main" ? nlpd::ner::DerivPart::kMainType
                                         : nlpd::ner::DerivPart::kOutside;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  if (options.train.empty() || (options.dev.empty() && options.heldout <= 0)) {
    std::fprintf(
        stderr,
        "usage: nlpd_train_ner --train=FILE --dev=FILE [--out=FILE] ...\n");
    return 2;
  }
  return nlpd::ner::Run(options);
}
