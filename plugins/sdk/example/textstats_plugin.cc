// textstats: the smallest useful nlpd plugin, written as an SDK user would.
// It reads the server's tokens and returns its own result message, which
// uses nlpd.v1.Span from nlpd/v1/document.proto and which clients decode
// from the descriptor set the SDK ships.
#include <memory>
#include <string>
#include <unordered_set>

#include "nlpd/plugin_sdk.h"
#include "textstats/v1/textstats.pb.h"

class TextStatsPlugin {
 public:
  using Result = textstats::v1::TextStats;

  static nlpd::sdk::PluginInfo Info() {
    return {.name = "textstats",
            .version = "1.0.0",
            .description = "Counts sentences, tokens and words",
            .languages = {"*"}};
  }

  static absl::StatusOr<std::unique_ptr<TextStatsPlugin>> Create(
      const nlpd::sdk::CreateContext& /*context*/) {
    return std::make_unique<TextStatsPlugin>();
  }

  absl::StatusOr<Result> Analyze(const nlpd::v1::PluginRequest& request) const {
    const nlpd::v1::Document& document = request.document();
    Result stats;
    stats.set_sentences(document.sentences_size());
    stats.set_tokens(document.tokens_size());
    std::unordered_set<std::string_view> distinct;
    uint64_t total_length = 0;
    uint32_t longest = 0;
    for (const nlpd::v1::Token& token : document.tokens()) {
      if (token.kind() != nlpd::v1::TOKEN_KIND_WORD) continue;
      std::string_view word = nlpd::sdk::SpanText(document, token.span());
      const uint32_t length =
          token.span().char_end() - token.span().char_start();
      stats.set_words(stats.words() + 1);
      distinct.insert(word);
      total_length += length;
      if (length > longest) {
        longest = length;
        stats.set_longest_word(std::string(word));
        // The server's token spans already carry both kinds of offsets; a
        // span from byte offsets of the plugin's own would come from
        // nlpd::sdk::SpanMaker (nlpd/span.h).
        *stats.mutable_longest_word_span() = token.span();
      }
    }
    stats.set_distinct_words(distinct.size());
    if (stats.words() > 0) {
      stats.set_mean_word_length(static_cast<float>(total_length) /
                                 static_cast<float>(stats.words()));
    }
    return stats;
  }
};

NLPD_PLUGIN(TextStatsPlugin)
