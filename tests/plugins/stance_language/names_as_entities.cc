// A test stand-in for "entities" in a language that has no entities model:
// every run of capitalized words after a sentence's first word is a person
// (PER). Together with the stance plugin built with the test language
// folder lang/nl/, it shows that a language is data (docs/STANCE.md).
#include <cctype>
#include <memory>
#include <string>

#include "nlpd/plugin_sdk.h"
#include "nlpd/v1/results.pb.h"

class NamesAsEntitiesPlugin {
 public:
  using Result = nlpd::v1::EntitiesResult;

  static nlpd::sdk::PluginInfo Info() {
    return {.name = "entities",
            .version = "0.0.1",
            .description = "Test plugin: capitalized words are persons",
            .languages = {"nl"}};
  }

  static absl::StatusOr<std::unique_ptr<NamesAsEntitiesPlugin>> Create(
      const nlpd::sdk::CreateContext& /*context*/) {
    return std::make_unique<NamesAsEntitiesPlugin>();
  }

  absl::StatusOr<Result> Analyze(const nlpd::v1::PluginRequest& request) const {
    const nlpd::v1::Document& document = request.document();
    Result result;
    for (const nlpd::v1::Sentence& sentence : document.sentences()) {
      nlpd::v1::Entity* open = nullptr;
      for (uint32_t t = sentence.token_begin() + 1; t < sentence.token_end();
           ++t) {
        const nlpd::v1::Token& token = document.tokens(t);
        const bool name = token.kind() == nlpd::v1::TOKEN_KIND_WORD &&
                          std::isupper(static_cast<unsigned char>(
                              document.text()[token.span().byte_start()]));
        if (!name) {
          open = nullptr;
          continue;
        }
        if (open == nullptr) {
          open = result.add_entities();
          open->set_label("PER");
          open->set_confidence(1);
          *open->mutable_span() = token.span();
        } else {
          open->mutable_span()->set_byte_end(token.span().byte_end());
          open->mutable_span()->set_char_end(token.span().char_end());
        }
        open->set_text(
            std::string(nlpd::sdk::SpanText(document, open->span())));
      }
    }
    return result;
  }
};

NLPD_PLUGIN(NamesAsEntitiesPlugin)
