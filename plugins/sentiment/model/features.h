// Features of the sentiment classifier: turns the words of one sentence (and
// optionally a target inside it) into hashed feature rows. Shared by the
// model (plugins/sentiment/model/sentiment_model.h) and the trainer
// (training/sentiment), so that training sees exactly what the plugin
// computes.
#ifndef NLPD_PLUGINS_SENTIMENT_MODEL_FEATURES_H_
#define NLPD_PLUGINS_SENTIMENT_MODEL_FEATURES_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/word_text.h"
#include "model/lexicon.h"

namespace nlpd::sentiment {

// Feature groups; a model stores the set it was trained with (bitmask), and
// the trainer switches them on and off to measure each.
enum FeatureGroup : uint32_t {
  // Lower-cased words of the sentence (numbers folded to one token).
  kSentenceWords = 1u << 0,
  // Adjacent word pairs of the sentence.
  kSentenceBigrams = 1u << 1,
  // Words within 10 tokens of the target, with side and distance bucket
  // (1, 2, 3-5, 6-10), and the target's position in the sentence.
  kWindow = 1u << 2,
  // The target's own words.
  kTargetWords = 1u << 3,
  // Words in the scope of a negation ("not", "n't", "nicht", "kein*", ...),
  // marked as negated.
  kNegation = 1u << 4,
  // Words of the clause (between , ; : brackets, quotes, dashes and contrast
  // words) that contains the target.
  kClause = 1u << 5,
  // Contrast words ("but", "aber", "jedoch", ...): the words after the last
  // one, and which side of it the target is on.
  kContrast = 1u << 6,
  // The word after an intensifier ("very", "sehr", ...).
  kIntensifier = 1u << 7,
  // First and last five characters of words of seven or more characters
  // (parts of German compounds).
  kStems = 1u << 8,
  // Dictionary translations of the words (Lexicon) in a space shared with
  // the English words of English training sentences ("lex" features).
  kTranslation = 1u << 9,
  // Character 4-grams of the words (with word-boundary marks).
  kCharacterGrams = 1u << 10,
  // Translations of words the lexicon lacks: of the word without an
  // inflection ending (-e, -en, -em, -er, -es, -n, -s), else of its longest
  // suffix of at least four characters that has one (the head of a compound:
  // "Schwerverletzten" -> "verletzten"). Needs kTranslation.
  kLexiconFallback = 1u << 11,
  // The target as a speaker ("X said", "X argued", "according to X",
  // "..., said X"): the other words of the sentence marked as reported
  // (what a speaker says is often not about the speaker); and the word
  // before the target after skipping determiners and titles ("praised the
  // senator X": "praised") as the verb the target is the object of.
  kSpeaker = 1u << 12,
  // Quotation marks: whether the target is inside a quotation, and the
  // words of quotations the target is not in.
  kQuotes = 1u << 13,
  // What is predicated of the target: the words after a copula ("X is a
  // liar") or after "as" ("condemned X as a liar", German "ist", "als")
  // that follows the target closely, up to the next punctuation.
  kPredicate = 1u << 14,
  // Other mentions (capitalized words that are not the target, not the
  // first word; English only): each word closer to another mention than to
  // the target, marked as such, and the other words as the target's own.
  kMentionSides = 1u << 15,
  // Compound heads: for a word of eight or more code points, its longest
  // proper suffix of at least four code points that is a lexicon word
  // ("Kinderarzt" -> "arzt"), as a word feature of the sentence and of the
  // +-5 window with side, so that unseen compounds share their head's
  // weights. Needs a lexicon.
  kCompoundHeads = 1u << 16,
};

// The languages with their own word lists (negation, contrast, intensifiers).
enum class Language : uint32_t { kEnglish = 0, kGerman = 1 };

// What a model's features are: stored in the model file.
struct FeatureConfig {
  Language language = Language::kEnglish;
  uint32_t groups = 0;
  int row_bits = 20;
};

// What to extract for one call.
enum class FeatureMode {
  // All groups of the config for the target [target_begin, target_end).
  kTarget,
  // The sentence-wide groups only (no target).
  kSentence,
  // Only the shared "lex" features, the word itself standing for its
  // translation: English sentences as extra training data for a German model.
  // With target_begin < 0, only the sentence-wide ones.
  kLexiconOnly,
};

// Appends the feature rows (in [0, 2^row_bits)) of `words` to *rows; a row
// may repeat (the feature then counts twice). `lexicon` may be null (no
// translations). target_begin/target_end are clamped to the sentence; an
// empty target is treated as a target at target_begin. Deterministic and
// thread-safe (no shared state; `lexicon` is only read).
void ExtractFeatures(const FeatureConfig& config, const Lexicon* lexicon,
                     FeatureMode mode, std::span<const std::string_view> words,
                     int target_begin, int target_end,
                     std::vector<uint32_t>* rows);

// Lower-cases a word, as every plugin model does (common/word_text.h).
using word_text::LowerCase;

// 64-bit FNV-1a with a final mix, the hash of the feature and lexicon keys.
uint64_t HashText(std::string_view text, uint64_t seed = 0);

}  // namespace nlpd::sentiment

#endif  // NLPD_PLUGINS_SENTIMENT_MODEL_FEATURES_H_
