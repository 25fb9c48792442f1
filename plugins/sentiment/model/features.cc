#include "model/features.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <iterator>

namespace nlpd::sentiment {
namespace {

using word_text::CountCodePoints;
using word_text::NextCodePoint;
using word_text::PrefixCodePoints;
using word_text::SuffixCodePoints;

uint64_t Mix(uint64_t h) {
  h ^= h >> 31;
  h *= 0x7FB5D329728EA185ull;
  h ^= h >> 27;
  h *= 0x81DADEF4BC2DD44Dull;
  h ^= h >> 33;
  return h;
}

// Feature namespaces (part of the model format: never renumber).
enum Namespace : uint64_t {
  kBias = 1,
  kWord = 2,
  kBigram = 3,
  kWindowWord = 4,
  kSideWord = 5,
  kTargetWord = 6,
  kNegatedWord = 7,
  kClauseWord = 8,
  kAfterContrast = 9,
  kContrastSide = 10,
  kIntensified = 11,
  kPrefix = 12,
  kSuffix = 13,
  kLex = 14,
  kLexSide = 15,
  kLexNegated = 16,
  kTargetPosition = 17,
  kNegatedTarget = 18,
  kClauseLex = 19,
  kCharacterGram = 20,
  kReportedWord = 21,
  kSpeakerFlag = 22,
  kObjectOf = 23,
  kQuoteFlag = 24,
  kQuotedWord = 25,
  kPredicateWord = 26,
  kOtherSideWord = 27,
  kOwnSideWord = 28,
  kHeadWord = 29,
  kHeadSide = 30,
};

enum WordFlags : uint8_t {
  kPunctuation = 1,
  kNegator = 2,
  kContrastWord = 4,
  kIntensifierWord = 8,
};

constexpr std::array<std::string_view, 14> kEnglishNegators = {
    "not", "never", "no",      "n't",    "nobody",  "nothing", "neither",
    "nor", "none",  "without", "cannot", "nowhere", "hardly",  "barely"};
constexpr std::array<std::string_view, 12> kGermanNegators = {
    "nicht", "nie",  "niemals",    "nichts",   "niemand", "ohne",
    "weder", "kaum", "keineswegs", "nirgends", "nimmer",  "nein"};
constexpr std::array<std::string_view, 8> kEnglishContrast = {
    "but", "however", "although", "though",
    "yet", "despite", "whereas",  "nevertheless"};
constexpr std::array<std::string_view, 10> kGermanContrast = {
    "aber",  "jedoch",     "doch",    "sondern",  "obwohl",
    "trotz", "allerdings", "dennoch", "trotzdem", "hingegen"};
constexpr std::array<std::string_view, 14> kEnglishIntensifiers = {
    "very",    "extremely", "highly",     "really",    "so",
    "too",     "most",      "deeply",     "strongly",  "totally",
    "utterly", "truly",     "absolutely", "incredibly"};
constexpr std::array<std::string_view, 14> kGermanIntensifiers = {
    "sehr", "extrem", "äußerst", "besonders", "total",    "völlig", "höchst",
    "zu",   "so",     "stark",   "absolut",   "ziemlich", "enorm",  "massiv"};

// Verbs of saying: a target right before one (or right after one that
// follows punctuation) is the speaker.
constexpr std::string_view kEnglishSpeechVerbs[] = {
    "said",       "says",       "say",       "told",      "tells",
    "argued",     "argues",     "claimed",   "claims",    "added",
    "adds",       "wrote",      "writes",    "stated",    "states",
    "insisted",   "insists",    "asked",     "asks",      "explained",
    "explains",   "noted",      "notes",     "declared",  "declares",
    "announced",  "announces",  "tweeted",   "tweets",    "testified",
    "warned",     "warns",      "suggested", "suggests",  "acknowledged",
    "admitted",   "contended",  "replied",   "responded", "recalled",
    "believes",   "believed",   "thinks",    "thought",   "alleged",
    "alleges",    "complained", "predicted", "conceded",  "countered",
    "maintained", "maintains"};
constexpr std::string_view kGermanSpeechVerbs[] = {
    "sagte",   "sagt",       "sagten",    "erklärte", "erklärt",  "erklärten",
    "betonte", "betont",     "meinte",    "meint",    "schrieb",  "schreibt",
    "warnte",  "warnt",      "forderte",  "fordert",  "kündigte", "teilte",
    "so",      "berichtete", "berichtet", "sagen"};
// Skipped between a speaker and its verb ("X has also said").
constexpr std::string_view kSpeechFillers[] = {
    "has",  "have",    "had",      "also",      "later", "then",
    "once", "would",   "will",     "hat",       "habe",  "hatte",
    "auch", "bereits", "recently", "reportedly"};
// Skipped before the target to find the verb it is the object of.
constexpr std::string_view kDeterminersAndTitles[] = {
    "the",  "a",      "an",        "his",     "her",  "their", "its",  "our",
    "this", "that",   "mr",        "mr.",     "mrs",  "mrs.",  "ms",   "ms.",
    "dr.",  "former", "president", "senator", "sen.", "rep.",  "gov.", "der",
    "die",  "das",    "den",       "dem",     "des",  "ein",   "eine", "einen"};
// Copulas and "as": the words after them (closely after the target) are
// predicated of it.
constexpr std::string_view kPredicateOpeners[] = {
    "is",     "was",     "are",      "were",   "'s",      "be",
    "been",   "remains", "remained", "became", "becomes", "seems",
    "seemed", "as",      "like",     "ist",    "war",     "sind",
    "waren",  "bleibt",  "wurde",    "gilt",   "als",     "wie"};
// Verbs that name their object: "called X a liar".
constexpr std::string_view kNamingVerbs[] = {
    "called", "calls",     "call",       "labeled", "labelled", "branded",
    "dubbed", "considers", "considered", "nannte",  "nennt",    "bezeichnete"};
constexpr std::string_view kQuoteMarks[] = {"\"",     "\u201C", "\u201D",
                                            "\u201E", "\u201F", "\u00AB",
                                            "\u00BB", "``",     "''"};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& list,
              std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

template <size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view word) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

struct WordInfo {
  std::string lower;
  uint64_t hash = 0;
  uint8_t flags = 0;
};

uint8_t Classify(Language language, std::string_view lower) {
  uint8_t flags = 0;
  bool has_word_char = false;
  for (size_t i = 0; i < lower.size();) {
    const UChar32 c = NextCodePoint(lower, i);
    if (u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK) {
      has_word_char = true;
      break;
    }
  }
  if (!has_word_char) flags |= kPunctuation;
  if (language == Language::kGerman) {
    if (Contains(kGermanNegators, lower) || lower.starts_with("kein")) {
      flags |= kNegator;
    }
    if (Contains(kGermanContrast, lower)) flags |= kContrastWord;
    if (Contains(kGermanIntensifiers, lower)) flags |= kIntensifierWord;
  } else {
    if (Contains(kEnglishNegators, lower) || lower.ends_with("n't") ||
        lower.ends_with("n\xE2\x80\x99t")) {
      flags |= kNegator;
    }
    if (Contains(kEnglishContrast, lower)) flags |= kContrastWord;
    if (Contains(kEnglishIntensifiers, lower)) flags |= kIntensifierWord;
  }
  return flags;
}

// Collects rows for one extraction.
class RowSink {
 public:
  RowSink(int row_bits, std::vector<uint32_t>* rows)
      : mask_((uint64_t{1} << row_bits) - 1), rows_(rows) {}
  void Add(uint64_t space, uint64_t a, uint64_t b = 0) {
    const uint64_t h = Mix(a ^ (space * 0x9E3779B97F4A7C15ull) ^
                           Mix(b + 0x632BE59BD9B4E019ull));
    rows_->push_back(static_cast<uint32_t>(h & mask_));
  }

