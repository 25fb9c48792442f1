#include "text/char_ngram_model.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "nlpd/binary_io.h"
#include "nlpd/embed_file.h"
#include "nlpd/language.h"

#ifdef NLPD_LANGID_MODEL
NLPD_EMBED_FILE(nlpd_langid_ngrams, NLPD_LANGID_MODEL);
#endif

namespace nlpd::text {
namespace {

constexpr char kMagic[8] = {'N', 'L', 'P', 'D', 'L', 'I', 'D', '1'};
constexpr int kMaxLanguages = 64;
// The mark on each side of a word.
constexpr UChar32 kBoundary = ' ';

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

// splitmix64's finalizer: spreads the FNV hash over the top bits.
uint64_t Mix(uint64_t h) {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

bool IsWordChar(UChar32 c) {
  return u_isalpha(c) != 0 || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

using sdk::AppendValue;
using sdk::ByteReader;

// `text` in ASCII lower case (absl::string_view is not std::string_view in
// every absl build).
std::string LowerAscii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = absl::ascii_tolower(c);
  return lower;
}

absl::Status Invalid(std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      "language model: ", absl::string_view(what.data(), what.size())));
}

}  // namespace

void ForEachNgram(std::string_view utf8_text, int max_order, int bucket_bits,
                  absl::FunctionRef<void(int order, uint32_t bucket)> visit) {
  // The last max_order code points of the padded word, newest last.
  UChar32 window[kMaxNgramOrder] = {};
  int filled = 0;
  const int shift = 64 - bucket_bits;
  auto push = [&](UChar32 c) {
    if (filled == max_order) {
      std::memmove(window, window + 1, sizeof(UChar32) * (max_order - 1));
      --filled;
    }
    window[filled++] = c;
    // The n-grams ending at c: its last n code points, oldest first.
    for (int n = 1; n <= filled; ++n) {
      if (n == 1 && c == kBoundary) continue;
      uint64_t h = kFnvOffset;
      for (int k = filled - n; k < filled; ++k) {
        h = (h ^ static_cast<uint32_t>(window[k])) * kFnvPrime;
      }
      visit(n,
            static_cast<uint32_t>(Mix(h + static_cast<uint64_t>(n)) >> shift));
    }
  };
  bool in_word = false;
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8_text.data());
  const auto length =
      static_cast<int32_t>(std::min<size_t>(utf8_text.size(), INT32_MAX));
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c >= 0 && IsWordChar(c)) {
      if (!in_word) {
        filled = 0;
        push(kBoundary);
        in_word = true;
      }
      push(u_tolower(c));
    } else if (in_word) {
      push(kBoundary);
      in_word = false;
    }
  }
  if (in_word) push(kBoundary);
}

absl::StatusOr<CharNgramModel> CharNgramModel::Parse(std::string_view bytes) {
  ByteReader reader(bytes);
  std::string_view magic;
  if (!reader.Take(sizeof kMagic, &magic) ||
      magic != std::string_view(kMagic, sizeof kMagic)) {
    return Invalid("not a model file (bad magic)");
  }
  uint32_t max_order = 0;
  uint32_t bucket_bits = 0;
  uint32_t language_count = 0;
  CharNgramModel model;
  if (!reader.Get(&max_order) || !reader.Get(&bucket_bits) ||
      !reader.Get(&language_count) || !reader.Get(&model.min_cost_) ||
      !reader.Get(&model.cost_step_)) {
    return Invalid("truncated header");
  }
  if (max_order < 1 || max_order > kMaxNgramOrder) {
    return Invalid(absl::StrCat("max_order ", max_order, " not in [1, ",
                                kMaxNgramOrder, "]"));
  }
  if (bucket_bits < kMinBucketBits || bucket_bits > kMaxBucketBits) {
    return Invalid(absl::StrCat("bucket_bits ", bucket_bits, " not in [",
                                kMinBucketBits, ", ", kMaxBucketBits, "]"));
  }
  if (language_count < 1 || language_count > kMaxLanguages) {
    return Invalid(absl::StrCat("language_count ", language_count,
                                " not in [1, ", kMaxLanguages, "]"));
  }
  if (!std::isfinite(model.min_cost_) || !(model.cost_step_ > 0) ||
      !std::isfinite(model.cost_step_)) {
    return Invalid("bad cost scale");
  }
  model.max_order_ = static_cast<int>(max_order);
  model.bucket_bits_ = static_cast<int>(bucket_bits);
  for (uint32_t i = 0; i < language_count; ++i) {
    uint8_t size = 0;
    std::string_view code;
    if (!reader.Get(&size) || !reader.Take(size, &code)) {
      return Invalid("truncated language list");
    }
    std::string language = LowerAscii(code);
    if (language.empty() ||
        std::find(model.languages_.begin(), model.languages_.end(), language) !=
            model.languages_.end()) {
      return Invalid(
          absl::StrCat("empty or repeated language '", language, "'"));
    }
    model.languages_.push_back(std::move(language));
  }
  const size_t table_size = size_t{1} << bucket_bits;
  std::string_view tables;
  if (!reader.Take(table_size * language_count, &tables)) {
    return Invalid("truncated tables");
  }
  if (reader.remaining() != 0) return Invalid("trailing bytes");
  model.costs_.assign(tables.begin(), tables.end());
  return model;
}

