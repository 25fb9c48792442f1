// The named-entity tagger shared by the entities plugin and the trainer
// (training/ner): features, the hashed weight table, Viterbi decoding,
// token marginals for confidence, and the model file format. One
// implementation, so the plugin tags exactly as the trainer evaluated.
//
// Tags are BIO over PER, LOC, ORG, MISC. A token's features are hashed into
// one of 2^row_bits rows; each row holds one weight per tag, so a token's
// emission scores are the sum of its feature rows. Tag bigram weights
// (with a start row) score transitions; decoding is Viterbi with the BIO
// constraint (I-X only after B-X or I-X).
#ifndef NLPD_PLUGINS_ENTITIES_NER_TAGGER_H_
#define NLPD_PLUGINS_ENTITIES_NER_TAGGER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "common/word_text.h"

namespace nlpd::ner {

// Tags: O, then B-/I- for each type in kTypes order.
inline constexpr int kNumTypes = 4;
inline constexpr int kNumTags = 1 + 2 * kNumTypes;
inline constexpr std::string_view kTypes[kNumTypes] = {"PER", "LOC", "ORG",
                                                       "MISC"};
inline constexpr int kOutside = 0;
inline constexpr int BeginTag(int type) { return 1 + 2 * type; }
inline constexpr int InsideTag(int type) { return 2 + 2 * type; }
inline constexpr int TagType(int tag) { return tag == 0 ? -1 : (tag - 1) / 2; }
inline constexpr bool IsBegin(int tag) {
  return tag != 0 && (tag - 1) % 2 == 0;
}
std::string TagName(int tag);             // "O", "B-PER", ...
int TagFromName(std::string_view name);   // -1 when unknown
int TypeFromName(std::string_view name);  // "PER" -> 0; -1 when unknown
// Transition allowed by BIO: I-X only after B-X or I-X. prev = -1: start.
bool Allowed(int prev, int tag);

// An entity as token indices [begin, end) and type index.
struct TokenSpan {
  int begin = 0;
  int end = 0;
  int type = 0;
  bool operator==(const TokenSpan&) const = default;
};
// Spans of a BIO tag sequence, CoNLL style: an I-X that does not continue an
// X span starts one.
std::vector<TokenSpan> SpansFromTags(std::span<const int> tags);

// A class byte per word key (LowerVocabulary); a flat hash map because the
// tagger looks words up for every token.
using WordClasses = absl::flat_hash_map<uint32_t, uint8_t>;

// How often words were seen lower-cased in running text (not sentence
// initially) relative to capitalized: the feature that separates German
// common nouns ("Regierung") from names ("Merkel"). Keys are hashes of the
// lower-cased word; values a small class 1..kLowerClasses.
class LowerVocabulary {
 public:
  static constexpr int kClasses = 4;
  // Counts words of sentences (tokens as given); Finish() turns counts into
  // classes.
  void Count(std::span<const std::string_view> words);
  void Finish(int min_count = 1);
  // Marks the words of a spelling dictionary (one word a line, e.g. Debian's
  // /usr/share/dict/ngerman): bit 2 when the lower-case form is listed, bit 3
  // when a capitalized form is. Call after Finish().
  void AddDictionary(std::span<const std::string_view> words);
  // Marks place names (e.g. CLDR's country and city names): bit 5 for a
  // one-word name, bit 4 for a word of a longer name.
  void AddPlaceNames(std::span<const std::string> names);
  // Bits 0-1: 0 never seen lower-cased; 1..3 seen, by share of lower-cased
  // uses. Bits 2-3: dictionary flags (AddDictionary); bits 4-5: place names.
  uint8_t Class(uint64_t lower_hash) const;
  // Training-data gazetteer: counts, for each capitalized word (or one
  // starting with a digit; key: the lower-cased form), its uses inside
  // PER/LOC/ORG/MISC names (BIO tags as in tagger.h) and outside.
  // FinishGazetteer() stores one class byte per word seen >= min_count times
  // in names, under the key GazetteerKey(word) in the same table (so the
  // model file format is unchanged).
  void CountNames(std::span<const std::string_view> words,
                  std::span<const int> tags);
  void FinishGazetteer(int min_count = 1);
  static uint32_t GazetteerKey(std::string_view lower);
  // 0: not in the gazetteer; else 1 + type * 8 + share bucket * 2 + first.
  uint8_t Gazetteer(std::string_view lower) const;
  const WordClasses& classes() const { return classes_; }
  WordClasses& mutable_classes() { return classes_; }

