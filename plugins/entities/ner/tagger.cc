#include "ner/tagger.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>

namespace nlpd::ner {
namespace {

using word_text::NextCodePoint;
using word_text::PrefixCodePoints;
using word_text::StartsLower;
using word_text::StartsUpper;
using word_text::SuffixCodePoints;

constexpr char kMagic[8] = {'N', 'L', 'P', 'D', 'N', 'E', 'R', '1'};

struct TokenView {
  std::string_view word;
  std::string lower;
  std::string shape;
  uint64_t lower_hash;
  uint8_t lower_class;
  uint8_t gazetteer;
};

}  // namespace

std::string TagName(int tag) {
  if (tag == 0) return "O";
  return std::string(IsBegin(tag) ? "B-" : "I-") +
         std::string(kTypes[TagType(tag)]);
}
int TypeFromName(std::string_view name) {
  for (int t = 0; t < kNumTypes; ++t) {
    if (kTypes[t] == name) return t;
  }
  return -1;
}
int TagFromName(std::string_view name) {
  if (name == "O") return 0;
  if (name.size() < 3 || name[1] != '-') return -1;
  int type = TypeFromName(name.substr(2));
  if (type < 0) return -1;
  if (name[0] == 'B') return BeginTag(type);
  if (name[0] == 'I') return InsideTag(type);
  return -1;
}
bool Allowed(int prev, int tag) {
  if (tag == 0 || IsBegin(tag)) return true;
  return prev > 0 && TagType(prev) == TagType(tag);
}

std::vector<TokenSpan> SpansFromTags(std::span<const int> tags) {
  std::vector<TokenSpan> spans;
  int n = static_cast<int>(tags.size());
  for (int i = 0; i < n;) {
    if (tags[i] == 0) {
      ++i;
      continue;
    }
    int type = TagType(tags[i]);
    int j = i + 1;
    while (j < n && tags[j] == InsideTag(type)) ++j;
    spans.push_back({i, j, type});
    i = j;
  }
  return spans;
}

uint64_t Hash(std::string_view text, uint64_t seed) {
  uint64_t h = 1469598103934665603ull ^ (seed * 0x9E3779B97F4A7C15ull);
  for (char c : text) {
    h ^= static_cast<uint8_t>(c);
    h *= 1099511628211ull;
  }
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return h;
}

std::string Shape(std::string_view word) {
  std::string out;
  char last = 0;
  int run = 0;
  for (size_t i = 0; i < word.size();) {
    UChar32 c = NextCodePoint(word, i);
    char s;
    if (u_isupper(c)) {
      s = 'X';
    } else if (u_islower(c) || u_isalpha(c)) {
      s = 'x';
    } else if (u_isdigit(c)) {
      s = 'd';
    } else if (c < 0x80) {
      s = static_cast<char>(c);
    } else {
      s = '*';
    }
    if (s == last) {
      // Runs of letters or digits collapse to two: "Xxx", "dd".
      if (++run == 1 && (s == 'x' || s == 'X' || s == 'd')) out += s;
      continue;
    }
    last = s;
    run = 0;
    out += s;
  }
  return out;
}

void LowerVocabulary::Count(std::span<const std::string_view> words) {
  for (size_t i = 1; i < words.size(); ++i) {
    std::string_view w = words[i];
    // Skip the word after an opening quote or colon: often capitalized.
    if (words[i - 1] == "\"" || words[i - 1] == ":" || words[i - 1] == "„") {
      continue;
    }
    bool lower = StartsLower(w), upper = StartsUpper(w);
    if (!lower && !upper) continue;
    auto& c = counts_[static_cast<uint32_t>(Hash(LowerCase(w)))];
    (lower ? c.first : c.second)++;
  }
}

void LowerVocabulary::Finish(int min_count) {
  classes_.clear();
  for (const auto& [key, c] : counts_) {
    if (c.first < static_cast<uint32_t>(min_count)) continue;
    double share = static_cast<double>(c.first) / (c.first + c.second);
    classes_[key] = share < 0.2 ? 1 : share < 0.8 ? 2 : 3;
  }
  counts_.clear();
}

void LowerVocabulary::AddDictionary(std::span<const std::string_view> words) {
  for (std::string_view w : words) {
    if (w.empty()) continue;
    uint8_t flag = StartsUpper(w) ? 8 : StartsLower(w) ? 4 : 0;
    if (flag) classes_[static_cast<uint32_t>(Hash(LowerCase(w)))] |= flag;
  }
}

void LowerVocabulary::AddPlaceNames(std::span<const std::string> names) {
  for (const std::string& name : names) {
    std::vector<std::string_view> words;
    size_t start = 0;
    while (start < name.size()) {
      size_t space = name.find(' ', start);
      if (space == std::string::npos) space = name.size();
      if (space > start) {
        words.push_back(std::string_view(name).substr(start, space - start));
      }
      start = space + 1;
    }
    for (std::string_view w : words) {
      classes_[static_cast<uint32_t>(Hash(LowerCase(w)))] |=
          words.size() == 1 ? 32 : 16;
    }
  }
}

uint8_t LowerVocabulary::Class(uint64_t lower_hash) const {
  auto it = classes_.find(static_cast<uint32_t>(lower_hash));
  return it == classes_.end() ? 0 : it->second;
}

void LowerVocabulary::CountNames(std::span<const std::string_view> words,
                                 std::span<const int> tags) {
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i].empty() ||
        (!StartsUpper(words[i]) &&
         !std::isdigit(static_cast<unsigned char>(words[i][0])))) {
      continue;
    }
    NameCounts& c = name_counts_[GazetteerKey(LowerCase(words[i]))];
    ++c.total;
    if (tags[i] != kOutside) {
      ++c.type[TagType(tags[i])];
      if (IsBegin(tags[i])) ++c.first;
    }
  }
}

