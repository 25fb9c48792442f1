#include "ner_data.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

namespace nlpd::ner {
namespace {

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    parts.push_back(
        line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return parts;
}

// Reads `path` into sentences separated by blank lines. `add_line` gets each
// other line (without a trailing CR) and the sentence being built; it adds
// what the line holds and returns true, or returns false to end the sentence
// there (a document marker, a line without columns). Each sentence's tags
// are repaired to valid BIO when it ends.
template <typename AddLine>
bool ReadSentences(const std::string& path, std::vector<Sentence>& out,
                   std::string* error, AddLine add_line) {
  std::ifstream in(path);
  if (!in) {
    if (error) *error = "cannot read " + path;
    return false;
  }
  Sentence current;
  auto flush = [&] {
    if (!current.words.empty()) {
      RepairBio(current.tags);
      out.push_back(std::move(current));
    }
    current = Sentence();
  };
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || !add_line(line, current)) flush();
  }
  flush();
  return true;
}

// The type index of a GermEval type name ("PER", "LOC", "ORG", "OTH" ->
// 0..3), -1 for anything else.
int GermEvalType(std::string_view name) {
  return name == "PER"   ? 0
         : name == "LOC" ? 1
         : name == "ORG" ? 2
         : name == "OTH" ? 3
                         : -1;
}

}  // namespace

int MapGermEvalTag(std::string_view tag, DerivPart mode) {
  if (tag.size() < 5 || tag[1] != '-') return kOutside;
  const bool begin = tag[0] == 'B';
  std::string_view name = tag.substr(2, 3);
  std::string_view rest = tag.substr(5);
  int type = GermEvalType(name);
  if (type < 0) return kOutside;
  if (!rest.empty()) {  // deriv or part
    const bool deriv = rest == "deriv";
    if (mode == DerivPart::kOutside ||
        (mode == DerivPart::kDerivMisc && !deriv)) {
      return kOutside;
    }
    if (mode == DerivPart::kMisc || mode == DerivPart::kDerivMisc) type = 3;
  }
  return begin ? BeginTag(type) : InsideTag(type);
}

int ApplyInstitutionConvention(std::vector<Sentence>& sentences,
                               const std::vector<std::string>& seats) {
  constexpr std::string_view kMinistrySuffixes[] = {
      "ministerium", "ministeriums", "ministerien"};
  constexpr int kOrganization = 2;  // kTypes[2] == "ORG"
  constexpr int kLocation = 1;
  int relabeled = 0;
  for (Sentence& sentence : sentences) {
    for (size_t i = 0; i < sentence.words.size(); ++i) {
      const std::string& word = sentence.words[i];
      int& tag = sentence.tags[i];
      const bool continues = i + 1 < sentence.tags.size() &&
                             !IsBegin(sentence.tags[i + 1]) &&
                             sentence.tags[i + 1] != kOutside;
      bool ministry = false;
      if (tag == kOutside && !word.empty() && word[0] >= 'A' &&
          word[0] <= 'Z') {
        for (std::string_view suffix : kMinistrySuffixes) {
          ministry = ministry || (word.size() >= suffix.size() &&
                                  std::string_view(word).substr(
                                      word.size() - suffix.size()) == suffix);
        }
      }
      const bool seat =
          tag == BeginTag(kLocation) && !continues &&
          std::find(seats.begin(), seats.end(), word) != seats.end();
      if (ministry || seat) {
        tag = BeginTag(kOrganization);
        ++relabeled;
      }
    }
  }
  return relabeled;
}

void RepairBio(std::vector<int>& tags) {
  for (size_t i = 0; i < tags.size(); ++i) {
    if (tags[i] != 0 && !IsBegin(tags[i]) &&
        !Allowed(i ? tags[i - 1] : -1, tags[i])) {
      tags[i] = BeginTag(TagType(tags[i]));
    }
  }
}