 private:
  std::unordered_map<uint32_t, std::pair<uint32_t, uint32_t>> counts_;
  WordClasses classes_;
  struct NameCounts {
    uint32_t total = 0, first = 0;
    uint32_t type[kNumTypes] = {};
  };
  std::unordered_map<uint32_t, NameCounts> name_counts_;
};

// Lower-cases UTF-8 (Unicode simple case mapping), as every plugin model
// does.
using word_text::LowerCase;
// Word shape, runs collapsed: "Merkel" -> "Xx", "G20" -> "Xd", "3,5" -> "d,d".
std::string Shape(std::string_view word);
uint64_t Hash(std::string_view text, uint64_t seed = 0);

// Computes the feature rows of each token of a sentence. Thread-safe.
class FeatureExtractor {
 public:
  // `gazetteer`: where to look up gazetteer classes (training uses one
  // built from the other folds); nullptr: `vocabulary`.
  FeatureExtractor(const LowerVocabulary* vocabulary, int row_bits,
                   const LowerVocabulary* gazetteer = nullptr)
      : vocabulary_(vocabulary),
        gazetteer_(gazetteer ? gazetteer : vocabulary),
        row_mask_((uint32_t{1} << row_bits) - 1) {}
  // rows gets the concatenated rows of all tokens; offsets has size n+1,
  // token i's rows are rows[offsets[i], offsets[i+1]).
  void Extract(std::span<const std::string_view> words,
               std::vector<uint32_t>& rows,
               std::vector<uint32_t>& offsets) const;
  // Hyphenated compounds whose first part may be a name ("NATO-Gipfel",
  // "Merkel-Regierung"; capitalized, text on both sides of the first
  // hyphen): the byte length of that part, or 0 when `word` is no such
  // compound.
  static size_t CompoundPart(std::string_view word);
  // Features of the first part of compound words[i] for the part decision
  // (rows as for Extract; scored on the columns O and B-X).
  void PartFeatures(std::span<const std::string_view> words, int i,
                    std::vector<uint32_t>& rows) const;

 private:
  const LowerVocabulary* vocabulary_;
  const LowerVocabulary* gazetteer_;
  uint32_t row_mask_;
};

// Best tag sequence for emission scores [n][kNumTags] (row major) and
// transitions [(kNumTags + 1)][kNumTags] (row 0: start).
void Viterbi(std::span<const float> emissions,
             std::span<const float> transitions, int n, std::vector<int>& tags);
// Posterior marginals P(tag_i = t) under a linear-chain model with the
// scores divided by `temperature` (forward-backward); [n][kNumTags].
void Marginals(std::span<const float> emissions,
               std::span<const float> transitions, int n, float temperature,
               std::vector<float>& marginals);

// A trained model, as stored in a model file.
struct ModelData {
  int row_bits = 20;
  float temperature = 1.0f;  // for confidences
  // The weights also hold the part decision (FeatureExtractor::PartFeatures;
  // stored as a trailing flags word).
  bool part_model = false;
  std::vector<float> transitions;  // (kNumTags+1)*kNumTags
  std::vector<float> weights;      // (1<<row_bits)*kNumTags
  WordClasses lower_classes;
};
// Serializes with 8-bit quantized weights; rows whose quantized weights are
// all zero are left out.
std::string SerializeModel(const ModelData& model);

// An entity found by the tagger, in token indices, with its confidence.
struct TaggedEntity {
  TokenSpan span;
  float confidence = 0;
  // > 0: the entity is only the first part_bytes bytes of token span.begin,
  // the name in a hyphenated compound ("NATO" in "NATO-Generalsekretär").
  size_t part_bytes = 0;
};

// A loaded model. Immutable; Tag is thread-safe.
class Tagger {
 public:
  // Parses a model file; nullptr with *error set when it is malformed.
  static std::unique_ptr<Tagger> Load(std::string_view bytes,
                                      std::string* error);
  // Builds from in-memory float weights (training, evaluation).
  static std::unique_ptr<Tagger> FromData(ModelData data);

  // Tags one sentence.
  void Tag(std::span<const std::string_view> words,
           std::vector<int>& tags) const;
  // Tags one sentence and gives each entity a confidence: the minimum over
  // its tokens of the posterior marginal of the decoded tag.
  std::vector<TaggedEntity> Entities(
      std::span<const std::string_view> words) const;
  // The part decision for compound words[i] (CompoundPart > 0): the type
  // of the name its first part is, or -1; *confidence its probability.
  int PartType(std::span<const std::string_view> words, int i,
               float* confidence) const;
  // Emission scores of a sentence, [n][kNumTags].
  void Emissions(std::span<const std::string_view> words,
                 std::vector<float>& scores) const;

  const ModelData& data() const { return data_; }

 private:
  Tagger() = default;
  // The weight of row r, tag t: data_.weights[r * kNumTags + t] for a
  // model built in memory (FromData); for a model file (Load) its 8-bit
  // value in quantized_ times scale_, computed where it is used. That is the
  // same float the dequantized table held, and a quarter of the memory: the
  // rows are read at random, one cache miss each.
  template <typename Fn>
  void WithWeights(Fn&& fn) const;

  ModelData data_;  // weights empty for a loaded model
  std::vector<int8_t> quantized_;
  float scale_ = 0;
  LowerVocabulary vocabulary_;
  std::unique_ptr<FeatureExtractor> extractor_;
};

}  // namespace nlpd::ner

#endif  // NLPD_PLUGINS_ENTITIES_NER_TAGGER_H_
