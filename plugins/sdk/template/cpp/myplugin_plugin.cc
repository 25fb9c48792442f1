// myplugin: finds the words written in capitals ("EU", "NATO", "UNO"): word
// tokens of two or more characters that are all upper-case letters.
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "myplugin/v1/myplugin.pb.h"
#include "nlpd/plugin_sdk.h"

namespace {

// True when `word` has two or more characters, each an upper-case letter.
bool IsCapitals(std::string_view word) {
  int32_t offset = 0;
  int characters = 0;
  const auto length = static_cast<int32_t>(word.size());
  while (offset < length) {
    UChar32 c = 0;
    U8_NEXT(word.data(), offset, length, c);
    if (c < 0 || !u_hasBinaryProperty(c, UCHAR_UPPERCASE)) return false;
    ++characters;
  }
  return characters >= 2;
}

}  // namespace

class MypluginPlugin {
 public:
  using Result = myplugin::v1::MypluginResult;

  static nlpd::sdk::PluginInfo Info() {
    return {.name = "myplugin",
            .version = "0.1.0",
            .description = "Finds words written in capitals",
            .languages = {"*"}};
  }

  // Once, at server start: read context.config, load data.
  static absl::StatusOr<std::unique_ptr<MypluginPlugin>> Create(
      const nlpd::sdk::CreateContext& /*context*/) {
    return std::make_unique<MypluginPlugin>();
  }

  // Per document, on several threads at once: keep it const.
  absl::StatusOr<Result> Analyze(const nlpd::v1::PluginRequest& request) const {
    const nlpd::v1::Document& document = request.document();
    Result result;
    for (const nlpd::v1::Token& token : document.tokens()) {
      if (token.kind() != nlpd::v1::TOKEN_KIND_WORD) continue;
      const std::string_view word = nlpd::sdk::SpanText(document, token.span());
      if (!IsCapitals(word)) continue;
      myplugin::v1::Match* match = result.add_matches();
      match->set_text(std::string(word));
      *match->mutable_span() = token.span();  // the server's spans are valid
    }
    return result;
  }
};

NLPD_PLUGIN(MypluginPlugin)