uint32_t LowerVocabulary::GazetteerKey(std::string_view lower) {
  return static_cast<uint32_t>(Hash(lower, 0x6a7a));
}

void LowerVocabulary::FinishGazetteer(int min_count) {
  for (const auto& [key, c] : name_counts_) {
    uint32_t in = 0;
    int best = 0;
    for (int t = 0; t < kNumTypes; ++t) {
      in += c.type[t];
      if (c.type[t] > c.type[best]) best = t;
    }
    if (in < static_cast<uint32_t>(min_count)) continue;
    double share = static_cast<double>(in) / c.total;
    int bucket = share < 0.3 ? 0 : share < 0.7 ? 1 : share < 0.95 ? 2 : 3;
    int first = 2 * c.first >= in ? 1 : 0;
    classes_[key] = static_cast<uint8_t>(1 + best * 8 + bucket * 2 + first);
  }
  name_counts_.clear();
}

uint8_t LowerVocabulary::Gazetteer(std::string_view lower) const {
  auto it = classes_.find(GazetteerKey(lower));
  return it == classes_.end() ? 0 : it->second;
}

constexpr bool kCharNgrams = true;
constexpr bool kOneLetterFilter = true;
constexpr bool kGazetteerFeatures = true;

void FeatureExtractor::Extract(std::span<const std::string_view> words,
                               std::vector<uint32_t>& rows,
                               std::vector<uint32_t>& offsets) const {
  const int n = static_cast<int>(words.size());
  std::vector<TokenView> t(n);
  for (int i = 0; i < n; ++i) {
    t[i].word = words[i];
    t[i].lower = LowerCase(words[i]);
    t[i].shape = Shape(words[i]);
    t[i].lower_hash = Hash(t[i].lower);
    t[i].lower_class = vocabulary_ ? vocabulary_->Class(t[i].lower_hash) : 0;
    t[i].gazetteer = gazetteer_ ? gazetteer_->Gazetteer(t[i].lower) : 0;
  }
  auto gaz_at = [&](int i) -> int {
    return i < 0 || i >= n ? 255 : t[i].gazetteer;
  };
  static const std::string kBoundary[2] = {"<s>", "</s>"};
  auto lower_at = [&](int i) -> std::string_view {
    return i < 0    ? kBoundary[0]
           : i >= n ? kBoundary[1]
                    : std::string_view(t[i].lower);
  };
  auto shape_at = [&](int i) -> std::string_view {
    return i < 0    ? kBoundary[0]
           : i >= n ? kBoundary[1]
                    : std::string_view(t[i].shape);
  };
  auto class_at = [&](int i) -> int {
    return i < 0 || i >= n
               ? 255
               : t[i].lower_class * 2 + (StartsUpper(t[i].word) ? 1 : 0);
  };
  rows.clear();
  offsets.assign(1, 0);
  std::string buffer;
  for (int i = 0; i < n; ++i) {
    auto add = [&](uint64_t id, std::string_view value) {
      rows.push_back(static_cast<uint32_t>(Hash(value, id)) & row_mask_);
    };
    auto add2 = [&](uint64_t id, std::string_view a, std::string_view b) {
      buffer.assign(a);
      buffer += '\x1f';
      buffer += b;
      add(id, buffer);
    };
    const TokenView& w = t[i];
    const bool initial =
        i == 0 || (i == 1 && t[0].shape.size() == 1 &&
                   !std::isalnum(static_cast<unsigned char>(t[0].shape[0])));
    add(1, "bias");
    add(2, w.word);
    add(3, w.lower);
    for (int k = 1; k <= 4; ++k) {
      add(10 + k, PrefixCodePoints(w.lower, k));
      add(20 + k, SuffixCodePoints(w.lower, k));
    }
    add(4, w.shape);
    add2(5, w.shape, initial ? "1" : "0");
    add(6, initial ? "initial" : "inner");
    // Seen lower-cased in training text, with capitalization and position.
    char cls[4] = {static_cast<char>('A' + w.lower_class),
                   StartsUpper(w.word) ? 'U' : 'l', initial ? 'I' : 'n', 0};
    add(7, cls);
    add2(8, cls, w.shape);
    add2(9, cls, SuffixCodePoints(w.lower, 3));
    // Context.
    for (int d = -2; d <= 2; ++d) {
      if (d == 0) continue;
      add(30 + d, lower_at(i + d));
      add(40 + d, shape_at(i + d));
      char c[3] = {static_cast<char>('0' + class_at(i + d)), 0, 0};  // '0'..'P'
      add(50 + d, c);
    }
    add2(60, lower_at(i - 1), w.lower);
    add2(61, w.lower, lower_at(i + 1));
    add2(62, shape_at(i - 1), w.shape);
    add2(63, w.shape, shape_at(i + 1));
    add2(64, lower_at(i - 1), w.shape);
    add2(65, w.shape, lower_at(i + 1));
    add2(66, SuffixCodePoints(lower_at(i - 1), 3), w.shape);
    // Character trigrams of the lower-cased word with boundaries, for
    // unseen names ("^ko", "ski", "rg$").
    if (kCharNgrams) {
      buffer = "^" + w.lower + "$";
      std::string_view b = buffer;
      std::vector<size_t> starts;
      for (size_t k = 0; k < b.size(); ++k) {
        if ((static_cast<uint8_t>(b[k]) & 0xC0) != 0x80) starts.push_back(k);
      }
      starts.push_back(b.size());
      std::string gram;
      for (size_t k = 0; k + 3 < starts.size(); ++k) {
        gram.assign(b.substr(starts[k], starts[k + 3] - starts[k]));
        add(80, gram);
      }
    }
    // Parts of hyphenated words ("CDU-Fraktion", "Nato-Gipfel").
    if (size_t h = w.lower.find('-'); h != std::string::npos && h > 0) {
      add(70, std::string_view(w.lower).substr(0, h));
      add(71, std::string_view(w.lower).substr(h + 1));
    }
    // Training-data gazetteer class of the word (dominant type inside
    // names, share of name uses, first-token flag), alone, with the shape,
    // and with the classes of the neighbours. (Boundaries: 1 + 255 wraps
    // to an empty value, distinct from the classes.)
    if (kGazetteerFeatures) {
      char g[4] = {static_cast<char>(1 + gaz_at(i)), 0, 0, 0};
      add(90, g);
      add2(91, g, w.shape);
      g[1] = static_cast<char>(1 + gaz_at(i - 1));
      add(92, g);
      g[1] = static_cast<char>(1 + gaz_at(i + 1));
      add(93, g);
      char p[2] = {static_cast<char>(1 + gaz_at(i - 1)), 0};
      add(94, p);
      p[0] = static_cast<char>(1 + gaz_at(i + 1));
      add(95, p);
    }
    offsets.push_back(static_cast<uint32_t>(rows.size()));
  }
}

