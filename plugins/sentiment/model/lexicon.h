// A bilingual word lexicon: for a (lower-cased) German word, the hashes of
// its English translations. It lets a German model use sentiment weights
// learned from English sentences (FeatureGroup::kTranslation). Built by the
// trainer from a dictionary and stored in the model file.
#ifndef NLPD_PLUGINS_SENTIMENT_MODEL_LEXICON_H_
#define NLPD_PLUGINS_SENTIMENT_MODEL_LEXICON_H_

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace nlpd::sentiment {

class Lexicon {
 public:
  // One entry: a source-word key and a translation's hash (32 bits each).
  struct Entry {
    uint32_t key = 0;
    uint32_t translation = 0;
    bool operator<(const Entry& other) const {
      return key != other.key ? key < other.key
                              : translation < other.translation;
    }
    bool operator==(const Entry&) const = default;
  };

  Lexicon() = default;
  // Takes the entries in any order; sorts them and drops duplicates.
  explicit Lexicon(std::vector<Entry> entries);

  // The translations of the word whose key is `key` (see KeyOf), in
  // increasing order; empty when it has none. The span points into this
  // lexicon. Thread-safe (const).
  std::span<const Entry> Find(uint32_t key) const;

  // The lookup key of a lower-cased word.
  static uint32_t KeyOf(uint64_t word_hash) {
    return static_cast<uint32_t>(word_hash >> 32);
  }
  // The stored form of a translation: the low 32 bits of its word hash.
  static uint32_t TranslationOf(uint64_t word_hash) {
    return static_cast<uint32_t>(word_hash);
  }

  const std::vector<Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<Entry> entries_;  // Sorted, unique.
  // Each key's run [begin, end) in entries_: a hash lookup per word instead
  // of a binary search.
  absl::flat_hash_map<uint32_t, std::pair<uint32_t, uint32_t>> runs_;
};

}  // namespace nlpd::sentiment

#endif  // NLPD_PLUGINS_SENTIMENT_MODEL_LEXICON_H_