bool ReadGermEval(const std::string& path, DerivPart mode,
                  std::vector<Sentence>& out, std::string* error) {
  return ReadSentences(
      path, out, error, [mode](const std::string& line, Sentence& current) {
        if (line[0] == '#' && line.size() > 1 && line[1] == '\t') return true;
        auto parts = SplitTabs(line);
        // tsv: index token outer inner; iob2: token outer inner.
        size_t token_column = parts.size() >= 4 ? 1 : 0;
        if (parts.size() < token_column + 2) return true;
        current.words.emplace_back(parts[token_column]);
        current.tags.push_back(MapGermEvalTag(parts[token_column + 1], mode));
        std::string_view tag = parts[token_column + 1];
        int part = -1;
        if (tag.size() == 9 && tag.substr(5) == "part") {
          part = GermEvalType(tag.substr(2, 3));
        }
        current.parts.push_back(part);
        return true;
      });
}

int MapEnglishType(std::string_view type) {
  static const std::pair<std::string_view, int> kTypes[] = {
      {"PER", 0},
      {"LOC", 1},
      {"ORG", 2},
      {"MISC", 3},
      {"person", 0},
      {"politician", 0},
      {"scientist", 0},
      {"writer", 0},
      {"musicalartist", 0},
      {"researcher", 0},
      {"location", 1},
      {"country", 1},
      {"astronomicalobject", 1},
      {"organisation", 2},
      {"politicalparty", 2},
      {"university", 2},
      {"band", 2},
      {"academicjournal", 2},
      {"magazine", 2},
      {"misc", 3},
      {"event", 3},
      {"election", 3},
      {"award", 3},
      {"conference", 3},
      {"song", 3},
      {"album", 3},
      {"book", 3},
      {"poem", 3},
      {"product", 3},
      {"programlang", 3}};
  for (const auto& [name, index] : kTypes) {
    if (name == type) return index;
  }
  return -1;
}

bool ReadConll(const std::string& path, std::vector<Sentence>& out,
               std::string* error) {
  return ReadSentences(
      path, out, error, [](const std::string& line, Sentence& current) {
        size_t first = line.find_first_of(" \t");
        if (first == std::string::npos) return false;
        std::string_view token = std::string_view(line).substr(0, first);
        if (token == "-DOCSTART-") return false;
        size_t last = line.find_last_of(" \t");
        std::string_view tag = std::string_view(line).substr(last + 1);
        int mapped = kOutside;
        if (tag.size() > 2 && tag[1] == '-') {
          int type = MapEnglishType(tag.substr(2));
          if (type >= 0) {
            mapped = tag[0] == 'B' ? BeginTag(type) : InsideTag(type);
          }
        }
        current.words.emplace_back(token);
        current.tags.push_back(mapped);
        return true;
      });
}

