// The method: YAKE (Campos et al. 2020) in five steps, with three changes
// for news marked below.
//
//  1. Words. Each sentence's tokens become words: a WORD token, or tokens
//     joined by hyphens without spaces ("CDU-Fraktion", "COVID-19"), with
//     the English possessive "'s" cut off. Punctuation and numbers split a
//     sentence into blocks; phrases and neighbourhoods stay inside a block.
//  2. Terms. Words are counted case-insensitively (case folding), with how
//     often each is an acronym or capitalized inside a sentence, which
//     sentences it occurs in, and which words stand right before and after.
//  3. Term scores. Five local features make a term key: it is written like
//     a name (casing), occurs early (position), often (frequency), in many
//     sentences (spread), and not next to many different words (words with
//     varied neighbours are function words: relatedness). Lower is better:
//       H = position * relatedness /
//           (casing + frequency / relatedness + spread / relatedness)
//  4. Candidates. Every run of 1 to max_phrase_words words in a block that
//     neither begins nor ends with a stopword, scored from its terms as
//       H = geomean(H_t) / ((1 + sum(H_t)) * occurrences)
//     with stopwords inside ("Bank of England") weighed by how firmly they
//     bind their neighbours. Change 1: YAKE multiplies the H_t; the
//     geometric mean stops rewarding length (see ScoreCandidate). Change 2:
//     in German a phrase must end in a capitalized word, its noun (see
//     CanEndGermanPhrase).
//  5. Selection. By H ascending, skipping a phrase that is redundant with
//     one already taken: spelled alike (YAKE's deduplication), or, change 3,
//     nested in it or a one-off overlapping it (see Redundant). Scores are
//     scaled so that the best keyword scores 1.
//
// Why YAKE. Key phrases of news are mostly names and noun phrases that recur
// ("interest rates", "Heizungsgesetz", "Federal Reserve"), come early (the
// lead tells the story) and are capitalized when they are names. YAKE
// scores exactly these signals from the one document, with no corpus, model
// or part-of-speech tagger, so a stopword list per language is all it needs.
// In German, where every noun is capitalized, the casing feature prefers
// nouns to verbs and adjectives, and compounds are single words. The
// alternatives fall short here: RAKE's degree/frequency score rewards long
// one-off phrases and ranks a word that recurs on its own (a German
// compound such as "Heizungsgesetz") lowest; TextRank picks good candidates
// only with part-of-speech tags, which the document does not carry; TF-IDF
// needs a background corpus.
#include "keyword_extractor.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "nlpd/plugin_sdk.h"
#include "unicode.h"

