#include "stance_eval.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include "entity_finder.h"
#include "language_data.h"
#include "lexicon.h"
#include "model_data.h"
#include "ner/tagger.h"
#include "nlohmann/json.hpp"
#include "stance_analyzer.h"
#include "text/text_pipeline.h"

namespace nlpd::stance {
namespace {

constexpr const char* kDeterminers[] = {
    "der ",  "die ",   "das ",   "den ",   "dem ", "des ", "ein ",
    "eine ", "einen ", "einem ", "einer ", "the ", "a ",   "an ",
    "le ",   "la ",    "l'",     "el ",    "los ", "las "};

std::string Normalize(const std::string& text) {
  std::string lowered = Lowercase(text);
  bool changed = true;
  while (changed) {
    changed = false;
    while (!lowered.empty() &&
           (lowered.front() == ' ' || lowered.front() == ',' ||
            lowered.front() == '"')) {
      lowered.erase(0, 1);
      changed = true;
    }
    for (const char* determiner : kDeterminers) {
      if (lowered.starts_with(determiner)) {
        lowered.erase(0, std::string_view(determiner).size());
        changed = true;
      }
    }
  }
  while (!lowered.empty() && (lowered.back() == ' ' || lowered.back() == ',' ||
                              lowered.back() == '.')) {
    lowered.pop_back();
  }
  return lowered;
}

// Code-point length of a UTF-8 prefix.
uint32_t CodePoints(std::string_view text) {
  uint32_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

bool ActorMatches(const nlpd::v1::StanceStatement& statement,
                  const std::string& text, const std::string& gold) {
  if (gold.empty() || statement.actor().empty()) return false;
  // Span overlap with any occurrence of the gold string.
  for (std::size_t at = text.find(gold); at != std::string::npos;
       at = text.find(gold, at + 1)) {
    const uint32_t start = CodePoints(std::string_view(text).substr(0, at));
    const uint32_t end = start + CodePoints(gold);
    if (statement.actor_span().char_start() < end &&
        start < statement.actor_span().char_end()) {
      return true;
    }
  }
  const std::string predicted = Normalize(statement.actor());
  const std::string wanted = Normalize(gold);
  return !predicted.empty() && (predicted.find(wanted) != std::string::npos ||
                                wanted.find(predicted) != std::string::npos);
}

std::string StanceName(nlpd::v1::Stance stance) {
  switch (stance) {
    case nlpd::v1::FAVOR:
      return "FAVOR";
    case nlpd::v1::AGAINST:
      return "AGAINST";
    default:
      return "NONE";
  }
}

double F1(int true_positive, int predicted, int gold) {
  if (true_positive == 0) return 0;
  const double precision = static_cast<double>(true_positive) / predicted;
  const double recall = static_cast<double>(true_positive) / gold;
  return 2 * precision * recall / (precision + recall);
}

std::string SpanText(const std::string& text, const nlpd::v1::Span& span) {
  return text.substr(span.byte_start(), span.byte_end() - span.byte_start());
}

}  // namespace

struct StancePipeline::Parts {
  std::unique_ptr<text::TextPipeline> text_pipeline;
  std::unique_ptr<StanceAnalyzer> analyzer;
  std::map<std::string, std::unique_ptr<ner::Tagger>> taggers;
};

StancePipeline::StancePipeline(std::unique_ptr<Parts> parts)
    : parts_(std::move(parts)) {}
StancePipeline::~StancePipeline() = default;

absl::StatusOr<std::unique_ptr<StancePipeline>> StancePipeline::Create() {
  auto parts = std::make_unique<Parts>();
  auto text_pipeline = text::TextPipeline::Create();
  if (!text_pipeline.ok()) return text_pipeline.status();
  parts->text_pipeline = *std::move(text_pipeline);
  auto analyzer = StanceAnalyzer::Create(EmbeddedLanguages());
  if (!analyzer.ok()) return analyzer.status();
  parts->analyzer = *std::move(analyzer);
  for (const char* language : {"de", "en"}) {
    std::string error;
    auto tagger = ner::Tagger::Load(entities::EmbeddedModel(language), &error);
    if (!tagger) {
      return absl::InternalError(std::string(language) +
                                 " NER model: " + error);
    }
    parts->taggers[language] = std::move(tagger);
  }
  return std::unique_ptr<StancePipeline>(new StancePipeline(std::move(parts)));
}

absl::StatusOr<StancePipeline::Analysis> StancePipeline::Run(
    const std::string& text, const std::string& language) const {
  Analysis analysis;
  auto document = parts_->text_pipeline->Process(text, language);
  if (!document.ok()) return document.status();
  analysis.document = *std::move(document);
  auto tagger = parts_->taggers.find(language);
  if (tagger == parts_->taggers.end()) return analysis;
  // The entities plugin's default threshold (EntitiesPlugin).
  analysis.entities =
      entities::FindEntities(*tagger->second, analysis.document, 0.2f);
  auto stance = parts_->analyzer->Analyze(analysis.document, analysis.entities);
  if (!stance.ok()) return stance.status();
  analysis.stance = *std::move(stance);
  return analysis;
}

absl::StatusOr<std::string> DescribeDocument(const std::string& text,
                                             const std::string& language) {
  auto pipeline = StancePipeline::Create();
  if (!pipeline.ok()) return pipeline.status();
  auto analysis = (*pipeline)->Run(text, language);
  if (!analysis.ok()) return analysis.status();
  const nlpd::v1::EntitiesResult& entities = analysis->entities;
  const nlpd::v1::StanceResult* result = &analysis->stance;
  const std::string& normalized = analysis->document.text();
  auto entity_list = [&](const auto& indices) {
    std::string list;
    for (uint32_t index : indices) {
      if (!list.empty()) list += ", ";
      list += entities.entities(static_cast<int>(index)).text() + "/" +
              entities.entities(static_cast<int>(index)).label();
    }
    return list;
  };
  std::string out = "statements:\n";
  for (const auto& statement : result->statements()) {
    char confidence[16];
    std::snprintf(confidence, sizeof(confidence), "%.2f",
                  statement.confidence());
    out += "  " + StanceName(statement.stance()) + " " + confidence + "  " +
           statement.actor() +
           "  [phrase: " + SpanText(normalized, statement.actor_span()) +
           "; entities: " + entity_list(statement.actor_entities()) + "]\n";
    for (const auto& cue : statement.cues()) {
      out += "      cue: " + SpanText(normalized, cue) + "\n";
    }
  }
  out += "actors:\n";
  for (const auto& actor : result->actors()) {
    out += "  " + StanceName(actor.stance()) + "  " + actor.actor() +
           " (favor " + std::to_string(actor.favor()) + ", against " +
           std::to_string(actor.against()) + ", statements " +
           std::to_string(actor.statements_size()) +
           "; entities: " + entity_list(actor.actor_entities()) + ")\n";
  }
  char balance[128];
  std::snprintf(balance, sizeof(balance),
                "balance: favor %u, against %u, none %u, balance %.2f\n",
                result->favor(), result->against(), result->none(),
                result->balance());
  out += balance;
  out += "events:\n";
  for (const auto& event : result->events()) {
    out += "  " + event.kind() + ": " + SpanText(normalized, event.span()) +
           "  actor: " + event.actor() +
           "  reported by: " + event.reported_by() + "\n";
  }
  return out;
}

absl::StatusOr<Evaluation> EvaluateStance(const std::string& jsonl_path) {
  std::ifstream input(jsonl_path);
  if (!input) return absl::NotFoundError(jsonl_path + " cannot be read");
  auto pipeline = StancePipeline::Create();
  if (!pipeline.ok()) return pipeline.status();

  Evaluation evaluation;
  std::string line;
  int line_number = 0;
  while (std::getline(input, line)) {
    ++line_number;
    if (line.empty()) continue;
    nlohmann::json item = nlohmann::json::parse(line, nullptr, false);
    if (item.is_discarded() || !item.contains("text")) {
      return absl::InvalidArgumentError(jsonl_path + ":" +
                                        std::to_string(line_number) +
                                        ": not a stance item");
    }
    ItemOutcome outcome;
    outcome.id = item.value("id", "");
    outcome.language = item.value("lang", "");
    outcome.text = item["text"].get<std::string>();
    outcome.gold_stance = item.value("stance", "NONE");
    if (item["actor"].is_string()) outcome.gold_actor = item["actor"];
    outcome.predicted_stance = "NONE";

    auto analysis = (*pipeline)->Run(outcome.text, outcome.language);
    if (!analysis.ok()) return analysis.status();
    const nlpd::v1::StanceResult& result = analysis->stance;
    // In the server, a language without entities skips stance: NONE.
    const nlpd::v1::StanceStatement* decided = nullptr;
    for (const auto& statement : result.statements()) {
      if (!ActorMatches(statement, outcome.text, outcome.gold_actor)) continue;
      if (decided == nullptr || (decided->stance() == nlpd::v1::NONE &&
                                 statement.stance() != nlpd::v1::NONE)) {
        decided = &statement;
      }
      if (StanceName(statement.stance()) == outcome.gold_stance) {
        outcome.statement_found = true;
      }
    }
    if (decided != nullptr) {
      outcome.actor_matches = true;
    } else {
      for (const auto& statement : result.statements()) {
        if (statement.stance() != nlpd::v1::NONE) {
          decided = &statement;
          break;
        }
      }
    }
    if (decided != nullptr) {
      outcome.predicted_stance = StanceName(decided->stance());
      outcome.predicted_actor = decided->actor();
      outcome.actor_exact =
          outcome.actor_matches &&
          (decided->actor() == outcome.gold_actor ||
           std::string(outcome.text.substr(
               decided->actor_span().byte_start(),
               decided->actor_span().byte_end() -
                   decided->actor_span().byte_start())) == outcome.gold_actor);
    }
    evaluation.items.push_back(std::move(outcome));
  }

  std::set<std::string> languages = {"all"};
  for (const ItemOutcome& item : evaluation.items) {
    languages.insert(item.language);
  }
  for (const std::string& language : languages) {
    LanguageScores scores;
    int tp[2] = {0, 0}, predicted[2] = {0, 0}, gold[2] = {0, 0}, correct = 0;
    const char* labels[2] = {"FAVOR", "AGAINST"};
    for (const ItemOutcome& item : evaluation.items) {
      if (language != "all" && item.language != language) continue;
      ++scores.items;
      correct += item.gold_stance == item.predicted_stance;
      for (int l = 0; l < 2; ++l) {
        gold[l] += item.gold_stance == labels[l];
        predicted[l] += item.predicted_stance == labels[l];
        tp[l] +=
            item.gold_stance == labels[l] && item.predicted_stance == labels[l];
      }
      if (!item.gold_actor.empty()) {
        ++scores.actor_items;
        scores.actor_lenient += item.actor_matches;
        scores.actor_exact += item.actor_exact;
        if (item.gold_stance != "NONE") {
          ++scores.stance_items;
          scores.statements_found += item.statement_found;
        }
      }
    }
    scores.f_favor = F1(tp[0], predicted[0], gold[0]);
    scores.f_against = F1(tp[1], predicted[1], gold[1]);
    scores.f_avg = (scores.f_favor + scores.f_against) / 2;
    scores.accuracy =
        scores.items == 0 ? 0 : static_cast<double>(correct) / scores.items;
    evaluation.scores[language] = scores;
  }
  return evaluation;
}

std::string Evaluation::Table() const {
  std::string table =
      "lang items F_FAVOR F_AGAINST  F_avg    acc | actor lenient  exact | "
      "statement found\n";
  char row[256];
  for (const auto& [language, s] : scores) {
    auto ratio = [](int a, int b) { return b == 0 ? 0.0 : double(a) / b; };
    std::snprintf(row, sizeof(row),
                  "%-4s %5d  %6.3f    %6.3f %6.3f %6.3f | %5d  %6.3f %6.3f | "
                  "%2d/%2d %6.3f\n",
                  language.c_str(), s.items, s.f_favor, s.f_against, s.f_avg,
                  s.accuracy, s.actor_items,
                  ratio(s.actor_lenient, s.actor_items),
                  ratio(s.actor_exact, s.actor_items), s.statements_found,
                  s.stance_items, ratio(s.statements_found, s.stance_items));
    table += row;
  }
  return table;
}

}  // namespace nlpd::stance
