#include "sentiment_data.h"

#include <unicode/utf8.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "model/classes.h"
#include "model/features.h"

namespace nlpd::sentiment {
namespace {

bool ReadFile(const std::string& path, std::string* contents,
              std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path;
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *contents = buffer.str();
  return true;
}

// Code-point offset -> UTF-8 byte offset in `text` (clamped to its end).
size_t ByteOffset(std::string_view text, int code_points) {
  int32_t i = 0;
  const auto length = static_cast<int32_t>(text.size());
  for (int n = 0; n < code_points && i < length; ++n) {
    U8_FWD_1(text.data(), i, length);
  }
  return static_cast<size_t>(i);
}

// Adds the example of the target at code points [from, to) of `text`.
bool AddTarget(const text::TextPipeline& pipeline, std::string_view language,
               const std::string& text, int from, int to, int label,
               std::vector<Example>* examples, ReadStats* stats,
               std::string* error) {
  ++stats->records;
  auto document = pipeline.Process(text, language);
  if (!document.ok()) {
    *error = "text pipeline: " + std::string(document.status().message());
    return false;
  }
  const std::string& normalized = document->text();
  // Byte range of the target in the normalized text. When NFC changed the
  // text, the offsets are mapped through the NFC form of the prefix.
  size_t byte_from = ByteOffset(text, from);
  size_t byte_to = ByteOffset(text, to);
  if (normalized != text) {
    ++stats->nfc_changed;
    auto prefix = [&](size_t end) -> size_t {
      if (end == 0) return 0;
      auto part = pipeline.Process(text.substr(0, end), language);
      return part.ok() ? part->text().size() : end;
    };
    byte_from = prefix(byte_from);
    byte_to = prefix(byte_to);
  }
  for (const auto& sentence : document->sentences()) {
    if (sentence.span().byte_end() <= byte_from) continue;
    Example example;
    example.label = label;
    example.target_begin = -1;
    uint64_t key = 0x5e17;
    for (uint32_t t = sentence.token_begin(); t < sentence.token_end(); ++t) {
      const auto& span = document->tokens(static_cast<int>(t)).span();
      const auto index = static_cast<int>(example.words.size());
      example.words.emplace_back(normalized.substr(
          span.byte_start(), span.byte_end() - span.byte_start()));
      key = HashText(example.words.back(), key);
      if (span.byte_end() > byte_from && span.byte_start() < byte_to) {
        if (example.target_begin < 0) example.target_begin = index;
        example.target_end = index + 1;
      }
    }
    if (example.target_begin < 0) {
      ++stats->no_token;
      return true;
    }
    if (sentence.span().byte_end() < byte_to) ++stats->across_sentences;
    example.sentence_key = key;
    examples->push_back(std::move(example));
    ++stats->examples;
    return true;
  }
  ++stats->no_token;
  return true;
}

}  // namespace

bool ReadNewsMtsc(const std::string& path, const text::TextPipeline& pipeline,
                  bool further_mentions, std::vector<Example>* examples,
                  ReadStats* stats, std::string* error) {
  std::string contents;
  if (!ReadFile(path, &contents, error)) return false;
  std::istringstream lines(contents);
  std::string line;
  int line_number = 0;
  while (std::getline(lines, line)) {
    ++line_number;
    if (line.empty()) continue;
    auto record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.contains("sentence_normalized") ||
        !record.contains("targets")) {
      *error =
          path + ":" + std::to_string(line_number) + ": not a NewsMTSC record";
      return false;
    }
    const std::string text = record["sentence_normalized"].get<std::string>();
    for (const auto& target : record["targets"]) {
      const double polarity = target.value("polarity", 0.0);
      int label = -1;
      if (polarity == 2.0) label = kNegative;
      if (polarity == 4.0) label = kNeutral;
      if (polarity == 6.0) label = kPositive;
      if (label < 0) {
        *error = path + ":" + std::to_string(line_number) + ": polarity " +
                 std::to_string(polarity);
        return false;
      }
      if (!AddTarget(pipeline, "en", text, target.value("from", 0),
                     target.value("to", 0), label, examples, stats, error)) {
        return false;
      }
      if (!further_mentions || !target.contains("further_mentions")) continue;
      for (const auto& mention : target["further_mentions"]) {
        if (!AddTarget(pipeline, "en", text, mention.value("from", 0),
                       mention.value("to", 0), label, examples, stats, error)) {
          return false;
        }
      }
    }
  }
  return true;
}

bool IsGerNtsaDevSnippet(std::string_view snippet) {
  return HashText(snippet, 0x6e7473) % 5 == 0;
}

bool ReadGerNtsa(const std::string& path, GerNtsaSplit split,
                 const text::TextPipeline& pipeline,
                 std::vector<Example>* examples, ReadStats* stats,
                 std::string* error) {
  std::string contents;
  if (!ReadFile(path, &contents, error)) return false;
  auto records = nlohmann::json::parse(contents, nullptr, false);
  if (records.is_discarded() || !records.is_array()) {
    *error = path + ": not a JSON array";
    return false;
  }
  for (const auto& record : records) {
    const std::string text = record.value("opinion_snippet", "");
    const bool dev = IsGerNtsaDevSnippet(text);
    if ((split == GerNtsaSplit::kTrain && dev) ||
        (split == GerNtsaSplit::kDev && !dev)) {
      continue;
    }
    const std::string polarity =
        record.value("sentiment", nlohmann::json::object())
            .value("polarity", "");
    int label = -1;
    if (polarity == "negative") label = kNegative;
    if (polarity == "neutral") label = kNeutral;
    if (polarity == "positive") label = kPositive;
    const auto anchor = record.value("target_anchor", nlohmann::json::object());
    if (label < 0 || text.empty() || !anchor.contains("from")) {
      *error = path + ": record " + record.value("id", "?") +
               " lacks a snippet, an anchor or a polarity";
      return false;
    }
    if (!AddTarget(pipeline, "de", text, anchor.value("from", 0),
                   anchor.value("to", 0), label, examples, stats, error)) {
      return false;
    }
  }
  return true;
}

std::vector<SentenceExample> AgreeingSentences(
    const std::vector<Example>& examples) {
  std::unordered_map<uint64_t, int> label_of;  // -1: targets disagree.
  std::vector<const Example*> order;
  for (const Example& example : examples) {
    auto [it, inserted] = label_of.emplace(example.sentence_key, example.label);
    if (inserted) {
      order.push_back(&example);
    } else if (it->second != example.label) {
      it->second = -1;
    }
  }
  std::vector<SentenceExample> sentences;
  for (const Example* example : order) {
    const int label = label_of[example->sentence_key];
    if (label < 0) continue;
    sentences.push_back({example->words, label});
  }
  return sentences;
}

}  // namespace nlpd::sentiment
