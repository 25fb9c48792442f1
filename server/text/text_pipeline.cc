#include "text/text_pipeline.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "text/char_classes.h"
#include "text/language_id.h"
#include "text/language_rules.h"
#include "text/nfc_normalizer.h"
#include "text/period_classifier.h"
#include "text/sentence_splitter.h"
#include "text/tokenizer.h"
#include "text/url_finder.h"
#include "text/utf16_text.h"
#include "text/utf8.h"

namespace nlpd::text {
namespace {

// Longest part of a caller's value quoted in an error message: gRPC clients
// refuse a status whose message exceeds their metadata limit (16 KiB), and
// would report that instead of the error.
constexpr size_t kMaxQuotedBytes = 64;

// `value` for an error message: its first kMaxQuotedBytes, cut before a
// UTF-8 continuation byte, and "..." when cut.
std::string Abbreviated(std::string_view value) {
  if (value.size() <= kMaxQuotedBytes) return std::string(value);
  size_t end = kMaxQuotedBytes;
  while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) {
    --end;
  }
  return absl::StrCat(absl::string_view(value.data(), end), "...");
}

bool IsBlank(const Utf16Text& text) {
  for (uint32_t i = 0; i < text.size();) {
    const char32_t c = text.CodePointAt(i);
    if (!IsWhitespace(c)) return false;
    i += c > 0xFFFF ? 2 : 1;
  }
  return true;
}

// Fills document->sentences and document->tokens from sentence boundaries
// and tokens (both UTF-16, in order). A token that straddles a boundary
// (rare: ICU's word and sentence rules disagree) is cut in two.
void AddSentencesAndTokens(const Utf16Text& text,
                           const std::vector<uint32_t>& boundaries,
                           const std::vector<TokenRange>& tokens,
                           nlpd::v1::Document* document) {
  document->mutable_tokens()->Reserve(static_cast<int>(tokens.size()));
  size_t next_token = 0;
  TokenRange pending{};  // The rest of a token cut at the last boundary.
  bool has_pending = false;
  for (size_t s = 0; s + 1 < boundaries.size(); ++s) {
    const uint32_t sentence_end = boundaries[s + 1];
    const int first_token = document->tokens_size();
    auto add_token = [&](TokenRange token) {
      nlpd::v1::Token* added = document->add_tokens();
      text.FillSpan(token.range, added->mutable_span());
      added->set_kind(token.kind);
    };
    uint32_t sentence_begin = 0;
    uint32_t last_end = 0;
    auto take = [&](TokenRange token) {
      if (document->tokens_size() == first_token) {
        sentence_begin = token.range.begin;
      }
      last_end = token.range.end;
      add_token(token);
    };
    while (true) {
      TokenRange token;
      if (has_pending) {
        token = pending;
      } else if (next_token < tokens.size()) {
        token = tokens[next_token];
      } else {
        break;
      }
      if (token.range.begin >= sentence_end) break;
      if (has_pending) {
        has_pending = false;
      } else {
        ++next_token;
      }
      if (token.range.end > sentence_end) {
        pending = {{sentence_end, token.range.end}, token.kind};
        has_pending = true;
        token.range.end = sentence_end;
      }
      take(token);
    }
    if (document->tokens_size() == first_token) continue;  // Blank.
    nlpd::v1::Sentence* sentence = document->add_sentences();
    text.FillSpan({sentence_begin, last_end}, sentence->mutable_span());
    sentence->set_token_begin(static_cast<uint32_t>(first_token));
    sentence->set_token_end(static_cast<uint32_t>(document->tokens_size()));
  }
}

}  // namespace

struct TextPipeline::Stages {
  CharNgramModel language_model;
  NfcNormalizer normalizer;
  SentenceSplitter sentence_splitter;
  Tokenizer tokenizer;
  LanguageRuleSet rules;
};