size_t FeatureExtractor::CompoundPart(std::string_view word) {
  size_t h = word.find('-');
  if (h == std::string_view::npos || h == 0 || h + 1 >= word.size()) return 0;
  if (!StartsUpper(word)) return 0;
  return h;
}

void FeatureExtractor::PartFeatures(std::span<const std::string_view> words,
                                    int i, std::vector<uint32_t>& rows) const {
  rows.clear();
  const size_t h = CompoundPart(words[i]);
  if (h == 0) return;
  auto add = [&](uint64_t id, std::string_view value) {
    rows.push_back(static_cast<uint32_t>(Hash(value, id + 1000)) & row_mask_);
  };
  std::string_view part = words[i].substr(0, h);
  std::string_view rest = words[i].substr(h + 1);
  const std::string lower = LowerCase(part), rest_lower = LowerCase(rest);
  const std::string shape = Shape(part);
  const uint8_t gaz = gazetteer_ ? gazetteer_->Gazetteer(lower) : 0;
  const uint8_t cls = vocabulary_ ? vocabulary_->Class(Hash(lower)) : 0;
  std::string buffer;
  auto add2 = [&](uint64_t id, std::string_view a, std::string_view b) {
    buffer.assign(a);
    buffer += '\x1f';
    buffer += b;
    add(id, buffer);
  };
  char g[2] = {static_cast<char>(1 + gaz), 0};
  char c[2] = {static_cast<char>(1 + cls), 0};
  add(1, "bias");
  add(2, part);
  add(3, lower);
  add(4, shape);
  add(5, g);
  add2(6, g, shape);
  add(7, c);
  add2(8, c, shape);
  add(9, rest_lower);
  add(10, SuffixCodePoints(rest_lower, 3));
  add(11, SuffixCodePoints(rest_lower, 5));
  add(12, SuffixCodePoints(lower, 3));
  add(13, PrefixCodePoints(lower, 3));
  add(14, i > 0 ? LowerCase(words[i - 1]) : std::string("<s>"));
  add(15,
      std::count(words[i].begin(), words[i].end(), '-') > 1 ? "multi" : "one");
}

