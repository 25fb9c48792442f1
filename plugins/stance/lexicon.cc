#include "lexicon.h"

#include <cstdlib>
#include <map>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "unicode/locid.h"
#include "unicode/unistr.h"
#include "vocabulary.h"

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

// Parses lexicon files one after another into one Lexicon and checks each
// name against the vocabulary (vocabulary.h). Single use.
class LexiconLoader {
 public:
  // Parses one file; the first mistake ends the load.
  absl::Status AddFile(const LexiconFile& file) {
    int line_number = 0;
    for (std::string_view line : Split(file.text, "\n", false)) {
      ++line_number;
      const std::size_t hash = line.find('#');
      if (hash != std::string_view::npos) line = line.substr(0, hash);
      std::vector<std::string_view> fields = Split(line, " \t\r", true);
      if (fields.empty()) continue;
      absl::Status status = fields[0] == "example"
                                ? AddExample(line, file.name, line_number)
                                : AddLine(fields, file.name, line_number);
      if (!status.ok()) {
        return absl::InvalidArgumentError(file.name + " line " +
                                          std::to_string(line_number) + ": " +
                                          std::string(status.message()));
      }
    }
    group_.clear();  // a group never spans files
    return absl::OkStatus();
  }

  // The lexicon of every file added, with the disabled cues removed.
  Lexicon Finish() && {
    std::vector<CuePattern> kept;
    for (std::size_t i = 0; i < lexicon_.cues_.size(); ++i) {
      if (!disabled_[i]) kept.push_back(std::move(lexicon_.cues_[i]));
    }
    lexicon_.cues_ = std::move(kept);
    // Mark the negation elements once the negation set is known.
    for (CuePattern& cue : lexicon_.cues_) {
      for (PatternElement& element : cue.elements) {
        for (const WordMatcher& matcher : element.alternatives) {
          if (lexicon_.InSet("negation", matcher.text)) {
            element.is_negation = true;
          }
        }
      }
    }
    lexicon_.cue_index_ = CueIndex(lexicon_.cues_);
    return std::move(lexicon_);
  }

 private:
  // `example <sentence>`: `line` is the line without its comment.
  absl::Status AddExample(std::string_view line, const std::string& file,
                          int line_number) {
    std::string_view text = line.substr(line.find("example") + 7);
    const std::size_t first = text.find_first_not_of(" \t");
    const std::size_t last = text.find_last_not_of(" \t\r");
    if (first == std::string_view::npos) {
      return Error("expected: example <sentence>");
    }
    if (group_.empty()) {
      return Error("an example must follow the cues it fires");
    }
    lexicon_.examples_.push_back(
        CueExample{.text = std::string(text.substr(first, last - first + 1)),
                   .file = file,
                   .line = line_number,
                   .cue_names = std::move(group_)});
    group_.clear();
    return absl::OkStatus();
  }

  absl::Status AddLine(const std::vector<std::string_view>& fields,
                       const std::string& file, int line_number) {
    if (fields[0] == "word") return AddWords(fields);
    if (fields[0] == "option") {
      if (fields.size() < 2) return Error("expected: option <name>...");
      for (std::size_t i = 1; i < fields.size(); ++i) {
        if (FindOption(fields[i]) == nullptr) {
          return Error("unknown option \"" + std::string(fields[i]) + "\"");
        }
        lexicon_.word_sets_["option"].push_back(
            WordMatcher{.text = std::string(fields[i])});
      }
      return absl::OkStatus();
    }
    if (fields[0] == "cue") return AddCue(fields, file, line_number);
    if (fields[0] == "disable") {
      if (fields.size() < 2) return Error("expected: disable <cue pattern>");
      const std::string name = JoinFields(fields, 1);
      auto it = cue_by_name_.find(name);
      if (it == cue_by_name_.end() || disabled_[it->second]) {
        return Error("no cue \"" + name + "\" to disable");
      }
      disabled_[it->second] = true;
      return absl::OkStatus();
    }
    return Error("unknown directive \"" + std::string(fields[0]) +
                 "\" (expected word, option, cue, example or disable)");
  }

  absl::Status AddWords(const std::vector<std::string_view>& fields) {
    if (fields.size() < 3) return Error("expected: word <set> <word>...");
    const std::string set(fields[1]);
    const SetInfo* info = FindSet(set);
    if (info == nullptr) {
      return Error("unknown word set \"" + set +
                   "\" (the sets are listed in docs/STANCE.md)");
    }
    for (std::size_t i = 2; i < fields.size(); ++i) {
      if (info->holds_kinds && FindKind(fields[i]) == nullptr) {
        return Error("unknown cue kind \"" + std::string(fields[i]) +
                     "\" in set " + set);
      }
      if (set == "option" && FindOption(fields[i]) == nullptr) {
        return Error("unknown option \"" + std::string(fields[i]) + "\"");
      }
      if (fields[i].find('_') != std::string_view::npos) {
        std::vector<std::string> words;
        for (std::string_view word : Split(fields[i], "_", false)) {
          if (word.empty()) return Error("empty word in phrase");
          if (absl::Status s = CheckCanMatch(word); !s.ok()) return s;
          words.push_back(Lowercase(word));
        }
        lexicon_.phrase_sets_[set].push_back(std::move(words));
        continue;
      }
      WordMatcher matcher;
      if (!ParseMatcher(fields[i], matcher)) return Error("empty word");
      if (absl::Status s = CheckCanMatch(fields[i]); !s.ok()) return s;
      lexicon_.word_sets_[set].push_back(std::move(matcher));
    }
    return absl::OkStatus();
  }

