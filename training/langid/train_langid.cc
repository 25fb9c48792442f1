// nlpd_train_langid: trains the character n-gram language model that ranks
// the requested analyses' languages when CLD2 is unsure of a short text
// (text::CharNgramModel, server/text/model/langid_ngrams.bin).
//
//   nlpd_train_langid --corpus=FILE.tsv [--orders=N] [--bits=B]
//                     [--alpha=A] [--grid] [--out=FILE]
//
// FILE.tsv is what corpus.py writes (language, source, sentence; training
// splits only). A tenth of the sentences (by a hash of their text) is held
// out; the model is trained on the rest, each language on the same number
// of characters (a seeded shuffle decides which sentences), and measured
// on the held-out sentences' first 2-6 words the way the server decides:
// CLD2's guess when IsConfident, else for a request of analyses in de and
// en (ChooseLanguage with the model; "CLD2 hinted" is ChooseLanguage
// without it). --grid measures every n-gram order 1-5, bucket bits
// 14-20 and smoothing in {0.01, 0.03, 0.1, 0.3, 1} and prints them best
// first. With --out, the model is then trained on all the sentences with
// the given settings and written there. Deterministic: two runs give the
// same file.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "text/char_ngram_model.h"
#include "text/language_choice.h"
#include "text/language_id.h"

namespace {

using nlpd::text::CharNgramModel;
using nlpd::text::kMaxNgramOrder;

constexpr int kMaxBits = 20;
constexpr uint64_t kSeed = 1;

struct Sentence {
  int language = 0;  // index into the language list
  std::string text;
};

// FNV-1a of the text: which tenth a sentence is in (0 is held out).
int FoldOf(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : text) {
    h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  }
  return static_cast<int>(h % 10);
}