void Viterbi(std::span<const float> emissions,
             std::span<const float> transitions, int n,
             std::vector<int>& tags) {
  constexpr int T = kNumTags;
  constexpr float kNeg = -std::numeric_limits<float>::infinity();
  tags.assign(n, 0);
  if (n == 0) return;
  std::vector<float> score(static_cast<size_t>(n) * T);
  std::vector<int> back(static_cast<size_t>(n) * T, 0);
  for (int t = 0; t < T; ++t) {
    score[t] = Allowed(-1, t) ? transitions[t] + emissions[t] : kNeg;
  }
  for (int i = 1; i < n; ++i) {
    for (int t = 0; t < T; ++t) {
      float best = kNeg;
      int arg = 0;
      for (int p = 0; p < T; ++p) {
        if (!Allowed(p, t)) continue;
        float s = score[(i - 1) * T + p] + transitions[(p + 1) * T + t];
        if (s > best) {
          best = s;
          arg = p;
        }
      }
      score[i * T + t] = best + emissions[i * T + t];
      back[i * T + t] = arg;
    }
  }
  int arg = 0;
  for (int t = 1; t < T; ++t) {
    if (score[(n - 1) * T + t] > score[(n - 1) * T + arg]) arg = t;
  }
  for (int i = n - 1; i >= 0; --i) {
    tags[i] = arg;
    arg = back[i * T + arg];
  }
}