  absl::Status AddCue(const std::vector<std::string_view>& fields,
                      const std::string& file, int line_number) {
    if (fields.size() < 5) {
      return Error(
          "expected: cue <FAVOR|AGAINST|NONE> <weight> <kind> <pattern>...");
    }
    CuePattern cue;
    cue.file = file;
    cue.line = line_number;
    if (!ParseStance(fields[1], cue.stance)) {
      return Error("unknown stance \"" + std::string(fields[1]) +
                   "\" (expected FAVOR, AGAINST or NONE)");
    }
    char* end = nullptr;
    const std::string weight(fields[2]);
    cue.weight = std::strtof(weight.c_str(), &end);
    if (end == weight.c_str() || *end != '\0' || !(cue.weight > 0)) {
      return Error("weight must be a positive number");
    }
    cue.kind = std::string(fields[3]);
    if (FindKind(cue.kind) == nullptr) {
      return Error("unknown cue kind \"" + cue.kind +
                   "\" (the kinds are listed in docs/STANCE.md)");
    }
    for (std::size_t i = 4; i < fields.size(); ++i) {
      PatternElement element;
      std::string_view field = fields[i];
      if (field == "...") {
        element.max_gap = 10;
      } else if (field.starts_with("..")) {
        element.max_gap = std::atoi(std::string(field.substr(2)).c_str());
        if (element.max_gap <= 0) {
          return Error("bad gap " + std::string(field));
        }
      } else if (field.find('_') != std::string_view::npos) {
        // "in_frage": consecutive tokens, no alternatives.
        if (field.find('|') != std::string_view::npos) {
          return Error("a phrase with '_' cannot have alternatives: " +
                       std::string(field));
        }
        for (std::string_view word : Split(field, "_", false)) {
          PatternElement part;
          WordMatcher matcher;
          if (!ParseMatcher(word, matcher)) return Error("empty word");
          if (absl::Status s = CheckCanMatch(word); !s.ok()) return s;
          part.alternatives.push_back(std::move(matcher));
          cue.elements.push_back(std::move(part));
        }
        continue;
      } else {
        for (std::string_view alternative : Split(field, "|", false)) {
          WordMatcher matcher;
          if (!ParseMatcher(alternative, matcher)) {
            return Error("empty alternative in " + std::string(field));
          }
          if (absl::Status s = CheckCanMatch(alternative); !s.ok()) return s;
          element.alternatives.push_back(std::move(matcher));
        }
      }
      cue.elements.push_back(std::move(element));
    }
    if (cue.elements.front().max_gap > 0 || cue.elements.back().max_gap > 0) {
      return Error("a pattern cannot start or end with a gap");
    }
    cue.name = JoinFields(fields, 4);
    auto [it, inserted] = cue_by_name_.emplace(cue.name, lexicon_.cues_.size());
    if (!inserted && !disabled_[it->second]) {
      const CuePattern& first = lexicon_.cues_[it->second];
      return Error("duplicate cue \"" + cue.name + "\" (first in " +
                   first.file + " line " + std::to_string(first.line) + ")");
    }
    it->second = lexicon_.cues_.size();
    group_.push_back(cue.name);
    lexicon_.cues_.push_back(std::move(cue));
    disabled_.push_back(false);
    return absl::OkStatus();
  }

  // A word with a character the tokenizer never leaves inside a token
  // (punctuation, quotes, brackets) can never match one.
  static absl::Status CheckCanMatch(std::string_view word) {
    static constexpr std::string_view kSplitters[] = {
        ",", ";", ":",  "!", "?",      "(",      ")",      "[",      "]",
        "{", "}", "\"", "/", "\u201E", "\u201C", "\u201D", "\u00AB", "\u00BB"};
    for (std::string_view splitter : kSplitters) {
      if (word.find(splitter) != std::string_view::npos) {
        return Error("\"" + std::string(word) +
                     "\" can never match a token: the tokenizer splits at '" +
                     std::string(splitter) + "'");
      }
    }
    return absl::OkStatus();
  }

  static std::string JoinFields(const std::vector<std::string_view>& fields,
                                std::size_t from) {
    std::string joined;
    for (std::size_t i = from; i < fields.size(); ++i) {
      if (i > from) joined += ' ';
      joined += fields[i];
    }
    return joined;
  }

  static absl::Status Error(const std::string& what) {
    return absl::InvalidArgumentError(what);
  }

  Lexicon lexicon_;
  std::map<std::string, std::size_t, std::less<>> cue_by_name_;
  std::vector<bool> disabled_;      // by index into lexicon_.cues_
  std::vector<std::string> group_;  // cue names since the last example
};

absl::StatusOr<Lexicon> Lexicon::Load(std::span<const LexiconFile> files) {
  LexiconLoader loader;
  for (const LexiconFile& file : files) {
    if (absl::Status status = loader.AddFile(file); !status.ok()) {
      return status;
    }
  }
  return std::move(loader).Finish();
}

absl::StatusOr<Lexicon> Lexicon::Parse(std::string_view text) {
  const LexiconFile file{.name = "lexicon", .text = text};
  return Load(std::span<const LexiconFile>(&file, 1));
}

bool Lexicon::InSet(std::string_view set, std::string_view token) const {
  // Debian's Abseil has its own string_view type.
  auto it = word_sets_.find(absl::string_view(set.data(), set.size()));
  if (it == word_sets_.end()) return false;
  for (const WordMatcher& matcher : it->second) {
    if (matcher.Matches(token)) return true;
  }
  return false;
}

const std::vector<std::vector<std::string>>& Lexicon::Phrases(
    std::string_view set) const {
  auto it = phrase_sets_.find(absl::string_view(set.data(), set.size()));
  return it == phrase_sets_.end() ? kNoPhrases : it->second;
}

}  // namespace nlpd::stance