absl::StatusOr<CharNgramModel> CharNgramModel::LoadEmbedded() {
#ifdef NLPD_LANGID_MODEL
  return Parse(NLPD_EMBEDDED_FILE(nlpd_langid_ngrams));
#else
  return absl::NotFoundError(
      "language model: the build had no server/text/model/langid_ngrams.bin "
      "(run `ninja train_langid`)");
#endif
}

CharNgramModel CharNgramModel::Quantize(
    int max_order, int bucket_bits, std::vector<std::string> languages,
    const std::vector<std::vector<double>>& log_probabilities) {
  CharNgramModel model;
  model.max_order_ = max_order;
  model.bucket_bits_ = bucket_bits;
  model.languages_ = std::move(languages);
  double min_cost = std::numeric_limits<double>::infinity();
  double max_cost = -std::numeric_limits<double>::infinity();
  for (const std::vector<double>& table : log_probabilities) {
    for (double log_p : table) {
      min_cost = std::min(min_cost, -log_p);
      max_cost = std::max(max_cost, -log_p);
    }
  }
  model.min_cost_ = static_cast<float>(min_cost);
  model.cost_step_ =
      static_cast<float>(std::max((max_cost - min_cost) / 255.0, 1e-6));
  model.costs_.reserve(log_probabilities.size() << bucket_bits);
  for (const std::vector<double>& table : log_probabilities) {
    for (double log_p : table) {
      const double q = std::round((-log_p - model.min_cost_) /
                                  static_cast<double>(model.cost_step_));
      model.costs_.push_back(static_cast<uint8_t>(std::clamp(q, 0.0, 255.0)));
    }
  }
  return model;
}

std::string CharNgramModel::Serialize() const {
  std::string out(kMagic, sizeof kMagic);
  AppendValue<uint32_t>(out, static_cast<uint32_t>(max_order_));
  AppendValue<uint32_t>(out, static_cast<uint32_t>(bucket_bits_));
  AppendValue<uint32_t>(out, static_cast<uint32_t>(languages_.size()));
  AppendValue<float>(out, min_cost_);
  AppendValue<float>(out, cost_step_);
  for (const std::string& language : languages_) {
    AppendValue<uint8_t>(out, static_cast<uint8_t>(language.size()));
    out += language;
  }
  out.append(reinterpret_cast<const char*>(costs_.data()), costs_.size());
  return out;
}

std::optional<double> CharNgramModel::Score(std::string_view utf8_text,
                                            std::string_view language) const {
  const std::string_view primary = sdk::PrimarySubtag(language);
  auto same = [primary](std::string_view known) {
    return known.size() == primary.size() &&
           std::equal(
               known.begin(), known.end(), primary.begin(),
               [](char a, char b) { return a == absl::ascii_tolower(b); });
  };
  size_t index = 0;
  while (index < languages_.size() && !same(languages_[index])) ++index;
  if (index == languages_.size()) return std::nullopt;
  const uint8_t* table = costs_.data() + (index << bucket_bits_);
  uint64_t count = 0;
  uint64_t quanta = 0;
  ForEachNgram(utf8_text, max_order_, bucket_bits_,
               [&](int /*order*/, uint32_t bucket) {
                 ++count;
                 quanta += table[bucket];
               });
  if (count == 0) return std::nullopt;
  return -(static_cast<double>(count) * min_cost_ +
           static_cast<double>(quanta) * cost_step_);
}

}  // namespace nlpd::text