void Marginals(std::span<const float> emissions,
               std::span<const float> transitions, int n, float temperature,
               std::vector<float>& marginals) {
  constexpr int T = kNumTags;
  constexpr double kNeg = -1e30;
  const double inv = 1.0 / temperature;
  std::vector<double> alpha(static_cast<size_t>(n) * T);
  std::vector<double> beta(static_cast<size_t>(n) * T);
  // exp(x) is exactly 0 for x below about -745: such terms are skipped
  // rather than sent through exp's slow underflow path (the disallowed
  // transitions are all of that kind). The sums are unchanged, bit for bit.
  constexpr double kExpIsZeroBelow = -1000;
  auto exp_or_zero = [](double x) {
    return x < kExpIsZeroBelow ? 0.0 : std::exp(x);
  };
  auto logsumexp = [&](const double* v, int k) {
    double m = *std::max_element(v, v + k);
    if (m <= kNeg / 2) return kNeg;
    double s = 0;
    for (int j = 0; j < k; ++j) {
      if (v[j] - m >= kExpIsZeroBelow) s += std::exp(v[j] - m);
    }
    return m + std::log(s);
  };
  double buf[T];
  for (int t = 0; t < T; ++t) {
    alpha[t] = Allowed(-1, t) ? (transitions[t] + emissions[t]) * inv : kNeg;
  }
  for (int i = 1; i < n; ++i) {
    for (int t = 0; t < T; ++t) {
      for (int p = 0; p < T; ++p) {
        buf[p] = Allowed(p, t) ? alpha[(i - 1) * T + p] +
                                     transitions[(p + 1) * T + t] * inv
                               : kNeg;
      }
      alpha[i * T + t] = logsumexp(buf, T) + emissions[i * T + t] * inv;
    }
  }
  for (int t = 0; t < T; ++t) beta[(n - 1) * T + t] = 0;
  for (int i = n - 2; i >= 0; --i) {
    for (int p = 0; p < T; ++p) {
      for (int t = 0; t < T; ++t) {
        buf[t] = Allowed(p, t) ? transitions[(p + 1) * T + t] * inv +
                                     emissions[(i + 1) * T + t] * inv +
                                     beta[(i + 1) * T + t]
                               : kNeg;
      }
      beta[i * T + p] = logsumexp(buf, T);
    }
  }
  const double z = logsumexp(&alpha[static_cast<size_t>(n - 1) * T], T);
  marginals.resize(static_cast<size_t>(n) * T);
  for (int k = 0; k < n * T; ++k) {
    marginals[k] = static_cast<float>(exp_or_zero(alpha[k] + beta[k] - z));
  }
}

// File: magic, u32 row_bits, f32 temperature, f32 scale,
// f32 transitions[(T+1)*T], u32 n_lower, n_lower x (u32 key, u8 class),
// u32 n_rows, n_rows x (u32 row, i8 weights[T]).
std::string SerializeModel(const ModelData& model) {
  std::string out(kMagic, 8);
  auto put = [&](const void* p, size_t n) {
    out.append(static_cast<const char*>(p), n);
  };
  uint32_t bits = model.row_bits;
  put(&bits, 4);
  put(&model.temperature, 4);
  float max_abs = 0;
  for (float w : model.weights) max_abs = std::max(max_abs, std::fabs(w));
  float scale = max_abs > 0 ? max_abs / 127.0f : 1.0f;
  put(&scale, 4);
  put(model.transitions.data(), model.transitions.size() * 4);
  std::vector<std::pair<uint32_t, uint8_t>> lower(model.lower_classes.begin(),
                                                  model.lower_classes.end());
  std::sort(lower.begin(), lower.end());
  uint32_t n_lower = lower.size();
  put(&n_lower, 4);
  for (auto& [k, c] : lower) {
    put(&k, 4);
    put(&c, 1);
  }
  std::string rows;
  uint32_t n_rows = 0;
  const uint32_t total = uint32_t{1} << model.row_bits;
  for (uint32_t r = 0; r < total; ++r) {
    int8_t q[kNumTags];
    bool any = false;
    for (int t = 0; t < kNumTags; ++t) {
      float v = std::round(model.weights[r * kNumTags + t] / scale);
      q[t] = static_cast<int8_t>(std::clamp(v, -127.0f, 127.0f));
      any |= q[t] != 0;
    }
    if (!any) continue;
    ++n_rows;
    rows.append(reinterpret_cast<const char*>(&r), 4);
    rows.append(reinterpret_cast<const char*>(q), kNumTags);
  }
  put(&n_rows, 4);
  out += rows;
  if (model.part_model) {
    uint32_t flags = 1;
    put(&flags, 4);
  }
  return out;
}