namespace {

struct GumToken {
  std::string form, upos, xpos, deprel;
  int head = -1;  // 0-based, -1: root
};
struct GumMention {
  int begin = 0, end = 0;  // token indices, [begin, end)
  std::string etype;
};

// Measured both ways (docs/MODELS.md): GUM's other named mentions as MISC or
// as O.
constexpr bool kGumMiscAsOutside = false;

int GumType(std::string_view etype) {
  if (etype == "person") return 0;
  if (etype == "place") return 1;
  if (etype == "organization") return 2;
  if (kGumMiscAsOutside) return -1;
  if (etype == "abstract" || etype == "event" || etype == "object" ||
      etype == "substance" || etype == "animal" || etype == "plant") {
    return 3;
  }
  return -1;
}

// Titles and roles, which CoNLL-style annotation (CrossNER, BTC, Wikigold)
// leaves outside PER names: "President Joe Biden" -> "Joe Biden".
bool IsPersonTitle(std::string_view word) {
  static const std::set<std::string, std::less<>> kTitles = {
      "Mr",          "Mr.",
      "Mrs",         "Mrs.",
      "Ms",          "Ms.",
      "Miss",        "Dr",
      "Dr.",         "Prof",
      "Prof.",       "Professor",
      "Sir",         "Dame",
      "Lord",        "Lady",
      "President",   "Vice",
      "Prime",       "Minister",
      "Premier",     "Chancellor",
      "Senator",     "Sen.",
      "Rep.",        "Representative",
      "Congressman", "Congresswoman",
      "Governor",    "Gov.",
      "Mayor",       "Secretary",
      "Ambassador",  "General",
      "Gen.",        "GEN.",
      "Major",       "Maj.",
      "Colonel",     "Col.",
      "Captain",     "Capt.",
      "Lieutenant",  "Lt.",
      "Sergeant",    "Sgt.",
      "Admiral",     "Commander",
      "Command",     "Marshal",
      "Chief",       "Justice",
      "Judge",       "Inspector",
      "Detective",   "Emperor",
      "Empress",     "King",
      "Queen",       "Prince",
      "Princess",    "Duke",
      "Duchess",     "Earl",
      "Count",       "Countess",
      "Baron",       "Baroness",
      "Marquis",     "Tsar",
      "Tsarina",     "Tsarevna",
      "Tsarevich",   "Czar",
      "Pope",        "Bishop",
      "Archbishop",  "Cardinal",
      "Father",      "Reverend",
      "Rev.",        "Rabbi",
      "Imam",        "Sheikh",
      "Protector",   "Coach",
      "Officer",     "Agent",
      "Fellow",      "Director",
      "Chairman",    "Chairwoman",
      "Chair",       "Speaker",
      "Manager"};
  return kTitles.count(word) > 0;
}

// Document cross-references, not names: "Listing 1", "Table 2".
bool IsReferenceWord(std::string_view word) {
  return word == "Listing" || word == "Table" || word == "Figure" ||
         word == "Fig." || word == "Appendix" || word == "Section" ||
         word == "Chapter" || word == "Example" || word == "Case" ||
         word == "Tab";
}

bool StartsUpperOrDigit(std::string_view word) {
  if (word.empty()) return false;
  const unsigned char c = word[0];
  // Non-ASCII first bytes (É, Ö, ...) count as capitals: GUM's non-ASCII
  // name tokens are PROPN anyway, and lower-case non-ASCII starts are rare.
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

// Joiners inside a name, under an included "of"-modifier: "Library of the
// Netherlands", "Marquis de Lafayette".
bool IsNameJoiner(std::string_view word) {
  return word == "of" || word == "the" || word == "de" || word == "du" ||
         word == "des" || word == "del" || word == "della" || word == "di" ||
         word == "da" || word == "von" || word == "van" || word == "der" ||
         word == "den" || word == "la" || word == "le";
}

// The name in the mention [begin, end) whose syntactic head is `head` (a
// PROPN), as a token span (empty if it has none), per the rules in
// ner_data.h. `own_mention` marks the tokens that head a mention of their
// own. `noun_head`, if not -1, is the common noun that heads the mention
// ("journalist Stanley Mitchell"): its later flat dependents count as the
// name's.
TokenSpan GumName(const std::vector<GumToken>& tokens, int begin, int end,
                  int head, int type, const std::vector<bool>& own_mention,
                  int noun_head) {
  const int n = end - begin;
  std::vector<bool> in(n, false);
  in[head - begin] = true;
  // Descendants of the head through name-internal relations, in tree order
  // (a token's parent is decided before it: iterate to a fixed point).
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = begin; i < end; ++i) {
      if (in[i - begin]) continue;
      const GumToken& t = tokens[i];
      int h = t.head;
      if (noun_head >= 0 && h == noun_head && i > head &&
          t.deprel.rfind("flat", 0) == 0) {
        h = head;
      }
      if (h < begin || h >= end || !in[h - begin]) continue;
      const std::string& rel = t.deprel;
      const bool upper = StartsUpperOrDigit(t.form);
      const bool base_is_nmod = tokens[h].deprel == "nmod" && h != head;
      bool take = false;
      if (rel.rfind("flat", 0) == 0 || rel == "fixed" || rel == "goeswith") {
        take = true;
      } else if (rel == "compound" || rel == "amod" || rel == "nmod:desc") {
        take = upper && (i < h || t.upos == "PROPN");
      } else if (rel == "nummod" || rel == "nmod:unmarked") {
        // "Norton I", "Title IV", "Vrije Universiteit Amsterdam"; not
        // "Brieber 2014" (a citation's year).
        take = i > h && upper &&
               !(std::isdigit(static_cast<unsigned char>(t.form[0])) &&
                 t.form.size() >= 4);
      } else if (rel == "nmod") {
        // "University of California"; not "Louis XV of France" (a person's
        // "of" phrase is a description, not part of the name).
        take = i > h && type != 0 && upper;
      } else if (rel == "conj" || rel == "cc") {
        // Coordination inside a modifier ("Newfoundland and Labrador Court
        // of Appeal", "Food Standards of Australia and New Zealand"), not
        // of whole names ("the Netherlands and Belgium").
        take = h != head && (upper || t.form == "and" || t.form == "&");
      } else if (rel == "case" || rel == "det") {
        take = base_is_nmod && i < h && IsNameJoiner(t.form);
      } else if (rel == "nmod:poss") {
        // "King 's College"; not "Berkeley 's Department of Linguistics",
        // where the possessor is a mention (a name) of its own.
        take = t.upos == "PROPN" && i < h && !own_mention[i];
      } else if (rel == "punct") {
        take = t.form == "-" || t.form == "&" || t.form == ".";
      }
      if (take) {
        in[i - begin] = true;
        changed = true;
      }
    }
    // The possessive marker of an included possessor.
    for (int i = begin; i < end; ++i) {
      const GumToken& t = tokens[i];
      if (!in[i - begin] && t.deprel == "case" && t.head >= begin &&
          t.head < end && in[t.head - begin] &&
          tokens[t.head].deprel == "nmod:poss" && t.head != head &&
          (t.form == "'s" || t.form == "’s" || t.form == "'")) {
        in[i - begin] = true;
      }
    }
  }
  // The contiguous run of included tokens around the head.
  int first = head, last = head + 1;
  while (first > begin && in[first - 1 - begin]) --first;
  while (last < end && in[last - begin]) ++last;
  auto name_like = [&](int i) { return StartsUpperOrDigit(tokens[i].form); };
  // Titles before a person's name ("Major - General Scott" -> "Scott").
  if (type == 0) {
    for (int i = first; i < head; ++i) {
      if (IsPersonTitle(tokens[i].form)) first = i + 1;
    }
  }
  while (first < last && !name_like(first)) ++first;
  while (last > first && !name_like(last - 1)) --last;
  if (first >= last || first > head || last <= head) return {0, 0, type};
  // A person named only by a title or role ("the Secretary", "Emperor of
  // the United States") is not a name.
  if (type == 0 && IsPersonTitle(tokens[head].form)) return {0, 0, type};
  for (int i = first; i < last; ++i) {
    const std::string& f = tokens[i].form;
    if (f.find('@') != std::string::npos ||
        f.find("://") != std::string::npos || f.rfind("www.", 0) == 0) {
      return {0, 0, type};  // e-mail addresses, URLs
    }
  }
  if (IsReferenceWord(tokens[head].form) && head + 1 < end &&
      std::isdigit(static_cast<unsigned char>(tokens[head + 1].form[0]))) {
    return {0, 0, type};  // "Listing 1", "Table 2"
  }
  return {first, last, type};
}

