#include "ding_dictionary.h"

#include <fstream>
#include <string_view>
#include <unordered_map>

#include "model/features.h"

namespace nlpd::sentiment {
namespace {

std::vector<std::string_view> Split(std::string_view text,
                                    std::string_view separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t at = text.find(separator, start);
    if (at == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, at - start));
    start = at + separator.size();
  }
}

// Removes {..}, [..], (..) and /../ groups and trims; "" when what is left
// is not a single word.
std::string CleanWord(std::string_view text, bool english) {
  std::string out;
  char closing = 0;
  for (char c : text) {
    if (closing) {
      if (c == closing) closing = 0;
      continue;
    }
    switch (c) {
      case '{':
        closing = '}';
        break;
      case '[':
        closing = ']';
        break;
      case '(':
        closing = ')';
        break;
      case '/':
        closing = '/';
        break;
      default:
        out += c;
    }
  }
  size_t begin = out.find_first_not_of(' ');
  if (begin == std::string::npos) return "";
  size_t end = out.find_last_not_of(' ');
  out = out.substr(begin, end - begin + 1);
  if (english && out.starts_with("to ")) out = out.substr(3);
  if (out.find(' ') != std::string::npos ||
      out.find("...") != std::string::npos ||
      out.find("\xE2\x80\xA6") != std::string::npos) {
    return "";
  }
  return LowerCase(out);
}

}  // namespace

bool ReadDingLexicon(const std::string& path,
                     const std::unordered_set<uint32_t>& english_vocabulary,
                     int max_translations, std::vector<Lexicon::Entry>* entries,
                     std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read " + path + " (Debian package trans-de-en)";
    return false;
  }
  std::unordered_map<uint32_t, std::vector<uint32_t>> translations;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto sides = Split(line, " :: ");
    if (sides.size() != 2) continue;
    const auto german_parts = Split(sides[0], " | ");
    const auto english_parts = Split(sides[1], " | ");
    if (german_parts.size() != english_parts.size()) continue;
    for (size_t part = 0; part < german_parts.size(); ++part) {
      std::vector<uint32_t> english;
      for (std::string_view synonym : Split(english_parts[part], "; ")) {
        const std::string word = CleanWord(synonym, true);
        if (word.empty()) continue;
        const uint32_t hash = Lexicon::TranslationOf(HashText(word));
        if (english_vocabulary.count(hash)) english.push_back(hash);
      }
      if (english.empty()) continue;
      for (std::string_view synonym : Split(german_parts[part], "; ")) {
        const std::string word = CleanWord(synonym, false);
        if (word.empty()) continue;
        auto& list = translations[Lexicon::KeyOf(HashText(word))];
        for (uint32_t hash : english) {
          if (static_cast<int>(list.size()) >= max_translations) break;
          bool seen = false;
          for (uint32_t existing : list) seen |= existing == hash;
          if (!seen) list.push_back(hash);
        }
      }
    }
  }
  for (const auto& [key, list] : translations) {
    for (uint32_t hash : list) entries->push_back({key, hash});
  }
  return true;
}

}  // namespace nlpd::sentiment