std::unique_ptr<Tagger> Tagger::Load(std::string_view bytes,
                                     std::string* error) {
  size_t pos = 0;
  auto get = [&](void* p, size_t n) {
    if (pos + n > bytes.size()) return false;
    std::memcpy(p, bytes.data() + pos, n);
    pos += n;
    return true;
  };
  auto fail = [&](const char* what) {
    if (error) *error = std::string("bad NER model file: ") + what;
    return nullptr;
  };
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kMagic, 8) != 0) {
    return fail("wrong magic");
  }
  pos = 8;
  ModelData data;
  uint32_t bits;
  float scale;
  if (!get(&bits, 4) || bits < 8 || bits > 24 || !get(&data.temperature, 4) ||
      !get(&scale, 4)) {
    return fail("truncated header");
  }
  data.row_bits = static_cast<int>(bits);
  data.transitions.resize(static_cast<size_t>(kNumTags + 1) * kNumTags);
  if (!get(data.transitions.data(), data.transitions.size() * 4)) {
    return fail("truncated transitions");
  }
  uint32_t n_lower;
  if (!get(&n_lower, 4)) return fail("truncated vocabulary");
  data.lower_classes.reserve(n_lower);
  for (uint32_t i = 0; i < n_lower; ++i) {
    uint32_t k;
    uint8_t c;
    if (!get(&k, 4) || !get(&c, 1)) return fail("truncated vocabulary");
    data.lower_classes[k] = c;
  }
  uint32_t n_rows;
  if (!get(&n_rows, 4)) return fail("truncated weights");
  std::vector<int8_t> quantized((size_t{1} << bits) * kNumTags, 0);
  for (uint32_t i = 0; i < n_rows; ++i) {
    uint32_t r;
    if (!get(&r, 4) || r >= (uint32_t{1} << bits) ||
        !get(&quantized[size_t{r} * kNumTags], kNumTags)) {
      return fail("bad weight row");
    }
  }
  // Optional since the part decision: flags (bit 0: part_model).
  if (pos < bytes.size()) {
    uint32_t flags;
    if (!get(&flags, 4)) return fail("truncated flags");
    data.part_model = (flags & 1) != 0;
  }
  if (pos != bytes.size()) return fail("trailing bytes");
  std::unique_ptr<Tagger> tagger = FromData(std::move(data));
  tagger->quantized_ = std::move(quantized);
  tagger->scale_ = scale;
  return tagger;
}

namespace {

// A weight as the tagger adds it: a float as is, an 8-bit value times the
// model's scale (the value the dequantized float table held).
float WeightOf(float w, float /*scale*/) { return w; }
float WeightOf(int8_t q, float scale) { return static_cast<float>(q) * scale; }

// Row r of a weight table, kNumTags weights, with its scale.
template <typename Weight>
struct WeightRows {
  const Weight* table;
  float scale;
  const Weight* Row(uint32_t row) const {
    return table + size_t{row} * kNumTags;
  }
  float At(uint32_t row, int tag) const {
    return WeightOf(table[size_t{row} * kNumTags + tag], scale);
  }
};

}  // namespace

template <typename Fn>
void Tagger::WithWeights(Fn&& fn) const {
  if (quantized_.empty()) {
    fn(WeightRows<float>{data_.weights.data(), 1.0f});
  } else {
    fn(WeightRows<int8_t>{quantized_.data(), scale_});
  }
}

std::unique_ptr<Tagger> Tagger::FromData(ModelData data) {
  std::unique_ptr<Tagger> tagger(new Tagger());
  tagger->data_ = std::move(data);
  tagger->vocabulary_.mutable_classes() = tagger->data_.lower_classes;
  tagger->extractor_ = std::make_unique<FeatureExtractor>(
      &tagger->vocabulary_, tagger->data_.row_bits);
  return tagger;
}