void FlushGumSentence(std::vector<GumToken>& tokens,
                      std::vector<GumMention>& mentions,
                      std::vector<Sentence>& out) {
  if (tokens.empty()) return;
  const int n = static_cast<int>(tokens.size());
  // The head of a mention: the token whose HEAD lies outside it
  // (punctuation attached outside does not count); -1 if none.
  auto mention_head = [&](const GumMention& m) {
    for (int i = m.begin; i < m.end; ++i) {
      int h = tokens[i].head;
      if ((h < m.begin || h >= m.end) && tokens[i].upos != "PUNCT") return i;
    }
    return -1;
  };
  std::vector<bool> own_mention(n, false);  // heads a mention of its own
  for (const GumMention& m : mentions) {
    if (m.begin >= m.end || m.end > n) continue;
    if (int head = mention_head(m); head >= 0) own_mention[head] = true;
  }
  struct Candidate {
    int begin, end, head;
    TokenSpan name;
  };
  std::vector<Candidate> candidates;
  for (const GumMention& m : mentions) {
    int type = GumType(m.etype);
    if (type < 0 || m.begin >= m.end || m.end > n) continue;
    int head = mention_head(m);
    if (head < 0) continue;
    int noun_head = -1;
    if (tokens[head].upos != "PROPN") {
      // A common noun heading a name: "music journalist Stanley Mitchell",
      // "his friend Bonosus". The name is its first later PROPN dependent
      // in apposition (flat or appos).
      int name_head = -1;
      for (int i = head + 1; i < m.end && name_head < 0; ++i) {
        if (tokens[i].head == head && tokens[i].upos == "PROPN" &&
            (tokens[i].deprel.rfind("flat", 0) == 0 ||
             tokens[i].deprel == "appos")) {
          name_head = i;
        }
      }
      if (name_head < 0 || tokens[head].upos != "NOUN") continue;
      noun_head = head;
      head = name_head;
    }
    // Groups named by a plural proper noun ("Americans", "Muslims"):
    // CoNLL-style MISC, not PER.
    if (type == 0 && tokens[head].xpos == "NNPS") type = 3;
    TokenSpan name =
        GumName(tokens, m.begin, m.end, head, type, own_mention, noun_head);
    // Not "speaker G", "line E": a one-letter label after a common noun.
    if (noun_head >= 0 && name.end - name.begin == 1 &&
        tokens[name.begin].form.size() == 1) {
      continue;
    }
    candidates.push_back({m.begin, m.end, head, name});
  }
  // Of mentions with the same head, the innermost gives the type (the outer
  // ones add clauses or a cleft around the same name).
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     return a.end - a.begin < b.end - b.begin;
                   });
  std::vector<Candidate> kept;
  for (const Candidate& c : candidates) {
    bool seen = false;
    for (const Candidate& k : kept) seen |= k.head == c.head;
    if (!seen) kept.push_back(c);
  }
  // Then the outermost named mention wins; the names nested in it go.
  std::stable_sort(kept.begin(), kept.end(),
                   [](const Candidate& a, const Candidate& b) {
                     return a.end - a.begin > b.end - b.begin;
                   });
  Sentence sentence;
  sentence.tags.assign(n, kOutside);
  for (const Candidate& c : kept) {
    const TokenSpan& name = c.name;
    if (name.begin >= name.end) continue;
    bool free = true;
    for (int i = name.begin; i < name.end; ++i) {
      free &= sentence.tags[i] == kOutside;
    }
    if (!free) continue;
    sentence.tags[name.begin] = BeginTag(name.type);
    for (int i = name.begin + 1; i < name.end; ++i) {
      sentence.tags[i] = InsideTag(name.type);
    }
  }
  for (auto& t : tokens) sentence.words.push_back(std::move(t.form));
  out.push_back(std::move(sentence));
  tokens.clear();
  mentions.clear();
}

}  // namespace