absl::StatusOr<std::unique_ptr<TextPipeline>> TextPipeline::Create() {
  absl::StatusOr<CharNgramModel> language_model =
      CharNgramModel::LoadEmbedded();
  if (!language_model.ok()) return language_model.status();
  absl::StatusOr<NfcNormalizer> normalizer = NfcNormalizer::Create();
  if (!normalizer.ok()) return normalizer.status();
  absl::StatusOr<SentenceSplitter> splitter = SentenceSplitter::Create();
  if (!splitter.ok()) return splitter.status();
  absl::StatusOr<Tokenizer> tokenizer = Tokenizer::Create();
  if (!tokenizer.ok()) return tokenizer.status();
  absl::StatusOr<LanguageRuleSet> rules = LanguageRuleSet::LoadEmbedded();
  if (!rules.ok()) return rules.status();
  auto stages = std::make_unique<const Stages>(
      Stages{*std::move(language_model), *std::move(normalizer),
             *std::move(splitter), *std::move(tokenizer), *std::move(rules)});
  return std::unique_ptr<TextPipeline>(new TextPipeline(std::move(stages)));
}

TextPipeline::TextPipeline(std::unique_ptr<const Stages> stages)
    : stages_(std::move(stages)) {}
TextPipeline::~TextPipeline() = default;

absl::StatusOr<nlpd::v1::Document> TextPipeline::Process(
    std::string_view text, std::string_view language_hint) const {
  nlpd::v1::Document document;
  if (absl::Status status = ProcessInto(text, language_hint, &document);
      !status.ok()) {
    return status;
  }
  return document;
}

absl::Status TextPipeline::ProcessInto(std::string_view text,
                                       std::string_view language_hint,
                                       nlpd::v1::Document* out) const {
  return ProcessInto(text, LanguageRequest{.language = language_hint}, out);
}

absl::Status TextPipeline::ProcessInto(std::string_view text,
                                       const LanguageRequest& language,
                                       nlpd::v1::Document* out) const {
  const std::string_view language_hint = language.language;
  nlpd::v1::Document& document = *out;
  document.Clear();
  // Offsets are uint32; NFC can grow text, so leave headroom.
  if (text.size() >= std::numeric_limits<uint32_t>::max() / 4) {
    return absl::InvalidArgumentError("text is too large (1 GiB or more)");
  }
  if (absl::Status status = ValidateUtf8(text); !status.ok()) return status;
  if (!language_hint.empty() && !IsLanguageTag(language_hint)) {
    return absl::InvalidArgumentError(
        absl::StrCat("language '", Abbreviated(language_hint),
                     "' is not a BCP-47 tag such as \"de\" or \"en-GB\""));
  }
  if (!language.default_language.empty() &&
      !IsLanguageTag(language.default_language)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "default_language '", Abbreviated(language.default_language),
        "' is not a BCP-47 tag such as \"de\" or \"en-GB\""));
  }

  std::string* nfc_text = document.mutable_text();
  if (absl::Status status = stages_->normalizer.Normalize(text, nfc_text);
      !status.ok()) {
    return status;
  }
  const Utf16Text utf16(*nfc_text);
  if (IsBlank(utf16)) return absl::InvalidArgumentError("text is empty");

  // Canonical once, here: plugins compare tags as they are ("de").
  LanguageChoice choice =
      DecideLanguage(*nfc_text, language, &stages_->language_model);
  document.set_language(std::move(choice.language));
  document.set_language_confidence(choice.confidence);
  document.set_language_source(choice.source);
  const LanguageRules& rules = stages_->rules.ForLanguage(document.language());

  const std::vector<ClassifiedPeriod> periods = ClassifyPeriods(utf16, rules);
  const std::vector<TextRange> urls = FindUrls(utf16.units());
  const std::vector<uint32_t> boundaries =
      stages_->sentence_splitter.Split(utf16, periods, urls);
  const std::vector<TokenRange> tokens =
      stages_->tokenizer.Tokenize(utf16, periods, urls);
  AddSentencesAndTokens(utf16, boundaries, tokens, &document);
  if (document.tokens().empty()) {
    // Only control or format characters: nothing a plugin could analyze.
    return absl::InvalidArgumentError(
        "text is empty: it holds only white space, control or format "
        "characters");
  }
  return absl::OkStatus();
}

}  // namespace nlpd::text
