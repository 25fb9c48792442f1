// nlpd_eval_stance: prints the stance analyzer's scores on a labelled file
// (default ../shared/data/stance/dev.jsonl), see stance_eval.h for the rules.
//   nlpd_eval_stance [--verbose] [FILE]
//   nlpd_eval_stance --document=TEXT_FILE --language=de|en
// --verbose also lists the items whose label or actor is wrong; --document
// prints the analysis of one document instead.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "stance_eval.h"

int main(int argc, char** argv) {
  std::string path = NLPD_STANCE_DEV;
  bool verbose = false;
  std::string document_path;
  std::string language = "de";
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--verbose") {
      verbose = true;
    } else if (argument.starts_with("--document=")) {
      document_path = argument.substr(11);
    } else if (argument.starts_with("--language=")) {
      language = argument.substr(11);
    } else if (argument == "--help") {
      std::printf(
          "usage: nlpd_eval_stance [--verbose] [FILE.jsonl]\n"
          "       nlpd_eval_stance --document=FILE --language=de|en\n");
      return 0;
    } else {
      path = argument;
    }
  }
  if (!document_path.empty()) {
    std::ifstream input(document_path);
    std::stringstream text;
    text << input.rdbuf();
    if (!input) {
      std::fprintf(stderr, "nlpd_eval_stance: cannot read %s\n",
                   document_path.c_str());
      return 1;
    }
    auto description = nlpd::stance::DescribeDocument(text.str(), language);
    if (!description.ok()) {
      std::fprintf(stderr, "nlpd_eval_stance: %s\n",
                   std::string(description.status().message()).c_str());
      return 1;
    }
    std::printf("%s", description->c_str());
    return 0;
  }
  auto evaluation = nlpd::stance::EvaluateStance(path);
  if (!evaluation.ok()) {
    std::fprintf(stderr, "nlpd_eval_stance: %s\n",
                 std::string(evaluation.status().message()).c_str());
    return 1;
  }
  if (verbose) {
    for (const auto& item : evaluation->items) {
      const bool label_ok = item.gold_stance == item.predicted_stance;
      const bool actor_ok = item.gold_actor.empty() || item.actor_matches;
      if (label_ok && actor_ok) continue;
      std::printf("%s gold %s [%s] predicted %s [%s]\n  %s\n", item.id.c_str(),
                  item.gold_stance.c_str(), item.gold_actor.c_str(),
                  item.predicted_stance.c_str(), item.predicted_actor.c_str(),
                  item.text.c_str());
    }
  }
  std::printf("%s: %s", path.c_str(), evaluation->Table().c_str());
  return 0;
}
