#include "entity_finder.h"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "nlpd/plugin_sdk.h"

namespace nlpd::entities {
namespace {

bool IsHyphen(std::string_view s) { return s == "-" || s == "\u2011"; }

}  // namespace

nlpd::v1::EntitiesResult FindEntities(const ner::Tagger& tagger,
                                      const nlpd::v1::Document& document,
                                      float min_confidence) {
  // Never stopped, so always a result.
  return *FindEntities(tagger, document, min_confidence, [] { return false; });
}

absl::StatusOr<nlpd::v1::EntitiesResult> FindEntities(
    const ner::Tagger& tagger, const nlpd::v1::Document& document,
    float min_confidence, absl::FunctionRef<bool()> should_stop) {
  nlpd::v1::EntitiesResult result;
  const std::string& text = document.text();
  const sdk::SpanMaker spans(document);
  const auto& tokens = document.tokens();
  auto token_text = [&](int i) {
    return sdk::SpanText(document, tokens[i].span());
  };
  std::vector<std::string_view> words;
  std::vector<std::pair<int, int>> groups;  // server tokens [first, last]
  for (const auto& sentence : document.sentences()) {
    if (should_stop()) return sdk::Call::CancelledError();
    words.clear();
    groups.clear();
    const int end = static_cast<int>(
        std::min<uint32_t>(sentence.token_end(), tokens.size()));
    for (int i = static_cast<int>(sentence.token_begin()); i < end;) {
      int last = i;
      // Join "word-word(-word...)" written without spaces into one token.
      while (last + 2 < end && IsHyphen(token_text(last + 1)) &&
             tokens[last].span().byte_end() ==
                 tokens[last + 1].span().byte_start() &&
             tokens[last + 1].span().byte_end() ==
                 tokens[last + 2].span().byte_start() &&
             !IsHyphen(token_text(last)) && !IsHyphen(token_text(last + 2))) {
        last += 2;
      }
      const uint32_t from = tokens[i].span().byte_start(),
                     to = tokens[last].span().byte_end();
      words.push_back(std::string_view(text).substr(from, to - from));
      groups.emplace_back(i, last);
      i = last + 1;
    }
    if (words.empty()) continue;
    for (const ner::TaggedEntity& found : tagger.Entities(words)) {
      const auto& first = tokens[groups[found.span.begin].first].span();
      const auto& last = tokens[groups[found.span.end - 1].second].span();
      if (found.confidence < min_confidence) continue;
      // The name inside a compound ("NATO" of "NATO-Generalsekretär") ends
      // part_bytes into its first word.
      const uint32_t byte_end =
          found.part_bytes > 0
              ? first.byte_start() +
                    static_cast<uint32_t>(std::min(
                        found.part_bytes, words[found.span.begin].size()))
              : last.byte_end();
      nlpd::v1::Entity* entity = result.add_entities();
      *entity->mutable_span() = spans.MakeSpan(first.byte_start(), byte_end);
      entity->set_label(std::string(ner::kTypes[found.span.type]));
      entity->set_confidence(found.confidence);
      entity->set_text(std::string(sdk::SpanText(document, entity->span())));
    }
  }
  HarmonizeLabels(&result);
  return result;
}

void HarmonizeLabels(nlpd::v1::EntitiesResult* result) {
  struct LabelVotes {
    double confidence = 0;
    int mentions = 0;
  };
  // text -> label -> votes; std::map keeps ties deterministic.
  std::map<std::string, std::map<std::string, LabelVotes>> votes;
  for (const nlpd::v1::Entity& entity : result->entities()) {
    LabelVotes& label = votes[entity.text()][entity.label()];
    label.confidence += entity.confidence();
    ++label.mentions;
  }
  for (nlpd::v1::Entity& entity : *result->mutable_entities()) {
    const auto& labels = votes[entity.text()];
    if (labels.size() < 2) continue;
    auto best = labels.begin();
    for (auto it = labels.begin(); it != labels.end(); ++it) {
      if (it->second.confidence > best->second.confidence) best = it;
    }
    if (best->first == entity.label()) continue;
    entity.set_label(best->first);
    entity.set_confidence(
        static_cast<float>(best->second.confidence / best->second.mentions));
  }
}

}  // namespace nlpd::entities
