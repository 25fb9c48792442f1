// nlpd_eval_langid: the accuracy of the server's language identification on
// short snippets and whole sentences (the file snippets.py writes), before
// (CLD2's guess, as the server used it until the confidence rule), "hinted"
// (ChooseLanguage without the n-gram model: CLD2's hinted score, as the
// server decided until the model) and after (ChooseLanguage with the
// server's language model, for a request of an analysis that supports de
// and en, such as "entities", with no default_language), per language and
// length.
//   nlpd_eval_langid [--split=test|tune|all] [--tune] [--verbose] FILE.tsv
// --tune searches the thresholds of text::IsConfident on the split (use
// "tune") and prints the loosest rule whose confident guesses are right at
// least 99 % of the time for each of German and English; --verbose lists
// the texts the server now gets wrong.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "absl/strings/str_split.h"
#include "text/char_ngram_model.h"
#include "text/language_choice.h"
#include "text/language_id.h"

namespace {

using nlpd::text::LanguageGuess;

struct Item {
  std::string language;
  std::string split;
  int words = 0;
  std::string source;
  std::string text;
};

// A request of analyses that run in German and English (the built-in
// plugins).
class GermanOrEnglish final : public nlpd::text::LanguageSupport {
 public:
  int Runnable(std::string_view language) const override {
    const std::string_view primary = nlpd::text::PrimarySubtag(language);
    return primary == "de" || primary == "en" ? 1 : 0;
  }
  std::span<const std::string> Languages() const override { return languages_; }

