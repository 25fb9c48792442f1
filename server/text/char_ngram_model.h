// A character n-gram language model for short texts: multinomial naive
// Bayes over hashed n-grams of the lower-cased words, one table of
// log-probabilities per language. ChooseLanguage ranks the requested
// analyses' languages with it when CLD2 is unsure of a short text (CLD2
// says Polish for "Merkel sprach."). Trained by training/langid
// (`ninja train_langid`) from the training splits of ../shared/data; the
// model file, server/text/model/langid_ngrams.bin, is committed and
// compiled into the server.
//
// Model file layout (little-endian):
//   "NLPDLID1"
//   u32 max_order (1-5), u32 bucket_bits (8-24), u32 language_count (1-64)
//   f32 min_cost, f32 cost_step (> 0)
//   language_count x (u8 length, that many bytes: a primary subtag, "de")
//   language_count x 2^bucket_bits u8 q: the bucket's log-probability is
//     -(min_cost + q * cost_step)
#ifndef NLPD_SERVER_TEXT_CHAR_NGRAM_MODEL_H_
#define NLPD_SERVER_TEXT_CHAR_NGRAM_MODEL_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"

namespace nlpd::text {

inline constexpr int kMaxNgramOrder = 5;
inline constexpr int kMinBucketBits = 8;
inline constexpr int kMaxBucketBits = 24;

// The features of `utf8_text` (well-formed UTF-8): every word (a maximal
// run of letters and combining marks, lower-cased code point by code point
// with ICU's simple case mapping; everything else separates words) is
// padded with a boundary mark on each side, and each of its n-grams of
// orders 1 to `max_order` (n code points, within the padded word; the
// boundary mark alone is not one) is hashed to a bucket in [0,
// 2^bucket_bits). Calls `visit(order, bucket)` for each n-gram, in text
// order. A bucket at fewer bits is the same hash's top bits: bucket >>
// (bucket_bits - fewer_bits). Linear in the text; allocates nothing; pure
// and thread-safe. `max_order` in [1, kMaxNgramOrder], `bucket_bits` in
// [kMinBucketBits, kMaxBucketBits].
void ForEachNgram(std::string_view utf8_text, int max_order, int bucket_bits,
                  absl::FunctionRef<void(int order, uint32_t bucket)> visit);

// A trained model: immutable once made. Thread-safe for concurrent reads
// (Score); copyable and movable.
class CharNgramModel {
 public:
  // Parses a model file (layout above). InvalidArgument naming what is
  // wrong (bad magic, out-of-range header values, an empty or repeated
  // language, truncated or trailing bytes). Copies what it keeps: `bytes`
  // need not outlive the call.
  static absl::StatusOr<CharNgramModel> Parse(std::string_view bytes);

  // The model compiled into the server (server/text/model/
  // langid_ngrams.bin), parsed. NotFound when the build had no model file
  // (run `ninja train_langid`); else as Parse. Parses on every call: call
  // once, at start.
  static absl::StatusOr<CharNgramModel> LoadEmbedded();

  // Quantizes trained log-probabilities into a model: `log_probabilities`
  // holds one table of 2^bucket_bits natural-log probabilities per
  // language of `languages` (primary subtags, each once), in that order.
  // For the trainer; the caller guarantees the sizes and ranges.
  static CharNgramModel Quantize(
      int max_order, int bucket_bits, std::vector<std::string> languages,
      const std::vector<std::vector<double>>& log_probabilities);

  // The model file's bytes (Parse(Serialize()) gives this model back).
  std::string Serialize() const;

  // The log-likelihood (natural log) of the n-grams of `utf8_text`
  // (ForEachNgram with this model's order and buckets) under `language`
  // (its primary subtag, ASCII case ignored), with no prior: the scores of
  // two languages of this model on one text compare how well each fits.
  // nullopt when the model has no table for `language`, or the text has no
  // letters. Cost linear in the text (about 5 table reads per letter);
  // allocates nothing; thread-safe.
  std::optional<double> Score(std::string_view utf8_text,
                              std::string_view language) const;

  // The languages it has a table for (primary subtags, lower case), in
  // file order.
  std::span<const std::string> languages() const { return languages_; }
  int max_order() const { return max_order_; }
  int bucket_bits() const { return bucket_bits_; }

 private:
  CharNgramModel() = default;

  int max_order_ = 1;
  int bucket_bits_ = kMinBucketBits;
  float min_cost_ = 0;
  float cost_step_ = 1;
  std::vector<std::string> languages_;
  // languages_.size() tables of 2^bucket_bits_ quantized costs, end to end.
  std::vector<uint8_t> costs_;
};

}  // namespace nlpd::text

#endif  // NLPD_SERVER_TEXT_CHAR_NGRAM_MODEL_H_