void Tagger::Emissions(std::span<const std::string_view> words,
                       std::vector<float>& scores) const {
  thread_local std::vector<uint32_t> rows, offsets;
  extractor_->Extract(words, rows, offsets);
  const int n = static_cast<int>(words.size());
  scores.assign(static_cast<size_t>(n) * kNumTags, 0.0f);
  WithWeights([&](const auto& weights) {
    // The rows are scattered over megabytes: ask for each a few rows ahead
    // of its use, so that the cache misses overlap.
    constexpr uint32_t kAhead = 8;
    const uint32_t total = offsets[n];
    for (uint32_t k = 0; k < std::min(kAhead, total); ++k) {
      __builtin_prefetch(weights.Row(rows[k]));
    }
    for (int i = 0; i < n; ++i) {
      float* s = &scores[static_cast<size_t>(i) * kNumTags];
      for (uint32_t k = offsets[i]; k < offsets[i + 1]; ++k) {
        if (k + kAhead < total) {
          __builtin_prefetch(weights.Row(rows[k + kAhead]));
        }
        for (int t = 0; t < kNumTags; ++t) s[t] += weights.At(rows[k], t);
      }
    }
  });
}

void Tagger::Tag(std::span<const std::string_view> words,
                 std::vector<int>& tags) const {
  thread_local std::vector<float> scores;
  Emissions(words, scores);
  Viterbi(scores, data_.transitions, static_cast<int>(words.size()), tags);
}

std::vector<TaggedEntity> Tagger::Entities(
    std::span<const std::string_view> words) const {
  std::vector<float> scores, marginals;
  std::vector<int> tags;
  const int n = static_cast<int>(words.size());
  Emissions(words, scores);
  Viterbi(scores, data_.transitions, n, tags);
  std::vector<TaggedEntity> out;
  auto spans = SpansFromTags(tags);
  if (data_.part_model) {
    for (int i = 0; i < n; ++i) {
      if (tags[i] != kOutside) continue;
      const size_t part = FeatureExtractor::CompoundPart(words[i]);
      if (part == 0) continue;
      float confidence = 0;
      const int type = PartType(words, i, &confidence);
      if (type < 0) continue;
      out.push_back({{i, i + 1, type}, confidence, part});
    }
  }
  if (spans.empty()) return out;
  Marginals(scores, data_.transitions, n, data_.temperature, marginals);
  for (const TokenSpan& span : spans) {
    if (kOneLetterFilter && span.type != 3) {
      // A one-token PER/LOC/ORG of one character is dropped ("X" in "X
      // (formerly Twitter)" as PER): GermEval train has 115 single capital
      // letters as O and 2 as one-token names. (Also dropping PER/LOC/ORG
      // without a capitalized word cost 0.002 F1 on dev: not done.)
      size_t first_end = 0;
      if (!words[span.begin].empty()) {
        NextCodePoint(words[span.begin], first_end);
      }
      if (span.end - span.begin == 1 && first_end == words[span.begin].size()) {
        continue;
      }
    }
    float confidence = 1.0f;
    for (int i = span.begin; i < span.end; ++i) {
      confidence = std::min(confidence, marginals[i * kNumTags + tags[i]]);
    }
    // The span must also end here: the next token is not inside it.
    if (span.end < n) {
      confidence = std::min(
          confidence,
          1.0f - marginals[span.end * kNumTags + InsideTag(span.type)]);
    }
    out.push_back({span, std::clamp(confidence, 0.0f, 1.0f)});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const TaggedEntity& a, const TaggedEntity& b) {
                     return a.span.begin < b.span.begin;
                   });
  return out;
}

int Tagger::PartType(std::span<const std::string_view> words, int i,
                     float* confidence) const {
  thread_local std::vector<uint32_t> rows;
  extractor_->PartFeatures(words, i, rows);
  if (rows.empty()) return -1;
  float score[1 + kNumTypes] = {};
  WithWeights([&](const auto& weights) {
    for (uint32_t r : rows) {
      score[0] += weights.At(r, kOutside);
      for (int t = 0; t < kNumTypes; ++t) {
        score[1 + t] += weights.At(r, BeginTag(t));
      }
    }
  });
  int best = 0;
  for (int k = 1; k <= kNumTypes; ++k) {
    if (score[k] > score[best]) best = k;
  }
  if (confidence) {
    double z = 0;
    for (float v : score) z += std::exp((v - score[best]) / data_.temperature);
    *confidence = static_cast<float>(1.0 / z);
  }
  return best - 1;
}

}  // namespace nlpd::ner