 private:
  uint64_t mask_;
  std::vector<uint32_t>* rows_;
};

int DistanceBucket(int distance) {
  if (distance <= 2) return distance;
  if (distance <= 5) return 3;
  return 4;
}

}  // namespace

uint64_t HashText(std::string_view text, uint64_t seed) {
  uint64_t h = 1469598103934665603ull ^ (seed * 0x9E3779B97F4A7C15ull);
  for (char c : text) {
    h ^= static_cast<uint8_t>(c);
    h *= 1099511628211ull;
  }
  return Mix(h);
}

void ExtractFeatures(const FeatureConfig& config, const Lexicon* lexicon,
                     FeatureMode mode, std::span<const std::string_view> words,
                     int target_begin, int target_end,
                     std::vector<uint32_t>* rows) {
  RowSink sink(config.row_bits, rows);
  sink.Add(kBias, 0);
  const int n = static_cast<int>(words.size());
  if (n == 0) return;
  const uint32_t groups = config.groups;
  const bool german = config.language == Language::kGerman;

  std::vector<WordInfo> info(n);
  for (int i = 0; i < n; ++i) {
    WordInfo& w = info[i];
    w.lower = LowerCase(words[i]);
    if (!w.lower.empty() && w.lower[0] >= '0' && w.lower[0] <= '9') {
      w.hash = HashText("<num>");
    } else {
      w.hash = HashText(w.lower);
    }
    w.flags = Classify(config.language, w.lower);
  }

  // Negation scope: the next 3 words (German: also the 3 before, as "nicht"
  // follows the verb it negates) within the clause.
  std::vector<uint8_t> negated(n, 0);
  for (int i = 0; i < n; ++i) {
    if (!(info[i].flags & kNegator)) continue;
    for (int j = i + 1; j < n && j <= i + 3; ++j) {
      if (info[j].flags & (kPunctuation | kContrastWord)) break;
      negated[j] = 1;
    }
    if (german) {
      for (int j = i - 1; j >= 0 && j >= i - 3; --j) {
        if (info[j].flags & (kPunctuation | kContrastWord)) break;
        negated[j] = 1;
      }
    }
  }
  int last_contrast = -1;
  for (int i = 0; i < n; ++i) {
    if (info[i].flags & kContrastWord) last_contrast = i;
  }

  const bool lex_only = mode == FeatureMode::kLexiconOnly;
  // The lexicon entries of each word (with the fallbacks), found once.
  std::vector<std::span<const Lexicon::Entry>> translations(n);
  if (!lex_only && lexicon != nullptr && (groups & kTranslation)) {
    for (int i = 0; i < n; ++i) {
      if (info[i].flags & kPunctuation) continue;
      translations[i] = lexicon->Find(Lexicon::KeyOf(info[i].hash));
      if (!translations[i].empty() || !(groups & kLexiconFallback)) continue;
      const std::string_view lower = info[i].lower;
      for (std::string_view ending : {"en", "em", "er", "es", "e", "n", "s"}) {
        if (lower.size() > ending.size() + 3 && lower.ends_with(ending)) {
          translations[i] = lexicon->Find(Lexicon::KeyOf(
              HashText(lower.substr(0, lower.size() - ending.size()))));
          if (!translations[i].empty()) break;
        }
      }
      // Longest proper suffix of >= 4 code points with a translation.
      size_t position = 0;
      const int length = CountCodePoints(lower);
      for (int skipped = 1; translations[i].empty() && length - skipped >= 4;
           ++skipped) {
        NextCodePoint(lower, position);
        translations[i] =
            lexicon->Find(Lexicon::KeyOf(HashText(lower.substr(position))));
      }
    }
  }
  // Compound heads (0: none).
  std::vector<uint64_t> heads;
  if (!lex_only && lexicon != nullptr && (groups & kCompoundHeads)) {
    heads.assign(n, 0);
    for (int i = 0; i < n; ++i) {
      if (info[i].flags & kPunctuation) continue;
      const std::string_view lower = info[i].lower;
      const int length = CountCodePoints(lower);
      size_t position = 0;
      for (int skipped = 1; length - skipped >= 4 && length >= 8; ++skipped) {
        NextCodePoint(lower, position);
        const uint64_t hash = HashText(lower.substr(position));
        if (!lexicon->Find(Lexicon::KeyOf(hash)).empty()) {
          heads[i] = hash;
          break;
        }
      }
    }
  }
  // Calls visit(translation hash) for each translation of word i: the
  // lexicon's entries, or, in kLexiconOnly mode, the (English) word itself.
  auto for_each_translation = [&](int i, auto visit) {
    if (info[i].flags & kPunctuation) return;
    if (lex_only) {
      visit(uint64_t{Lexicon::TranslationOf(info[i].hash)});
      return;
    }
    for (const Lexicon::Entry& entry : translations[i]) {
      visit(uint64_t{entry.translation});
    }
  };
  const bool use_lex = lex_only || (groups & kTranslation);

  // Sentence-wide features.
  for (int i = 0; i < n; ++i) {
    const WordInfo& w = info[i];
    if (!lex_only) {
      if (groups & kSentenceWords) sink.Add(kWord, w.hash);
      if ((groups & kSentenceBigrams) && i + 1 < n) {
        sink.Add(kBigram, w.hash, info[i + 1].hash);
      }
      if ((groups & kNegation) && negated[i] && !(w.flags & kPunctuation)) {
        sink.Add(kNegatedWord, w.hash);
      }
      if ((groups & kContrast) && last_contrast >= 0 && i > last_contrast) {
        sink.Add(kAfterContrast, w.hash);
      }
      if ((groups & kIntensifier) && (w.flags & kIntensifierWord) &&
          i + 1 < n) {
        sink.Add(kIntensified, info[i + 1].hash);
      }
      if (!heads.empty() && heads[i] != 0) sink.Add(kHeadWord, heads[i]);
      if ((groups & kStems) && !(w.flags & kPunctuation) &&
          CountCodePoints(w.lower) >= 7) {
        sink.Add(kPrefix, HashText(PrefixCodePoints(w.lower, 5)));
        sink.Add(kSuffix, HashText(SuffixCodePoints(w.lower, 5)));
      }
      if ((groups & kCharacterGrams) && !(w.flags & kPunctuation)) {
        // Offsets of the code points of "^word$".
        std::string marked = "^" + w.lower + "$";
        std::vector<size_t> starts;
        for (size_t p = 0; p < marked.size();) {
          starts.push_back(p);
          NextCodePoint(marked, p);
        }
        starts.push_back(marked.size());
        for (size_t k = 0; k + 4 < starts.size(); ++k) {
          sink.Add(kCharacterGram, HashText(std::string_view(marked).substr(
                                       starts[k], starts[k + 4] - starts[k])));
        }
      }
    }
    if (use_lex) {
      for_each_translation(i, [&](uint64_t t) {
        sink.Add(kLex, t);
        if (negated[i] && ((groups & kNegation) || lex_only)) {
          sink.Add(kLexNegated, t);
        }
      });
    }
  }
  if (mode == FeatureMode::kSentence || target_begin < 0) return;

  target_begin = std::clamp(target_begin, 0, n - 1);
  target_end = std::clamp(target_end, target_begin + 1, n);

  // Clause of the target: from the boundary before it to the one after it.
  int clause_begin = target_begin;
  while (clause_begin > 0 &&
         !(info[clause_begin - 1].flags & (kPunctuation | kContrastWord))) {
    --clause_begin;
  }
  int clause_end = target_end;
  while (clause_end < n &&
         !(info[clause_end].flags & (kPunctuation | kContrastWord))) {
    ++clause_end;
  }

  if (!lex_only && (groups & kWindow)) {
    const int position = target_begin == 0 ? 0 : (target_end == n ? 2 : 1);
    sink.Add(kTargetPosition, static_cast<uint64_t>(position));
  }
  for (int i = std::max(0, target_begin - 10); i < std::min(n, target_end + 10);
       ++i) {
    if (i >= target_begin && i < target_end) continue;
    const bool left = i < target_begin;
    const int distance = left ? target_begin - i : i - target_end + 1;
    const uint64_t side = left ? 1 : 2;
    if (!lex_only && (groups & kWindow)) {
      sink.Add(kWindowWord, info[i].hash, side * 8 + DistanceBucket(distance));
      sink.Add(kSideWord, info[i].hash, side);
    }
    if (!heads.empty() && heads[i] != 0 && distance <= 5) {
      sink.Add(kHeadSide, heads[i], side);
    }
    if (use_lex && distance <= 5) {
      for_each_translation(i, [&](uint64_t t) { sink.Add(kLexSide, t, side); });
    }
  }
  if (!lex_only && (groups & kTargetWords)) {
    for (int i = target_begin; i < target_end; ++i) {
      sink.Add(kTargetWord, info[i].hash);
    }
  }
  if (!lex_only && (groups & kNegation)) {
    bool any = false;
    for (int i = clause_begin; i < clause_end; ++i) any |= negated[i] != 0;
    sink.Add(kNegatedTarget, any ? 1 : 0);
  }
  for (int i = clause_begin; i < clause_end; ++i) {
    if (i >= target_begin && i < target_end) continue;
    if (!lex_only && (groups & kClause)) sink.Add(kClauseWord, info[i].hash);
    if (use_lex && ((groups & kClause) || lex_only)) {
      for_each_translation(i, [&](uint64_t t) { sink.Add(kClauseLex, t); });
    }
  }
  if (!lex_only && (groups & kContrast) && last_contrast >= 0) {
    const uint64_t target_side = target_begin > last_contrast ? 2 : 1;
    sink.Add(kContrastSide, target_side);
    for (int i = 0; i < n; ++i) {
      if (i >= target_begin && i < target_end) continue;
      const uint64_t word_side = i > last_contrast ? 2 : 1;
      if (word_side == target_side) {
        sink.Add(kContrastSide, info[i].hash, 10 + target_side);
      }
    }
  }
  if (lex_only) return;
  const auto& speech_verbs =
      german ? std::span<const std::string_view>(kGermanSpeechVerbs)
             : std::span<const std::string_view>(kEnglishSpeechVerbs);
  auto is_speech_verb = [&](int i) {
    return std::find(speech_verbs.begin(), speech_verbs.end(), info[i].lower) !=
           speech_verbs.end();
  };
  // The word before the target once determiners and titles are skipped.
  int before = target_begin - 1;
  for (int skipped = 0; before >= 0 && skipped < 3 &&
                        Contains(kDeterminersAndTitles, info[before].lower);
       ++skipped) {
    --before;
  }
  if (before >= 0 && (info[before].flags & kPunctuation)) before = -1;
  if (groups & kSpeaker) {
    bool speaker = false;
    int after = target_end;
    for (int skipped = 0; after < n && skipped < 3 &&
                          Contains(kSpeechFillers, info[after].lower);
         ++skipped) {
      ++after;
    }
    if (after < n && is_speech_verb(after)) speaker = true;
    if (before >= 0 && is_speech_verb(before) &&
        (before == 0 || (info[before - 1].flags & kPunctuation))) {
      speaker = true;  // "..., said X" / "..., so X".
    }
    if (before >= 1 && info[before].lower == "to" &&
        info[before - 1].lower == "according") {
      speaker = true;
    }
    if (german && before >= 0 && info[before].lower == "laut") speaker = true;
    sink.Add(kSpeakerFlag, speaker ? 1 : 0);
    if (speaker) {
      for (int i = 0; i < n; ++i) {
        if ((i >= target_begin && i < target_end) ||
            (info[i].flags & kPunctuation)) {
          continue;
        }
        sink.Add(kReportedWord, info[i].hash);
      }
    }
    if (before >= 0) sink.Add(kObjectOf, info[before].hash);
  }
  if (groups & kQuotes) {
    // Quotation number of each word: the number of quotation marks before
    // it; odd means inside a quotation.
    std::vector<int> quote_count(n, 0);
    int marks = 0;
    for (int i = 0; i < n; ++i) {
      if (Contains(kQuoteMarks, info[i].lower)) ++marks;
      quote_count[i] = marks;
    }
    const int target_quote = quote_count[target_begin];
    const bool target_inside = target_quote % 2 == 1;
    sink.Add(kQuoteFlag, marks == 0 ? 2 : (target_inside ? 1 : 0));
    for (int i = 0; i < n; ++i) {
      if (quote_count[i] % 2 == 0 || quote_count[i] == target_quote ||
          (info[i].flags & kPunctuation)) {
        continue;
      }
      sink.Add(kQuotedWord, info[i].hash);
    }
  }
  if (groups & kPredicate) {
    int predicate_begin = -1;
    for (int j = target_end; j < n && j < target_end + 3; ++j) {
      if (info[j].flags & (kPunctuation | kContrastWord)) break;
      if (Contains(kPredicateOpeners, info[j].lower)) {
        predicate_begin = j + 1;
        break;
      }
    }
    if (predicate_begin < 0 && before >= 0 &&
        Contains(kNamingVerbs, info[before].lower)) {
      predicate_begin = target_end;
    }
    for (int j = std::max(predicate_begin, 0);
         predicate_begin >= 0 && j < n && j < predicate_begin + 8; ++j) {
      if (info[j].flags & (kPunctuation | kContrastWord)) break;
      sink.Add(kPredicateWord, info[j].hash);
    }
  }
  if ((groups & kMentionSides) && !german) {
    // Other mentions: capitalized words outside the target, not the first.
    std::vector<int> mentions;
    for (int i = 1; i < n; ++i) {
      if (i >= target_begin && i < target_end) continue;
      const std::string_view word = words[i];
      if (!word.empty() && word[0] >= 'A' && word[0] <= 'Z' && word != "I") {
        mentions.push_back(i);
      }
    }
    for (int i = 0; i < n; ++i) {
      if ((i >= target_begin && i < target_end) ||
          (info[i].flags & kPunctuation)) {
        continue;
      }
      const int to_target =
          i < target_begin ? target_begin - i : i - target_end + 1;
      int to_other = n;
      for (int m : mentions) to_other = std::min(to_other, std::abs(m - i));
      sink.Add(to_other < to_target ? kOtherSideWord : kOwnSideWord,
               info[i].hash);
    }
  }
}

}  // namespace nlpd::sentiment