 private:
  std::vector<std::string> languages_ = {"de", "en"};
};

std::string Bucket(int words) {
  if (words <= 6) return std::to_string(words);
  return words <= 12 ? "7-12" : "13+";
}

int BucketOrder(const std::string& bucket) {
  if (bucket == "7-12") return 7;
  if (bucket == "13+") return 13;
  return std::stoi(bucket);
}

struct Counts {
  int items = 0;
  int before = 0;  // CLD2's guess right
  int hinted = 0;  // the choice without the language model right
  int after = 0;   // the chosen language right
  int unsure = 0;  // not confident
  int undetermined = 0;
};

struct Scored {
  const Item* item;
  LanguageGuess guess;
  bool guess_right;
};

std::string Percent(int part, int whole) {
  if (whole == 0) return "-";
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.1f", 100.0 * part / whole);
  return buffer;
}

// The grid search of --tune: the rule "text_bytes >= bytes, or reliable and
// score + per_byte * text_bytes >= intercept" with the largest share of
// confident guesses whose precision is at least 99 % for de and for en.
void Tune(const std::vector<Scored>& scored) {
  struct Rule {
    int bytes;
    int intercept;
    int per_byte;
    double coverage;
    double worst_precision;
  };
  std::optional<Rule> best;
  for (int bytes : {30, 40, 50, 60, 70, 80, 100}) {
    for (int intercept = 500; intercept <= 3000; intercept += 100) {
      for (int per_byte = 0; per_byte <= 60; per_byte += 10) {
        std::map<std::string, std::pair<int, int>> confident;  // right, all
        int covered = 0;
        int total = 0;
        for (const Scored& s : scored) {
          if (s.item->language != "de" && s.item->language != "en") continue;
          ++total;
          const double score = s.guess.candidates[0].score;
          if (s.guess.text_bytes >= bytes ||
              (s.guess.reliable &&
               score + per_byte * s.guess.text_bytes >= intercept)) {
            ++covered;
            auto& [right, all] = confident[s.item->language];
            right += s.guess_right;
            ++all;
          }
        }
        double worst = 1;
        for (const auto& [language, counts] : confident) {
          worst = std::min(worst, 1.0 * counts.first / counts.second);
        }
        const double coverage = total == 0 ? 0 : 1.0 * covered / total;
        if (worst >= 0.99 && (!best || coverage > best->coverage)) {
          best = Rule{bytes, intercept, per_byte, coverage, worst};
        }
      }
    }
  }
  if (!best) {
    std::printf("no rule reaches 99 %% precision\n");
    return;
  }
  std::printf(
      "best rule: text_bytes >= %d, or reliable and score + %d * text_bytes "
      ">= %d: %.1f %% of the de/en texts confident, worst precision %.2f %%\n"
      "server's:  text_bytes >= %d, or reliable and score + %.0f * "
      "text_bytes >= %.0f\n",
      best->bytes, best->per_byte, best->intercept, 100 * best->coverage,
      100 * best->worst_precision, nlpd::text::kConfidentTextBytes,
      nlpd::text::kConfidentScorePerByte, nlpd::text::kConfidentScoreIntercept);
}

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  std::string split = "test";
  bool tune = false;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument.starts_with("--split=")) {
      split = argument.substr(8);
    } else if (argument == "--tune") {
      tune = true;
    } else if (argument == "--verbose") {
      verbose = true;
    } else if (argument == "--help") {
      std::printf(
          "usage: nlpd_eval_langid [--split=test|tune|all] [--tune] "
          "[--verbose] FILE.tsv\n");
      return 0;
    } else {
      path = argument;
    }
  }
  std::ifstream input(path);
  if (path.empty() || !input) {
    std::fprintf(stderr, "nlpd_eval_langid: cannot read '%s'\n", path.c_str());
    return 1;
  }
  std::vector<Item> items;
  for (std::string line; std::getline(input, line);) {
    std::vector<std::string> fields =
        absl::StrSplit(line, absl::MaxSplits('\t', 4));
    if (fields.size() != 5) continue;
    if (split != "all" && fields[1] != split) continue;
    items.push_back(
        {fields[0], fields[1], std::stoi(fields[2]), fields[3], fields[4]});
  }
  const absl::StatusOr<nlpd::text::CharNgramModel> model =
      nlpd::text::CharNgramModel::LoadEmbedded();
  if (!model.ok()) {
    std::fprintf(stderr, "nlpd_eval_langid: %s\n",
                 model.status().ToString().c_str());
    return 1;
  }
  const GermanOrEnglish support;
  std::vector<Scored> scored;
  scored.reserve(items.size());
  // language -> bucket -> counts
  std::map<std::string, std::map<std::string, Counts>> table;
  for (const Item& item : items) {
    const LanguageGuess guess = nlpd::text::IdentifyLanguage(item.text);
    const bool guess_right =
        nlpd::text::PrimarySubtag(guess.code) == item.language;
    scored.push_back({&item, guess, guess_right});
    auto hinted_score = [&item](std::string_view language) {
      return nlpd::text::HintedLanguageScore(item.text, language);
    };
    const nlpd::text::LanguageChoice hinted = nlpd::text::ChooseLanguage(
        guess, /*default_language=*/"", &support,
        [](std::string_view) { return std::optional<double>(); }, hinted_score);
    const nlpd::text::LanguageChoice choice = nlpd::text::ChooseLanguage(
        guess, /*default_language=*/"", &support,
        [&](std::string_view language) {
          return model->Score(item.text, language);
        },
        hinted_score);
    Counts& counts = table[item.language][Bucket(item.words)];
    ++counts.items;
    counts.before += guess_right;
    counts.hinted +=
        nlpd::text::PrimarySubtag(hinted.language) == item.language;
    const bool right =
        nlpd::text::PrimarySubtag(choice.language) == item.language;
    counts.after += right;
    counts.unsure += !guess.confident;
    counts.undetermined +=
        choice.source == nlpd::v1::LANGUAGE_SOURCE_UNDETERMINED;
    if (verbose && !right) {
      std::printf("%s %s -> %s (%s)  %s\n", item.language.c_str(),
                  std::string(guess.code).c_str(), choice.language.c_str(),
                  nlpd::v1::LanguageSource_Name(choice.source).c_str(),
                  item.text.c_str());
    }
  }
  if (tune) {
    Tune(scored);
    return 0;
  }
  std::printf(
      "%s, split %s: accuracy %% before (CLD2's guess), hinted (the "
      "choice without the language model) and after (the server's choice "
      "for analyses in de and en, no default_language)\n\n",
      path.c_str(), split.c_str());
  std::printf(
      "| lang | words | texts | before | hinted | after | unsure | und |\n");
  std::printf("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
  for (const auto& [language, buckets] : table) {
    std::vector<std::pair<std::string, Counts>> rows(buckets.begin(),
                                                     buckets.end());
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return BucketOrder(a.first) < BucketOrder(b.first);
    });
    for (const auto& [bucket, c] : rows) {
      std::printf(
          "| %s | %s | %d | %s | %s | %s | %s | %s |\n", language.c_str(),
          bucket.c_str(), c.items, Percent(c.before, c.items).c_str(),
          Percent(c.hinted, c.items).c_str(), Percent(c.after, c.items).c_str(),
          Percent(c.unsure, c.items).c_str(),
          Percent(c.undetermined, c.items).c_str());
    }
  }
  return 0;
}
