#include "document_sentiment.h"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "nlpd/plugin_sdk.h"

namespace nlpd::sentiment {
namespace {

// A mention to judge: its span, where it came from, and its tokens.
struct Mention {
  const v1::Span* span = nullptr;
  v1::TargetSource source = v1::TARGET_SOURCE_UNSPECIFIED;
  std::string_view label;       // ENTITY: the entity label
  uint32_t request_target = 0;  // REQUEST: index into the request's targets
};

// Index of the sentence containing token `token`.
int SentenceOfToken(const v1::Document& document, uint32_t token) {
  const auto& sentences = document.sentences();
  auto it = std::upper_bound(sentences.begin(), sentences.end(), token,
                             [](uint32_t value, const v1::Sentence& sentence) {
                               return value < sentence.token_begin();
                             });
  return static_cast<int>(it - sentences.begin()) - 1;
}

// The tokens [begin, end) that `span` overlaps, clipped to the sentence of
// the first one; begin == end when the span overlaps no token.
struct TokenRange {
  int sentence = -1;
  uint32_t begin = 0;
  uint32_t end = 0;
};
TokenRange TokensOf(const v1::Document& document, const v1::Span& span) {
  const auto& tokens = document.tokens();
  // First token ending after the span's start.
  auto first = std::partition_point(
      tokens.begin(), tokens.end(), [&](const v1::Token& token) {
        return token.span().byte_end() <= span.byte_start();
      });
  if (first == tokens.end() || first->span().byte_start() >= span.byte_end()) {
    return {};
  }
  TokenRange range;
  range.begin = static_cast<uint32_t>(first - tokens.begin());
  range.sentence = SentenceOfToken(document, range.begin);
  if (range.sentence < 0) return {};
  const uint32_t sentence_end = document.sentences(range.sentence).token_end();
  range.end = range.begin + 1;
  while (range.end < sentence_end &&
         tokens[static_cast<int>(range.end)].span().byte_start() <
             span.byte_end()) {
    ++range.end;
  }
  return range;
}

Probabilities Mean(const std::vector<Probabilities>& all) {
  Probabilities mean{};
  for (const Probabilities& probabilities : all) {
    for (int c = 0; c < kNumClasses; ++c) mean[c] += probabilities[c];
  }
  for (float& value : mean) value /= static_cast<float>(all.size());
  return mean;
}

Probabilities FromPolarity(const v1::Polarity& polarity) {
  return {polarity.negative(), polarity.neutral(), polarity.positive()};
}

// Groups entity mentions into summaries (see AnalyzeDocument).
class EntityGroups {
 public:
  // The group of a mention with `label` and `text`; creates one if needed.
  int GroupOf(std::string_view label, std::string_view text) {
    const Key key{std::string(label), std::string(text)};
    if (auto it = groups_.find(key); it != groups_.end()) return it->second;
    const int group = next_group_++;
    groups_[key] = group;
    // Later mentions of the surname alone ("Merkel" after "Angela Merkel")
    // join this group, unless that surname already has a group of its own.
    if (label == "PER") {
      if (size_t space = text.rfind(' '); space != std::string_view::npos) {
        groups_.emplace(
            Key{std::string(label), std::string(text.substr(space + 1))},
            group);
      }
    }
    return group;
  }
  int size() const { return next_group_; }

