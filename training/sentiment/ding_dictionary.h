// Reads the Ding German-English dictionary (Debian package trans-de-en,
// /usr/share/trans/de-en) into translation-lexicon entries: one-word German
// forms -> one-word English forms.
#ifndef NLPD_TRAINING_SENTIMENT_DING_DICTIONARY_H_
#define NLPD_TRAINING_SENTIMENT_DING_DICTIONARY_H_

#include <string>
#include <unordered_set>
#include <vector>

#include "model/lexicon.h"

namespace nlpd::sentiment {

// Each line is "German :: English"; both sides have the same number of
// " | "-separated parts (a headword and its inflected forms), each a
// "; "-separated list of synonyms with {gender}, [domain], (notes) and
// /abbreviations/. Part i of one side is paired with part i of the other.
// Keeps pairs where both sides are one word (English "to " dropped),
// lower-cased, and the English word's hash (low 32 bits) is in
// `english_vocabulary` (words that can have a trained weight); at most
// `max_translations` per German word, in file order. Returns false with
// *error when the file cannot be read.
bool ReadDingLexicon(const std::string& path,
                     const std::unordered_set<uint32_t>& english_vocabulary,
                     int max_translations, std::vector<Lexicon::Entry>* entries,
                     std::string* error);

}  // namespace nlpd::sentiment

#endif  // NLPD_TRAINING_SENTIMENT_DING_DICTIONARY_H_
