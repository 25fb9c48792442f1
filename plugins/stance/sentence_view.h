// One sentence of an nlpd.v1.Document seen as the stance rules need it:
// each token lower-cased, classified, and linked to the entity that covers
// it. Built per sentence and request; cheap (no allocation beyond the
// lower-cased words).
#ifndef NLPD_PLUGINS_STANCE_SENTENCE_VIEW_H_
#define NLPD_PLUGINS_STANCE_SENTENCE_VIEW_H_

#include <string>
#include <string_view>
#include <vector>

#include "nlpd/v1/document.pb.h"
#include "nlpd/v1/results.pb.h"

namespace nlpd::stance {

struct TokenInfo {
  std::string_view text;  // as written, a view into Document.text
  std::string lowered;
  bool is_word = false;         // a word or a number
  bool is_punctuation = false;  // quotes, commas, dashes, ...
  bool is_capitalized = false;  // starts with an upper-case letter
  int entity = -1;  // index into EntitiesResult.entities overlapping it
};

struct SentenceView {
  int sentence = 0;     // index into Document.sentences
  int token_begin = 0;  // index into Document.tokens of tokens[0]
  std::vector<TokenInfo> tokens;

  int size() const { return static_cast<int>(tokens.size()); }
  // True for a comma, semicolon, colon, quote, bracket or dash token: the
  // boundaries of clauses and noun phrases.
  bool IsBoundary(int token) const;
};

// Builds the view of sentence `sentence` of `document`. `entities` are the
// entities plugin's mentions (code-point spans). Thread-safe.
SentenceView MakeSentenceView(const nlpd::v1::Document& document,
                              const nlpd::v1::EntitiesResult& entities,
                              int sentence);
// The same, with the scan of `entities` starting at `first_entity`: the
// first entity that ends after the sentence's first token starts (see
// EntityIndex::FirstEndingAfter), so building all views of a document costs
// its tokens plus its entities, not sentences times entities.
SentenceView MakeSentenceView(const nlpd::v1::Document& document,
                              const nlpd::v1::EntitiesResult& entities,
                              int sentence, int first_entity);

}  // namespace nlpd::stance

#endif  // NLPD_PLUGINS_STANCE_SENTENCE_VIEW_H_
