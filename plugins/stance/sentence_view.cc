#include "sentence_view.h"

#include <algorithm>

#include "common/word_text.h"
#include "lexicon.h"

namespace nlpd::stance {

bool SentenceView::IsBoundary(int token) const {
  const TokenInfo& info = tokens[token];
  if (!info.is_punctuation) return false;
  // Hyphens and apostrophes join words; full stops inside a sentence are
  // abbreviations or ordinals.
  return info.text != "-" && info.text != "'" && info.text != "’" &&
         info.text != ".";
}

SentenceView MakeSentenceView(const nlpd::v1::Document& document,
                              const nlpd::v1::EntitiesResult& entities,
                              int sentence) {
  return MakeSentenceView(document, entities, sentence, /*first_entity=*/0);
}

SentenceView MakeSentenceView(const nlpd::v1::Document& document,
                              const nlpd::v1::EntitiesResult& entities,
                              int sentence, int first_entity) {
  SentenceView view;
  view.sentence = sentence;
  const nlpd::v1::Sentence& s = document.sentences(sentence);
  view.token_begin = static_cast<int>(s.token_begin());
  view.tokens.reserve(s.token_end() - s.token_begin());
  int entity = first_entity;
  for (uint32_t t = s.token_begin(); t < s.token_end(); ++t) {
    const nlpd::v1::Token& token = document.tokens(static_cast<int>(t));
    TokenInfo info;
    info.text =
        std::string_view(document.text())
            .substr(token.span().byte_start(),
                    token.span().byte_end() - token.span().byte_start());
    info.lowered = Lowercase(info.text);
    info.is_word = token.kind() == nlpd::v1::TOKEN_KIND_WORD ||
                   token.kind() == nlpd::v1::TOKEN_KIND_NUMBER ||
                   token.kind() == nlpd::v1::TOKEN_KIND_IDEOGRAPHIC ||
                   token.kind() == nlpd::v1::TOKEN_KIND_OTHER;
    info.is_punctuation = token.kind() == nlpd::v1::TOKEN_KIND_PUNCTUATION;
    info.is_capitalized = word_text::StartsUpper(info.text);
    // Entities are in text order; advance past those that end before.
    while (entity < entities.entities_size() &&
           entities.entities(entity).span().char_end() <=
               token.span().char_start()) {
      ++entity;
    }
    if (entity < entities.entities_size() &&
        entities.entities(entity).span().char_start() <
            token.span().char_end()) {
      info.entity = entity;
    }
    view.tokens.push_back(std::move(info));
  }
  return view;
}

}  // namespace nlpd::stance