 private:
  using Key = std::pair<std::string, std::string>;
  std::map<Key, int> groups_;
  int next_group_ = 0;
};

}  // namespace

v1::Polarity ToPolarity(const Probabilities& probabilities) {
  v1::Polarity polarity;
  const int best = static_cast<int>(
      std::max_element(probabilities.begin(), probabilities.end()) -
      probabilities.begin());
  static constexpr v1::Polarity::Label kLabels[kNumClasses] = {
      v1::Polarity::NEGATIVE, v1::Polarity::NEUTRAL, v1::Polarity::POSITIVE};
  polarity.set_label(kLabels[best]);
  polarity.set_negative(probabilities[0]);
  polarity.set_neutral(probabilities[1]);
  polarity.set_positive(probabilities[2]);
  polarity.set_score(probabilities[2] - probabilities[0]);
  return polarity;
}

absl::StatusOr<v1::SentimentResult> AnalyzeDocument(
    const SentimentModel& model, const v1::PluginRequest& request,
    const v1::EntitiesResult& entities, absl::FunctionRef<bool()> should_stop) {
  const v1::Document& document = request.document();
  v1::SentimentResult result;

  // Each token's text, viewed in the document, once.
  std::vector<std::string_view> words;
  words.reserve(document.tokens_size());
  for (const v1::Token& token : document.tokens()) {
    words.push_back(sdk::SpanText(document, token.span()));
  }
  auto sentence_words = [&](int sentence) {
    const v1::Sentence& s = document.sentences(sentence);
    return std::span<const std::string_view>(words).subspan(
        s.token_begin(), s.token_end() - s.token_begin());
  };

  std::vector<Probabilities> sentence_probabilities;
  sentence_probabilities.reserve(document.sentences_size());
  for (int i = 0; i < document.sentences_size(); ++i) {
    if (should_stop()) return sdk::Call::CancelledError();
    sentence_probabilities.push_back(model.SentencePolarity(sentence_words(i)));
    *result.add_sentences() = ToPolarity(sentence_probabilities.back());
  }
  if (!sentence_probabilities.empty()) {
    *result.mutable_document() = ToPolarity(Mean(sentence_probabilities));
  }

  // All mentions in text order: entities first where both start together.
  std::vector<Mention> mentions;
  mentions.reserve(entities.entities_size() + request.target_mentions_size());
  for (const v1::Entity& entity : entities.entities()) {
    mentions.push_back({&entity.span(), v1::ENTITY, entity.label(), 0});
  }
  for (const v1::TargetMention& mention : request.target_mentions()) {
    mentions.push_back({&mention.span(), v1::REQUEST, {}, mention.target()});
  }
  std::stable_sort(mentions.begin(), mentions.end(),
                   [](const Mention& a, const Mention& b) {
                     return std::tuple(a.span->byte_start(), a.source) <
                            std::tuple(b.span->byte_start(), b.source);
                   });

  EntityGroups groups;
  std::vector<std::vector<uint32_t>> entity_mentions;
  std::vector<std::vector<uint32_t>> request_mentions(request.targets_size());
  for (const Mention& mention : mentions) {
    if (should_stop()) return sdk::Call::CancelledError();
    const TokenRange tokens = TokensOf(document, *mention.span);
    if (tokens.begin == tokens.end) continue;
    const v1::Sentence& sentence = document.sentences(tokens.sentence);
    const int begin = static_cast<int>(tokens.begin - sentence.token_begin());
    const int end = static_cast<int>(tokens.end - sentence.token_begin());
    const auto index = static_cast<uint32_t>(result.targets_size());
    v1::TargetSentiment* target = result.add_targets();
    *target->mutable_span() = *mention.span;
    target->set_text(std::string(sdk::SpanText(document, *mention.span)));
    *target->mutable_polarity() = ToPolarity(
        model.TargetPolarity(sentence_words(tokens.sentence), begin, end));
    target->set_source(mention.source);
    target->set_sentence(static_cast<uint32_t>(tokens.sentence));
    if (mention.source == v1::ENTITY) {
      target->set_label(std::string(mention.label));
      const int group = groups.GroupOf(mention.label, target->text());
      if (group == static_cast<int>(entity_mentions.size())) {
        entity_mentions.emplace_back();
      }
      entity_mentions[group].push_back(index);
    } else if (mention.request_target < request_mentions.size()) {
      target->set_request_target(mention.request_target);
      request_mentions[mention.request_target].push_back(index);
    }
  }

  auto summarize = [&](const std::vector<uint32_t>& indices,
                       v1::TargetSummary* summary) {
    std::vector<Probabilities> probabilities;
    for (uint32_t index : indices) {
      summary->add_mentions(index);
      probabilities.push_back(
          FromPolarity(result.targets(static_cast<int>(index)).polarity()));
    }
    if (!probabilities.empty()) {
      *summary->mutable_polarity() = ToPolarity(Mean(probabilities));
    }
  };
  for (const std::vector<uint32_t>& group : entity_mentions) {
    v1::TargetSummary* summary = result.add_summaries();
    summary->set_source(v1::ENTITY);
    // The name: the longest mention's text (the full name over a surname).
    for (uint32_t index : group) {
      const v1::TargetSentiment& target =
          result.targets(static_cast<int>(index));
      if (target.text().size() > summary->name().size()) {
        summary->set_name(target.text());
      }
      summary->set_label(target.label());
    }
    summarize(group, summary);
  }
  for (int i = 0; i < request.targets_size(); ++i) {
    v1::TargetSummary* summary = result.add_summaries();
    summary->set_source(v1::REQUEST);
    summary->set_request_target(static_cast<uint32_t>(i));
    const v1::Target& target = request.targets(i);
    if (target.has_range()) {
      if (!request_mentions[i].empty()) {
        summary->set_name(
            result.targets(static_cast<int>(request_mentions[i][0])).text());
      }
    } else {
      summary->set_name(target.text());
    }
    summarize(request_mentions[i], summary);
  }
  return result;
}

}  // namespace nlpd::sentiment