bool ReadGum(const std::string& directory, std::vector<Sentence>& out,
             std::string* error) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    if (entry.path().extension() == ".conllu") files.push_back(entry.path());
  }
  if (ec || files.empty()) {
    if (error) *error = "no .conllu files in " + directory;
    return false;
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file);
    std::vector<GumToken> tokens;
    std::vector<GumMention> mentions;
    std::vector<std::pair<std::string, GumMention>> open;  // id -> mention
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) {
        FlushGumSentence(tokens, mentions, out);
        open.clear();
        continue;
      }
      if (line[0] == '#') continue;
      auto cols = SplitTabs(line);
      if (cols.size() < 10) continue;
      if (cols[0].find_first_of("-.") != std::string_view::npos) {
        continue;  // ranges, empty nodes
      }
      const int index = static_cast<int>(tokens.size());
      tokens.push_back({std::string(cols[1]), std::string(cols[3]),
                        std::string(cols[4]), std::string(cols[7]),
                        std::atoi(std::string(cols[6]).c_str()) - 1});
      std::string_view misc = cols[9];
      size_t e = misc.find("Entity=");
      if (e == std::string_view::npos) continue;
      std::string_view value = misc.substr(e + 7);
      value = value.substr(0, value.find('|'));
      for (size_t i = 0; i < value.size();) {
        if (value[i] == '(') {
          size_t stop = value.find_first_of("()", i + 1);
          std::string_view content = value.substr(i + 1, stop - i - 1);
          std::string id(content.substr(0, content.find('-')));
          GumMention m;
          m.begin = index;
          size_t dash = content.find('-');
          std::string_view rest =
              dash == std::string_view::npos ? "" : content.substr(dash + 1);
          m.etype = std::string(rest.substr(0, rest.find('-')));
          if (stop != std::string_view::npos && value[stop] == ')') {
            m.end = index + 1;
            mentions.push_back(m);
            i = stop + 1;
          } else {
            open.emplace_back(id, m);
            i = stop == std::string_view::npos ? value.size() : stop;
          }
        } else {
          size_t stop = value.find_first_of("()", i);
          std::string_view id = value.substr(i, stop - i);
          for (size_t k = open.size(); k-- > 0;) {
            if (open[k].first == id) {
              GumMention m = open[k].second;
              m.end = index + 1;
              mentions.push_back(m);
              open.erase(open.begin() + static_cast<ptrdiff_t>(k));
              break;
            }
          }
          i = stop == std::string_view::npos
                  ? value.size()
                  : stop + (value[stop] == ')' ? 1 : 0);
        }
      }
    }
    FlushGumSentence(tokens, mentions, out);
  }
  return true;
}