// Code points of UTF-8 text.
size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(
      text.begin(), text.end(),
      [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The n-gram counts of one language, per order, at kMaxBits buckets.
struct Counts {
  std::vector<std::vector<uint32_t>> per_order;  // [order - 1][bucket]
  Counts()
      : per_order(kMaxNgramOrder,
                  std::vector<uint32_t>(size_t{1} << kMaxBits, 0)) {}
};

// Counts `sentences` per language, each language on the same number of
// code points (the smallest language's), chosen by a seeded shuffle.
std::vector<Counts> Count(const std::vector<const Sentence*>& sentences,
                          int languages) {
  std::vector<std::vector<const Sentence*>> by_language(languages);
  for (const Sentence* s : sentences) by_language[s->language].push_back(s);
  size_t budget = SIZE_MAX;
  for (auto& list : by_language) {
    // Fisher-Yates with mt19937 (specified output), so every platform
    // shuffles alike.
    std::mt19937_64 random(kSeed);
    for (size_t i = list.size(); i > 1; --i) {
      std::swap(list[i - 1], list[random() % i]);
    }
    size_t size = 0;
    for (const Sentence* s : list) size += CodePoints(s->text);
    budget = std::min(budget, size);
  }
  std::vector<Counts> counts(languages);
  for (int l = 0; l < languages; ++l) {
    size_t used = 0;
    for (const Sentence* s : by_language[l]) {
      if (used >= budget) break;
      used += CodePoints(s->text);
      nlpd::text::ForEachNgram(s->text, kMaxNgramOrder, kMaxBits,
                               [&](int order, uint32_t bucket) {
                                 ++counts[l].per_order[order - 1][bucket];
                               });
    }
  }
  return counts;
}

struct Settings {
  int orders = 4;
  int bits = 16;
  double alpha = 0.1;
};

// Natural-log probabilities per language for `settings`: additive
// smoothing over the 2^bits buckets of orders 1..settings.orders.
std::vector<std::vector<double>> LogProbabilities(
    const std::vector<Counts>& counts, const Settings& settings) {
  std::vector<std::vector<double>> tables;
  const size_t size = size_t{1} << settings.bits;
  const int shift = kMaxBits - settings.bits;
  for (const Counts& c : counts) {
    std::vector<double> folded(size, 0);
    double total = 0;
    for (int order = 0; order < settings.orders; ++order) {
      const std::vector<uint32_t>& per_bucket = c.per_order[order];
      for (size_t b = 0; b < per_bucket.size(); ++b) {
        folded[b >> shift] += per_bucket[b];
        total += per_bucket[b];
      }
    }
    const double denominator =
        std::log(total + settings.alpha * static_cast<double>(size));
    for (double& value : folded) {
      value = std::log(value + settings.alpha) - denominator;
    }
    tables.push_back(std::move(folded));
  }
  return tables;
}

// The held-out snippets: a sentence's first 2-6 words, as snippets.py
// makes them, with what CLD2 says and the n-grams at kMaxBits.
struct Snippet {
  int language = 0;
  int words = 0;
  std::string text;
  nlpd::text::LanguageGuess guess;
  std::string hinted_choice;  // ChooseLanguage without the model
  std::vector<std::pair<uint8_t, uint32_t>> ngrams;  // order, bucket
};

class Support final : public nlpd::text::LanguageSupport {
 public:
  explicit Support(std::vector<std::string> languages)
      : languages_(std::move(languages)) {}
  int Runnable(std::string_view language) const override {
    const std::string_view primary = nlpd::text::PrimarySubtag(language);
    return std::find(languages_.begin(), languages_.end(), primary) !=
                   languages_.end()
               ? 1
               : 0;
  }
  std::span<const std::string> Languages() const override { return languages_; }

 private:
  std::vector<std::string> languages_;
};

std::vector<Snippet> MakeSnippets(const std::vector<const Sentence*>& sentences,
                                  const std::vector<std::string>& languages,
                                  const Support& support) {
  std::vector<Snippet> snippets;
  for (const Sentence* s : sentences) {
    const std::vector<absl::string_view> words = absl::StrSplit(s->text, ' ');
    if (words.size() < 3) continue;
    for (size_t n = 2; n <= 6 && n < words.size(); ++n) {
      Snippet snippet;
      snippet.language = s->language;
      snippet.words = static_cast<int>(n);
      snippet.text = std::string(s->text.substr(
          0, static_cast<size_t>(words[n - 1].data() + words[n - 1].size() -
                                 s->text.data())));
      snippet.guess = nlpd::text::IdentifyLanguage(snippet.text);
      if (!snippet.guess.confident) {
        snippet.hinted_choice =
            nlpd::text::ChooseLanguage(
                snippet.guess, "", &support,
                [](std::string_view) { return std::optional<double>(); },
                [&snippet](std::string_view language) {
                  return nlpd::text::HintedLanguageScore(snippet.text,
                                                         language);
                })
                .language;
      }
      nlpd::text::ForEachNgram(snippet.text, kMaxNgramOrder, kMaxBits,
                               [&](int order, uint32_t bucket) {
                                 snippet.ngrams.emplace_back(order, bucket);
                               });
      snippets.push_back(std::move(snippet));
    }
  }
  (void)languages;
  return snippets;
}

// Accuracy of the server's decision on the snippets, per language and
// word count; model tables null: CLD2's hinted score.
struct Accuracy {
  // [language][words] -> right, all
  std::map<int, std::map<int, std::pair<int, int>>> cells;
  double Of(int language, int min_words, int max_words) const {
    int right = 0;
    int all = 0;
    const auto found = cells.find(language);
    if (found == cells.end()) return 0;
    for (const auto& [words, counts] : found->second) {
      if (words < min_words || words > max_words) continue;
      right += counts.first;
      all += counts.second;
    }
    return all == 0 ? 0 : 100.0 * right / all;
  }
  double Objective(int languages) const {
    double sum = 0;
    for (int l = 0; l < languages; ++l) sum += Of(l, 2, 6);
    return sum / languages;
  }
};

// The model's best language of a snippet (index), nullopt without n-grams.
std::optional<int> ModelChoice(const Snippet& snippet,
                               const std::vector<std::vector<double>>& tables,
                               const Settings& settings) {
  std::optional<int> best;
  double best_score = 0;
  const int shift = kMaxBits - settings.bits;
  for (size_t l = 0; l < tables.size(); ++l) {
    double score = 0;
    bool any = false;
    for (const auto& [order, bucket] : snippet.ngrams) {
      if (order > settings.orders) continue;
      score += tables[l][bucket >> shift];
      any = true;
    }
    if (!any) return std::nullopt;
    if (!best || score > best_score) {
      best = static_cast<int>(l);
      best_score = score;
    }
  }
  return best;
}

enum class Rule {
  kHinted,           // CLD2 candidates, then CLD2's hinted score
  kModelAfterGuess,  // CLD2 candidates, then the model
  kModelFirst,       // the model, whatever CLD2's unsure guess
};

Accuracy Measure(const std::vector<Snippet>& snippets,
                 const std::vector<std::string>& languages,
                 const std::vector<std::vector<double>>* tables,
                 const Settings& settings, Rule rule) {
  Accuracy accuracy;
  for (const Snippet& snippet : snippets) {
    std::string chosen;
    if (snippet.guess.confident) {
      chosen = std::string(snippet.guess.code);
    } else if (rule == Rule::kHinted || tables == nullptr) {
      chosen = snippet.hinted_choice;
    } else {
      const std::string_view guess = snippet.guess.code;
      const bool guess_supported = std::find(languages.begin(), languages.end(),
                                             guess) != languages.end();
      const std::optional<int> model = ModelChoice(snippet, *tables, settings);
      if ((rule == Rule::kModelAfterGuess && guess_supported) ||
          !model.has_value()) {
        chosen = snippet.hinted_choice;
      } else {
        chosen = languages[*model];
      }
    }
    auto& [right, all] = accuracy.cells[snippet.language][snippet.words];
    right += chosen == languages[snippet.language];
    ++all;
  }
  return accuracy;
}

void PrintRow(const char* name, const Accuracy& a, int languages) {
  std::printf("%-44s", name);
  for (int l = 0; l < languages; ++l) {
    std::printf(" %6.1f %6.1f %6.1f", a.Of(l, 2, 2), a.Of(l, 3, 3),
                a.Of(l, 2, 6));
  }
  std::printf("  %6.2f\n", a.Objective(languages));
}

void PrintHeader(const std::vector<std::string>& languages) {
  std::printf("%-44s", "held-out tenth, accuracy %");
  for (const std::string& l : languages) {
    std::printf(" %4s-2w %4s-3w %3s-2-6", l.c_str(), l.c_str(), l.c_str());
  }
  std::printf("  mean 2-6\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus_path;
  std::string out_path;
  Settings settings;
  bool grid = false;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    bool ok = true;
    if (argument.starts_with("--corpus=")) {
      corpus_path = argument.substr(9);
    } else if (argument.starts_with("--out=")) {
      out_path = argument.substr(6);
    } else if (argument.starts_with("--orders=")) {
      ok = absl::SimpleAtoi(argument.substr(9), &settings.orders) &&
           settings.orders >= 1 && settings.orders <= kMaxNgramOrder;
    } else if (argument.starts_with("--bits=")) {
      ok = absl::SimpleAtoi(argument.substr(7), &settings.bits) &&
           settings.bits >= nlpd::text::kMinBucketBits &&
           settings.bits <= kMaxBits;
    } else if (argument.starts_with("--alpha=")) {
      ok = absl::SimpleAtod(argument.substr(8), &settings.alpha) &&
           settings.alpha > 0;
    } else if (argument == "--grid") {
      grid = true;
    } else {
      ok = false;
    }
    if (!ok) {
      std::fprintf(stderr,
                   "usage: nlpd_train_langid --corpus=FILE.tsv [--orders=1-5] "
                   "[--bits=8-20] [--alpha=A>0] [--grid] [--out=FILE]\n");
      return 2;
    }
  }
  std::ifstream input(corpus_path);
  if (corpus_path.empty() || !input) {
    std::fprintf(stderr, "nlpd_train_langid: cannot read '%s'\n",
                 corpus_path.c_str());
    return 1;
  }
  std::vector<std::string> languages;
  std::vector<Sentence> sentences;
  for (std::string line; std::getline(input, line);) {
    std::vector<std::string> fields =
        absl::StrSplit(line, absl::MaxSplits('\t', 2));
    if (fields.size() != 3) continue;
    auto found = std::find(languages.begin(), languages.end(), fields[0]);
    if (found == languages.end()) {
      languages.push_back(fields[0]);
      found = languages.end() - 1;
    }
    sentences.push_back(
        {static_cast<int>(found - languages.begin()), std::move(fields[2])});
  }
  const int language_count = static_cast<int>(languages.size());
  std::vector<const Sentence*> train;
  std::vector<const Sentence*> heldout;
  std::vector<const Sentence*> all;
  for (const Sentence& s : sentences) {
    (FoldOf(s.text) == 0 ? heldout : train).push_back(&s);
    all.push_back(&s);
  }
  std::printf("%zu sentences (%zu held out) in", sentences.size(),
              heldout.size());
  for (const std::string& l : languages) std::printf(" %s", l.c_str());
  std::printf("\n");

  const Support support(languages);
  const std::vector<Snippet> snippets =
      MakeSnippets(heldout, languages, support);
  const std::vector<Counts> counts = Count(train, language_count);

  PrintHeader(languages);
  PrintRow("CLD2 (hinted fallback)",
           Measure(snippets, languages, nullptr, settings, Rule::kHinted),
           language_count);
  // The server's own decision (ChooseLanguage) with the settings' model,
  // quantized as in the file, trained on nine tenths.
  auto measure_settings = [&](const Settings& s) {
    const CharNgramModel model = CharNgramModel::Quantize(
        s.orders, s.bits, languages, LogProbabilities(counts, s));
    Accuracy accuracy;
    for (const Snippet& snippet : snippets) {
      const nlpd::text::LanguageChoice choice = nlpd::text::ChooseLanguage(
          snippet.guess, "", &support,
          [&](std::string_view language) {
            return model.Score(snippet.text, language);
          },
          [&](std::string_view language) {
            return nlpd::text::HintedLanguageScore(snippet.text, language);
          });
      auto& [right, all] = accuracy.cells[snippet.language][snippet.words];
      right += nlpd::text::PrimarySubtag(choice.language) ==
               languages[snippet.language];
      ++all;
    }
    char name[96];
    std::snprintf(name, sizeof name, "server: n<=%d bits=%d a=%g, quantized",
                  s.orders, s.bits, s.alpha);
    PrintRow(name, accuracy, language_count);
  };
  if (grid) {
    struct Point {
      Settings settings;
      Rule rule;
      Accuracy accuracy;
    };
    std::vector<Point> points;
    for (int orders = 1; orders <= kMaxNgramOrder; ++orders) {
      for (int bits = 14; bits <= kMaxBits; bits += 2) {
        for (double alpha : {0.01, 0.03, 0.1, 0.3, 1.0}) {
          const Settings s{orders, bits, alpha};
          const std::vector<std::vector<double>> tables =
              LogProbabilities(counts, s);
          for (const Rule rule : {Rule::kModelAfterGuess, Rule::kModelFirst}) {
            points.push_back(
                {s, rule, Measure(snippets, languages, &tables, s, rule)});
          }
        }
      }
    }
    std::stable_sort(points.begin(), points.end(),
                     [&](const Point& a, const Point& b) {
                       return a.accuracy.Objective(language_count) >
                              b.accuracy.Objective(language_count);
                     });
    for (const Point& p : points) {
      char name[96];
      std::snprintf(name, sizeof name, "n<=%d bits=%d a=%g %s",
                    p.settings.orders, p.settings.bits, p.settings.alpha,
                    p.rule == Rule::kModelFirst ? "first" : "after-guess");
      PrintRow(name, p.accuracy, language_count);
    }
  }
  measure_settings(settings);
  if (out_path.empty()) return 0;

  // The file: trained on every sentence, quantized; its held-out figures
  // above are of the same settings trained on nine tenths.
  const std::vector<Counts> all_counts = Count(all, language_count);
  const CharNgramModel model =
      CharNgramModel::Quantize(settings.orders, settings.bits, languages,
                               LogProbabilities(all_counts, settings));
  const std::string bytes = model.Serialize();
  std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "nlpd_train_langid: cannot write '%s'\n",
                 out_path.c_str());
    return 1;
  }
  std::printf("wrote %s (%zu bytes)\n", out_path.c_str(), bytes.size());
  return 0;
}
