#include "lexicon.h"

#include <cstdlib>
#include <sstream>
#include <utility>

#include "unicode/locid.h"
#include "unicode/unistr.h"

namespace nlpd::stance {
namespace {

const std::vector<std::vector<std::string>> kNoPhrases;

// Splits `text` at any of `delimiters`; drops empty pieces if `skip_empty`.
std::vector<std::string_view> Split(std::string_view text,
                                    std::string_view delimiters,
                                    bool skip_empty) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find_first_of(delimiters, start);
    const std::string_view piece =
        text.substr(start, end == std::string_view::npos ? end : end - start);
    if (!skip_empty || !piece.empty()) pieces.push_back(piece);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return pieces;
}

bool ParseMatcher(std::string_view text, WordMatcher& matcher) {
  if (!text.empty() && text.front() == '*') {
    matcher.any_prefix = true;
    text.remove_prefix(1);
  }
  if (!text.empty() && text.back() == '*') {
    matcher.any_suffix = true;
    text.remove_suffix(1);
  }
  if (text.empty()) return false;
  matcher.text = Lowercase(text);
  return true;
}

bool ParseStance(std::string_view text, nlpd::v1::Stance& stance) {
  if (text == "FAVOR") {
    stance = nlpd::v1::FAVOR;
  } else if (text == "AGAINST") {
    stance = nlpd::v1::AGAINST;
  } else if (text == "NONE") {
    stance = nlpd::v1::NONE;
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::string Lowercase(std::string_view text) {
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  unicode.toLower(icu::Locale::getRoot());
  std::string lowered;
  unicode.toUTF8String(lowered);
  return lowered;
}

bool WordMatcher::Matches(std::string_view token) const {
  if (!any_prefix && !any_suffix) return token == text;
  if (any_prefix && any_suffix) return token.find(text) != std::string::npos;
  if (any_suffix) return token.starts_with(text);
  return token.ends_with(text);
}

absl::StatusOr<Lexicon> Lexicon::Parse(std::string_view text) {
  Lexicon lexicon;
  int line_number = 0;
  for (std::string_view line : Split(text, "\n", false)) {
    ++line_number;
    const std::size_t hash = line.find('#');
    if (hash != std::string_view::npos) line = line.substr(0, hash);
    std::vector<std::string_view> fields = Split(line, " \t\r", true);
    if (fields.empty()) continue;
    auto error = [&](const std::string& what) {
      return absl::InvalidArgumentError(
          "stance lexicon line " + std::to_string(line_number) + ": " + what);
    };
    if (fields[0] == "word") {
      if (fields.size() < 3) return error("expected: word <set> <word>...");
      const std::string set(fields[1]);
      for (std::size_t i = 2; i < fields.size(); ++i) {
        if (fields[i].find('_') != std::string_view::npos) {
          std::vector<std::string> words;
          for (std::string_view word : Split(fields[i], "_", false)) {
            if (word.empty()) return error("empty word in phrase");
            words.push_back(Lowercase(word));
          }
          lexicon.phrase_sets_[set].push_back(std::move(words));
          continue;
        }
        WordMatcher matcher;
        if (!ParseMatcher(fields[i], matcher)) return error("empty word");
        lexicon.word_sets_[set].push_back(std::move(matcher));
      }
    } else if (fields[0] == "cue") {
      if (fields.size() < 5) {
        return error(
            "expected: cue <FAVOR|AGAINST|NONE> <weight> <kind> "
            "<pattern>...");
      }
      CuePattern cue;
      cue.line = line_number;
      if (!ParseStance(fields[1], cue.stance)) {
        return error("stance must be FAVOR, AGAINST or NONE");
      }
      char* end = nullptr;
      const std::string weight(fields[2]);
      cue.weight = std::strtof(weight.c_str(), &end);
      if (end == weight.c_str() || *end != '\0' || !(cue.weight > 0)) {
        return error("weight must be a positive number");
      }
      cue.kind = std::string(fields[3]);
      for (std::size_t i = 4; i < fields.size(); ++i) {
        PatternElement element;
        std::string_view field = fields[i];
        if (field == "...") {
          element.max_gap = 10;
        } else if (field.starts_with("..")) {
          element.max_gap = std::atoi(std::string(field.substr(2)).c_str());
          if (element.max_gap <= 0) {
            return error("bad gap " + std::string(field));
          }
        } else if (field.find('_') != std::string_view::npos) {
          // "in_frage": consecutive tokens, no alternatives.
          if (field.find('|') != std::string_view::npos) {
            return error("a phrase with '_' cannot have alternatives: " +
                         std::string(field));
          }
          for (std::string_view word : Split(field, "_", false)) {
            PatternElement part;
            WordMatcher matcher;
            if (!ParseMatcher(word, matcher)) return error("empty word");
            part.alternatives.push_back(std::move(matcher));
            cue.elements.push_back(std::move(part));
          }
          continue;
        } else {
          for (std::string_view alternative : Split(field, "|", false)) {
            WordMatcher matcher;
            if (!ParseMatcher(alternative, matcher)) {
              return error("empty alternative in " + std::string(field));
            }
            element.alternatives.push_back(std::move(matcher));
          }
        }
        cue.elements.push_back(std::move(element));
      }
      if (cue.elements.front().max_gap > 0 || cue.elements.back().max_gap > 0) {
        return error("a pattern cannot start or end with a gap");
      }
      lexicon.cues_.push_back(std::move(cue));
    } else {
      return error("unknown directive \"" + std::string(fields[0]) +
                   "\" (expected word or cue)");
    }
  }
  // Mark the negation elements once the negation set is known.
  for (CuePattern& cue : lexicon.cues_) {
    for (PatternElement& element : cue.elements) {
      for (const WordMatcher& matcher : element.alternatives) {
        if (lexicon.InSet("negation", matcher.text)) element.is_negation = true;
      }
    }
  }
  lexicon.cue_index_ = CueIndex(lexicon.cues_);
  return lexicon;
}

bool Lexicon::InSet(std::string_view set, std::string_view token) const {
  auto it = word_sets_.find(set);
  if (it == word_sets_.end()) return false;
  for (const WordMatcher& matcher : it->second) {
    if (matcher.Matches(token)) return true;
  }
  return false;
}

const std::vector<std::vector<std::string>>& Lexicon::Phrases(
    std::string_view set) const {
  auto it = phrase_sets_.find(set);
  return it == phrase_sets_.end() ? kNoPhrases : it->second;
}

}  // namespace nlpd::stance