bool ReadDataset(const std::string& spec, DerivPart mode,
                 std::vector<Sentence>& out, std::string* error) {
  if (spec.rfind("conll:", 0) == 0) {
    return ReadConll(spec.substr(6), out, error);
  }
  if (spec.rfind("gum:", 0) == 0) return ReadGum(spec.substr(4), out, error);
  if (spec.rfind("germeval:", 0) == 0) {
    return ReadGermEval(spec.substr(9), mode, out, error);
  }
  return ReadGermEval(spec, mode, out, error);
}

void Evaluation::Add(const std::vector<int>& gold,
                     const std::vector<int>& predicted) {
  auto g = SpansFromTags(gold), p = SpansFromTags(predicted);
  std::set<std::tuple<int, int, int>> gs;
  for (auto& s : g) {
    gs.insert({s.begin, s.end, s.type});
    by_type_[s.type].gold++;
  }
  for (auto& s : p) {
    by_type_[s.type].predicted++;
    if (gs.count({s.begin, s.end, s.type})) by_type_[s.type].correct++;
  }
}

Evaluation::Score Evaluation::PerLocOrg() const {
  Score s;
  for (int t = 0; t < 3; ++t) {
    s.gold += by_type_[t].gold;
    s.predicted += by_type_[t].predicted;
    s.correct += by_type_[t].correct;
  }
  return s;
}

Evaluation::Score Evaluation::All() const {
  Score s = PerLocOrg();
  s.gold += by_type_[3].gold;
  s.predicted += by_type_[3].predicted;
  s.correct += by_type_[3].correct;
  return s;
}

std::string Evaluation::Table() const {
  std::ostringstream out;
  char line[128];
  std::snprintf(line, sizeof line, "%-12s %7s %7s %7s %7s %7s %7s\n", "type",
                "gold", "pred", "correct", "P", "R", "F1");
  out << line;
  auto row = [&](const char* name, const Score& s) {
    std::snprintf(line, sizeof line, "%-12s %7ld %7ld %7ld %7.4f %7.4f %7.4f\n",
                  name, s.gold, s.predicted, s.correct, s.Precision(),
                  s.Recall(), s.F1());
    out << line;
  };
  for (int t = 0; t < kNumTypes; ++t) {
    row(std::string(kTypes[t]).c_str(), by_type_[t]);
  }
  row("PER+LOC+ORG", PerLocOrg());
  row("all", All());
  return out.str();
}

}  // namespace nlpd::ner