namespace nlpd::keywords {
namespace {

using ::nlpd::v1::Document;
using ::nlpd::v1::Span;
using ::nlpd::v1::Token;

constexpr int kDefaultMaxKeywords = 10;
constexpr int kLimitMaxKeywords = 1000;
constexpr int kDefaultMaxPhraseWords = 3;
constexpr int kLimitMaxPhraseWords = 8;
constexpr double kDefaultDedupThreshold = 0.9;

// ---------------------------------------------------------------------------
// Configuration

// Keeps the first error protobuf's text parser reports, with its position.
class FirstErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (error_.empty()) {
      error_ = absl::StrCat("line ", line + 1, ", column ", column + 1, ": ",
                            message);
    }
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

absl::Status InvalidConfig(const std::string& problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid keywords config (nlpd.keywords.v1.KeywordsConfig "
                   "in text format): ",
                   problem));
}

absl::Status CheckConfig(const v1::KeywordsConfig& config) {
  if (config.has_max_keywords() &&
      (config.max_keywords() < 1 ||
       config.max_keywords() > kLimitMaxKeywords)) {
    return InvalidConfig(absl::StrCat("max_keywords is ", config.max_keywords(),
                                      ", must be 1 to ", kLimitMaxKeywords));
  }
  if (config.has_max_phrase_words() &&
      (config.max_phrase_words() < 1 ||
       config.max_phrase_words() > kLimitMaxPhraseWords)) {
    return InvalidConfig(absl::StrCat("max_phrase_words is ",
                                      config.max_phrase_words(),
                                      ", must be 1 to ", kLimitMaxPhraseWords));
  }
  // Written so that NaN fails too.
  if (config.has_dedup_threshold() &&
      !(config.dedup_threshold() > 0 && config.dedup_threshold() <= 1)) {
    return InvalidConfig(absl::StrCat("dedup_threshold is ",
                                      config.dedup_threshold(),
                                      ", must be in (0, 1]"));
  }
  for (int i = 0; i < config.extra_stopwords_size(); ++i) {
    const std::string& word = config.extra_stopwords(i);
    if (word.empty() || absl::StrContains(word, ' ') ||
        word != absl::StripAsciiWhitespace(word)) {
      return InvalidConfig(absl::StrCat("extra_stopwords[", i, "] is \"", word,
                                        "\", must be one word"));
    }
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Step 1: words and blocks

// A word of the document: a token, or tokens joined by hyphens.
struct Word {
  Span span;
  // Document.text sliced by span.
  std::string_view text;
  // The first word of its sentence, whose capital letter means nothing.
  bool sentence_initial = false;
  // Index into the term table, set in step 2.
  int term = -1;
};

// A run of words inside one sentence with no punctuation or number between
// them. Phrases and neighbourhoods never leave a block.
struct Block {
  int sentence = 0;
  std::vector<Word> words;
};

// Tokens without a kind (hand-made documents) count as words.
bool IsWordOrNumber(const Token& token) {
  return token.kind() == nlpd::v1::TOKEN_KIND_WORD ||
         token.kind() == nlpd::v1::TOKEN_KIND_NUMBER ||
         token.kind() == nlpd::v1::TOKEN_KIND_UNSPECIFIED;
}

bool IsHyphen(const Document& document, const Token& token) {
  const std::string_view text = nlpd::sdk::SpanText(document, token.span());
  return text == "-" || text == "\u2010" || text == "\u2011";
}

bool Touch(const Token& left, const Token& right) {
  return left.span().byte_end() == right.span().byte_start();
}

Span Cover(const Span& first, const Span& last) {
  Span span;
  span.set_byte_start(first.byte_start());
  span.set_byte_end(last.byte_end());
  span.set_char_start(first.char_start());
  span.set_char_end(last.char_end());
  return span;
}

// An English possessive is not part of the phrase: "Powell's" -> "Powell".
void TrimPossessive(Word& word) {
  for (const std::string_view suffix : {"'s", "\u2019s"}) {
    if (word.text.size() > suffix.size() && word.text.ends_with(suffix)) {
      word.text.remove_suffix(suffix.size());
      word.span.set_byte_end(word.span.byte_end() - suffix.size());
      word.span.set_char_end(word.span.char_end() - 2);
      return;
    }
  }
}

// Appends the blocks of the sentence made of tokens [begin, end).
void SplitSentence(const Document& document, int sentence, int begin, int end,
                   bool english, std::vector<Block>& blocks) {
  const auto& tokens = document.tokens();
  Block block{sentence, {}};
  auto close_block = [&] {
    if (!block.words.empty()) blocks.push_back(std::move(block));
    block = Block{sentence, {}};
  };
  bool sentence_start = true;
  for (int i = begin; i < end;) {
    if (!IsWordOrNumber(tokens[i])) {
      close_block();
      ++i;
      continue;
    }
    int last = i;
    bool has_letters = tokens[i].kind() != nlpd::v1::TOKEN_KIND_NUMBER;
    while (last + 2 < end && IsHyphen(document, tokens[last + 1]) &&
           Touch(tokens[last], tokens[last + 1]) &&
           Touch(tokens[last + 1], tokens[last + 2]) &&
           IsWordOrNumber(tokens[last + 2])) {
      last += 2;
      has_letters |= tokens[last].kind() != nlpd::v1::TOKEN_KIND_NUMBER;
    }
    const bool sentence_initial = std::exchange(sentence_start, false);
    if (has_letters) {
      Word word;
      word.span = Cover(tokens[i].span(), tokens[last].span());
      word.text = nlpd::sdk::SpanText(document, word.span);
      word.sentence_initial = sentence_initial;
      if (english) TrimPossessive(word);
      block.words.push_back(word);
    } else {
      close_block();  // A number is never part of a key phrase.
    }
    i = last + 1;
  }
  close_block();
}

// The blocks of every sentence, in text order; nullopt once `should_stop`,
// polled before each sentence, returns true.
std::optional<std::vector<Block>> SplitIntoBlocks(
    const Document& document, bool english,
    absl::FunctionRef<bool()> should_stop) {
  std::vector<Block> blocks;
  if (document.sentences().empty()) {
    SplitSentence(document, 0, 0, document.tokens_size(), english, blocks);
  }
  for (int s = 0; s < document.sentences_size(); ++s) {
    if (should_stop()) return std::nullopt;
    const nlpd::v1::Sentence& sentence = document.sentences(s);
    SplitSentence(document, s, static_cast<int>(sentence.token_begin()),
                  static_cast<int>(sentence.token_end()), english, blocks);
  }
  return blocks;
}

// ---------------------------------------------------------------------------
// Steps 2 and 3: terms

// A word as the scorer sees it: all its occurrences, case-insensitively.
struct Term {
  std::string key;  // Case-folded.
  bool stopword = false;
  int frequency = 0;
  int acronym_count = 0;
  // Capitalized occurrences that do not start a sentence.
  int capitalized_count = 0;
  int sentence_initial_count = 0;
  // Indices of the sentences it occurs in, ascending, distinct.
  std::vector<int> sentences;
  // How often each term (by index) stands right before / after this one.
  absl::flat_hash_map<int, int> left;
  absl::flat_hash_map<int, int> right;
  // YAKE's H: lower is more key. Not computed for stopwords.
  double score = 0;
};

// Builds the term table and sets Word::term in `blocks`; nullopt once
// `should_stop`, polled before each block, returns true.
std::optional<std::vector<Term>> CountTerms(
    std::vector<Block>& blocks, const StopwordSet& stopwords,
    absl::FunctionRef<bool()> should_stop) {
  std::vector<Term> terms;
  absl::flat_hash_map<std::string, int> index;
  for (Block& block : blocks) {
    if (should_stop()) return std::nullopt;
    for (size_t w = 0; w < block.words.size(); ++w) {
      Word& word = block.words[w];
      std::string key = FoldCase(word.text);
      auto [it, added] = index.try_emplace(key, static_cast<int>(terms.size()));
      if (added) {
        Term& term = terms.emplace_back();
        // Lone letters ("s" of "it s", "a" of "U. a") are never key.
        term.stopword =
            stopwords.contains(key) || sdk::CodePointCount(key) == 1;
        term.key = std::move(key);
      }
      word.term = it->second;
      Term& term = terms[word.term];
      ++term.frequency;
      if (word.sentence_initial) ++term.sentence_initial_count;
      switch (CaseOf(word.text)) {
        case WordCase::kAcronym:
          ++term.acronym_count;
          break;
        case WordCase::kCapitalized:
          if (!word.sentence_initial) ++term.capitalized_count;
          break;
        case WordCase::kOther:
          break;
      }
      if (term.sentences.empty() || term.sentences.back() != block.sentence) {
        term.sentences.push_back(block.sentence);
      }
      if (w > 0) {
        const int previous = block.words[w - 1].term;
        ++terms[previous].right[word.term];
        ++term.left[previous];
      }
    }
  }
  return terms;
}

double Median(const std::vector<int>& sorted) {
  const size_t n = sorted.size();
  return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

// Distinct neighbours per co-occurrence: near 1 for a word seen next to
// ever different words, as function words are.
double Diversity(const absl::flat_hash_map<int, int>& neighbours) {
  int total = 0;
  for (const auto& [term, count] : neighbours) total += count;
  return total == 0 ? 0.0 : static_cast<double>(neighbours.size()) / total;
}

// Sets Term::score of every term that is not a stopword.
void ScoreTerms(std::vector<Term>& terms, int sentence_count) {
  int max_frequency = 0;
  double sum = 0;
  double sum_of_squares = 0;
  int valid = 0;
  for (const Term& term : terms) {
    max_frequency = std::max(max_frequency, term.frequency);
    if (term.stopword) continue;
    sum += term.frequency;
    sum_of_squares += static_cast<double>(term.frequency) * term.frequency;
    ++valid;
  }
  if (valid == 0) return;
  const double mean = sum / valid;
  const double deviation =
      std::sqrt(std::max(0.0, sum_of_squares / valid - mean * mean));
  for (Term& term : terms) {
    if (term.stopword) continue;
    const double tf = term.frequency;
    const double casing = std::max(term.acronym_count, term.capitalized_count) /
                          (1.0 + std::log(tf));
    const double position = std::log(std::log(3.0 + Median(term.sentences)));
    const double frequency = tf / (mean + deviation);
    const double relatedness =
        1.0 +
        (Diversity(term.left) + Diversity(term.right)) * tf / max_frequency;
    const double spread =
        static_cast<double>(term.sentences.size()) / sentence_count;
    term.score = position * relatedness /
                 (casing + frequency / relatedness + spread / relatedness);
  }
}

// ---------------------------------------------------------------------------
// Steps 4 and 5: candidate phrases

struct Mention {
  Span span;
  bool sentence_initial = false;
};

struct Candidate {
  std::string key;                // The terms' keys joined by spaces.
  std::vector<int> terms;         // In phrase order.
  std::vector<Mention> mentions;  // In text order.
  double score = 0;               // YAKE's H: lower is more key.
};

// Whether the term may end a German phrase. A German noun phrase ends in
// its noun ("erneuerbaren Energien", "Novelle des Gebäudeenergiegesetzes")
// and German capitalizes every noun, so a word never written with a capital
// (outside the start of a sentence) is no head: this keeps verbs and
// adjectives ("beschlossen", "umstrittene") from standing as keywords.
bool CanEndGermanPhrase(const Term& term) {
  return term.capitalized_count > 0 || term.acronym_count > 0 ||
         term.sentence_initial_count == term.frequency;
}

// Every phrase of up to `max_words` words in a block, neither beginning nor
// ending with a stopword, in order of first occurrence; nullopt once
// `should_stop`, polled before each block, returns true.
std::optional<std::vector<Candidate>> CollectCandidates(
    const std::vector<Block>& blocks, const std::vector<Term>& terms,
    int max_words, bool german, absl::FunctionRef<bool()> should_stop) {
  std::vector<Candidate> candidates;
  absl::flat_hash_map<std::string, int> index;
  for (const Block& block : blocks) {
    if (should_stop()) return std::nullopt;
    const int size = static_cast<int>(block.words.size());
    for (int first = 0; first < size; ++first) {
      if (terms[block.words[first].term].stopword) continue;
      std::string key;
      for (int last = first; last < size && last - first < max_words; ++last) {
        const Term& term = terms[block.words[last].term];
        if (last > first) key += ' ';
        key += term.key;
        if (term.stopword || (german && !CanEndGermanPhrase(term))) continue;
        auto [it, added] =
            index.try_emplace(key, static_cast<int>(candidates.size()));
        if (added) {
          Candidate& candidate = candidates.emplace_back();
          candidate.key = key;
          for (int w = first; w <= last; ++w) {
            candidate.terms.push_back(block.words[w].term);
          }
        }
        candidates[it->second].mentions.push_back(
            {Cover(block.words[first].span, block.words[last].span),
             block.words[first].sentence_initial});
      }
    }
  }
  return candidates;
}

int CountOf(const absl::flat_hash_map<int, int>& neighbours, int term) {
  auto found = neighbours.find(term);
  return found == neighbours.end() ? 0 : found->second;
}

double ScoreCandidate(const Candidate& candidate,
                      const std::vector<Term>& terms) {
  double product = 1;
  double sum = 0;
  int content_words = 0;
  for (size_t i = 0; i < candidate.terms.size(); ++i) {
    const Term& term = terms[candidate.terms[i]];
    if (!term.stopword) {
      product *= term.score;
      sum += term.score;
      ++content_words;
      continue;
    }
    // A stopword inside the phrase (never at its ends) costs little when
    // its neighbours are seldom seen without it, as in "Bank of England".
    const Term& before = terms[candidate.terms[i - 1]];
    const Term& after = terms[candidate.terms[i + 1]];
    const double bond = CountOf(before.right, candidate.terms[i]) /
                        static_cast<double>(before.frequency) *
                        CountOf(term.right, candidate.terms[i + 1]) /
                        after.frequency;
    product *= 2.0 - bond;
    sum -= 1.0 - bond;
  }
  // Published YAKE lets the sum fall below -1 for phrases with several
  // loosely bound stopwords, which makes H negative, the best possible;
  // clamping at 0 keeps such phrases where their product puts them.
  // Change to published YAKE: the geometric mean of the terms' scores
  // instead of their product. Term scores are below 1, so the product made
  // every added word a gain, and one-off phrases with a verb ("Federal
  // Reserve raised") outranked the recurring phrase ("interest rates").
  product = std::pow(product, 1.0 / content_words);
  return product / ((1.0 + std::max(sum, 0.0)) *
                    static_cast<double>(candidate.mentions.size()));
}

// Whether every mention of `a` shares words with (`inside`: lies within) a
// mention of `b`.
bool EveryMention(const Candidate& a, const Candidate& b, bool inside) {
  return std::all_of(
      a.mentions.begin(), a.mentions.end(), [&](const Mention& m) {
        return std::any_of(b.mentions.begin(), b.mentions.end(),
                           [&](const Mention& n) {
                             const Span& x = m.span;
                             const Span& y = n.span;
                             return inside ? y.byte_start() <= x.byte_start() &&
                                                 x.byte_end() <= y.byte_end()
                                           : y.byte_start() < x.byte_end() &&
                                                 x.byte_start() < y.byte_end();
                           });
      });
}

// Whether `candidate` adds nothing to the better-ranked `kept`: it is spelled
// alike (an inflection: "interest rate" after "interest rates"), it never
// occurs outside `kept` ("Federal" after "Federal Reserve"), or it occurs
// once, overlapping `kept` ("Federal Reserve raised"). A phrase that recurs
// around a kept word ("interest rates" after "rates") is a unit of its own.
bool Redundant(const Candidate& candidate, const Candidate& kept,
               double dedup_threshold) {
  return Similarity(candidate.key, kept.key) >= dedup_threshold ||
         EveryMention(candidate, kept, /*inside=*/true) ||
         (candidate.mentions.size() == 1 &&
          EveryMention(candidate, kept, /*inside=*/false));
}

// Whether `phrase` should take the place of the better-ranked `kept`: kept
// recurs, but only ever inside `phrase`, which names the same thing in full
// ("Bank of England" for "Bank").
bool Extends(const Candidate& phrase, const Candidate& kept) {
  return kept.mentions.size() >= 2 &&
         EveryMention(kept, phrase, /*inside=*/true);
}

std::string CollapseWhitespace(std::string_view text) {
  return absl::StrJoin(
      absl::StrSplit(absl::string_view(text.data(), text.size()),
                     absl::ByAnyChar(" \t\n\r\f\v"), absl::SkipEmpty()),
      " ");
}

// The most frequent spelling of the phrase, earliest on ties. A capital
// letter at the start of a sentence says nothing about the phrase, so
// sentence-initial spellings count only when there is no other.
std::string CanonicalText(const Candidate& candidate,
                          const Document& document) {
  const bool has_inner = std::any_of(
      candidate.mentions.begin(), candidate.mentions.end(),
      [](const Mention& mention) { return !mention.sentence_initial; });
  std::vector<std::pair<std::string, int>> spellings;  // First-seen order.
  for (const Mention& mention : candidate.mentions) {
    if (has_inner && mention.sentence_initial) continue;
    std::string spelling =
        CollapseWhitespace(nlpd::sdk::SpanText(document, mention.span));
    auto found =
        std::find_if(spellings.begin(), spellings.end(),
                     [&](const auto& s) { return s.first == spelling; });
    if (found == spellings.end()) {
      spellings.emplace_back(std::move(spelling), 1);
    } else {
      ++found->second;
    }
  }
  auto best = std::max_element(
      spellings.begin(), spellings.end(),
      [](const auto& a, const auto& b) { return a.second < b.second; });
  return best->first;
}

// ---------------------------------------------------------------------------
// Input checks

// The primary language subtag, lower case: "en-GB" -> "en".
std::string PrimaryLanguage(std::string_view language) {
  return absl::AsciiStrToLower(
      std::string(language.substr(0, language.find_first_of("-_"))));
}

absl::Status CheckDocument(const Document& document) {
  const size_t text_size = document.text().size();
  uint32_t previous_end = 0;
  for (int i = 0; i < document.tokens_size(); ++i) {
    const Span& span = document.tokens(i).span();
    if (span.byte_start() < previous_end ||
        span.byte_start() > span.byte_end() || span.byte_end() > text_size ||
        span.char_start() > span.char_end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("document: token ", i, " has bytes [", span.byte_start(),
                       ", ", span.byte_end(), "), not inside the ", text_size,
                       "-byte text after the previous token"));
    }
    previous_end = span.byte_end();
  }
  for (int s = 0; s < document.sentences_size(); ++s) {
    const nlpd::v1::Sentence& sentence = document.sentences(s);
    if (sentence.token_begin() > sentence.token_end() ||
        sentence.token_end() > static_cast<uint32_t>(document.tokens_size())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "document: sentence ", s, " has tokens [", sentence.token_begin(),
          ", ", sentence.token_end(), "), not inside the ",
          document.tokens_size(), " tokens"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::KeywordsConfig> ParseKeywordsConfig(std::string_view text) {
  v1::KeywordsConfig config;
  google::protobuf::TextFormat::Parser parser;
  FirstErrorCollector errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), &config)) {
    return InvalidConfig(errors.error());
  }
  if (absl::Status status = CheckConfig(config); !status.ok()) return status;
  return config;
}

absl::StatusOr<KeywordExtractor> KeywordExtractor::Create(
    const v1::KeywordsConfig& config) {
  if (absl::Status status = CheckConfig(config); !status.ok()) return status;
  KeywordExtractor extractor;
  extractor.max_keywords_ = config.has_max_keywords()
                                ? static_cast<int>(config.max_keywords())
                                : kDefaultMaxKeywords;
  extractor.max_phrase_words_ =
      config.has_max_phrase_words()
          ? static_cast<int>(config.max_phrase_words())
          : kDefaultMaxPhraseWords;
  extractor.dedup_threshold_ = config.has_dedup_threshold()
                                   ? config.dedup_threshold()
                                   : kDefaultDedupThreshold;
  for (const std::string& language : BuiltinStopwordLanguages()) {
    StopwordSet stopwords = ParseStopwords(*BuiltinStopwordList(language));
    for (const std::string& word : config.extra_stopwords()) {
      stopwords.insert(FoldCase(word));
    }
    extractor.stopwords_.emplace(language, std::move(stopwords));
  }
  return extractor;
}

absl::StatusOr<KeywordExtractor> KeywordExtractor::Create(
    std::string_view config) {
  absl::StatusOr<v1::KeywordsConfig> parsed = ParseKeywordsConfig(config);
  if (!parsed.ok()) return parsed.status();
  return Create(*parsed);
}

absl::StatusOr<v1::KeywordsResult> KeywordExtractor::Extract(
    const Document& document) const {
  return Extract(document, [] { return false; });
}

absl::StatusOr<v1::KeywordsResult> KeywordExtractor::Extract(
    const Document& document, absl::FunctionRef<bool()> should_stop) const {
  const std::string language = PrimaryLanguage(document.language());
  auto stopwords = stopwords_.find(language);
  if (stopwords == stopwords_.end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "keywords: no stopword list for language \"", document.language(),
        "\" (supported: ", absl::StrJoin(BuiltinStopwordLanguages(), ", "),
        ")"));
  }
  if (absl::Status status = CheckDocument(document); !status.ok()) {
    return status;
  }

  std::optional<std::vector<Block>> blocks =
      SplitIntoBlocks(document, language == "en", should_stop);
  if (!blocks) return sdk::Call::CancelledError();
  std::optional<std::vector<Term>> terms =
      CountTerms(*blocks, stopwords->second, should_stop);
  if (!terms) return sdk::Call::CancelledError();
  ScoreTerms(*terms, std::max(1, document.sentences_size()));
  std::optional<std::vector<Candidate>> candidates = CollectCandidates(
      *blocks, *terms, max_phrase_words_, language == "de", should_stop);
  if (!candidates) return sdk::Call::CancelledError();
  for (Candidate& candidate : *candidates) {
    candidate.score = ScoreCandidate(candidate, *terms);
  }

  std::vector<const Candidate*> ranked;
  ranked.reserve(candidates->size());
  for (const Candidate& candidate : *candidates) ranked.push_back(&candidate);
  std::sort(ranked.begin(), ranked.end(),
            [](const Candidate* a, const Candidate* b) {
              const uint32_t a_start = a->mentions.front().span.byte_start();
              const uint32_t b_start = b->mentions.front().span.byte_start();
              return std::tie(a->score, a_start, a->key) <
                     std::tie(b->score, b_start, b->key);
            });

  // Each keyword with the H it ranks by.
  std::vector<std::pair<const Candidate*, double>> selected;
  for (const Candidate* candidate : ranked) {
    if (static_cast<int>(selected.size()) == max_keywords_) break;
    // Each comparison with a kept phrase goes over all their mentions.
    if (should_stop()) return sdk::Call::CancelledError();
    auto redundant_with = [&](const auto& kept) {
      return Redundant(*candidate, *kept.first, dedup_threshold_);
    };
    auto rival = std::find_if(selected.begin(), selected.end(), redundant_with);
    if (rival == selected.end()) {
      selected.emplace_back(candidate, candidate->score);
    } else if (Extends(*candidate, *rival->first) &&
               std::count_if(selected.begin(), selected.end(),
                             redundant_with) == 1) {
      rival->first = candidate;  // Keeps the rival's rank.
    }
  }

  v1::KeywordsResult result;
  for (const auto& [candidate, rank_score] : selected) {
    v1::Keyword& keyword = *result.add_keywords();
    keyword.set_text(CanonicalText(*candidate, document));
    // In (0, 1]: the best H over this H, kept above 0 in float.
    keyword.set_score(
        std::max(static_cast<float>(selected.front().second / rank_score),
                 std::numeric_limits<float>::min()));
    keyword.set_normalized(candidate->key);
    for (const Mention& mention : candidate->mentions) {
      *keyword.add_mentions() = mention.span;
    }
  }
  return result;
}

}  // namespace nlpd::keywords
