// Readers for the NER datasets in ../shared/data and CoNLL-style
// entity-level evaluation, shared by nlpd_train_ner and the tests.
#ifndef NLPD_TRAINING_NER_NER_DATA_H_
#define NLPD_TRAINING_NER_NER_DATA_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "ner/tagger.h"

namespace nlpd::ner {

struct Sentence {
  std::vector<std::string> words;
  std::vector<int> tags;  // BIO tags over PER/LOC/ORG/MISC (tagger.h)
  // GermEval: the type of a token's *part tag ("NATO-Gipfel" B-ORGpart:
  // ORG), else -1; empty for other datasets.
  std::vector<int> parts;
  std::vector<std::string_view> Views() const {
    return {words.begin(), words.end()};
  }
};

// What to do with GermEval's *deriv and *part tags.
//   kOutside:   both -> O
//   kMisc:      both -> MISC
//   kDerivMisc: deriv -> MISC (as CoNLL 2003 tags "German" MISC), part -> O
//   kMainType:  both -> their main type (LOCderiv -> LOC)
enum class DerivPart { kOutside, kMisc, kDerivMisc, kMainType };

// Maps one GermEval 2014 outer tag ("B-LOCderiv", "I-OTH", "O") to a tag:
// PER/LOC/ORG stay, OTH -> MISC, *deriv/*part per `mode`.
int MapGermEvalTag(std::string_view tag, DerivPart mode);

// Reads GermEval 2014 in the iob2 layout (token, outer, inner; blank line
// between sentences) or the original tsv layout (index, token, outer, inner;
// "#" comment lines). Uses the outer level. Returns false if the file cannot
// be read.
bool ReadGermEval(const std::string& path, DerivPart mode,
                  std::vector<Sentence>& out, std::string* error);

// Maps a type name of the English sets to a type index (-1: O). Takes
// PER/LOC/ORG/MISC as they are, and CrossNER's fine types as its SOURCE.md
// suggests: person-like -> PER (person, politician, scientist, writer,
// musicalartist, researcher), location, country, astronomicalobject -> LOC,
// organisation, politicalparty, university, band, academicjournal,
// magazine -> ORG, misc, event, election, award, conference, song, album,
// book, poem, product, programlang -> MISC, the concept types -> O.
int MapEnglishType(std::string_view type);

// Reads a CoNLL-style file: one token per line, the token in the first and
// the tag in the last (tab- or space-separated) column, blank lines between
// sentences, "-DOCSTART-" lines skipped. BIO or IO tags (Wikigold) become
// BIO; types through MapEnglishType.
bool ReadConll(const std::string& path, std::vector<Sentence>& out,
               std::string* error);

// Reads the GUM corpus (CoNLL-U, every *.conllu file of `directory`, in
// name order) and reduces its entity mentions to flat names ("names only",
// CoNLL style), following its SOURCE.md:
// - A mention is a name when its syntactic head (the first non-punctuation
//   token whose HEAD lies outside the mention) is PROPN, or when a common
//   noun head has a later PROPN in apposition ("music journalist Stanley
//   Mitchell" -> "Stanley Mitchell").
// - Types: person -> PER (plural proper nouns, "Americans", -> MISC),
//   place -> LOC, organization -> ORG, abstract/event/object/substance/
//   animal/plant -> MISC, time -> O.
// - The name is the head with its name-internal dependents (flat, compound,
//   capitalized amod, trailing numerals "Norton I", "of" modifiers and
//   their "of the" for non-persons "National Library of the Netherlands",
//   coordination inside a modifier "Newfoundland and Labrador Court of
//   Appeal", a possessor that is no mention of its own "King 's College"),
//   the contiguous run of them around the head. So determiners, possessive
//   's, appositions, relative and other trailing clauses, and coordinated
//   names stay outside.
// - Persons lose leading titles ("Justice Thomas" -> "Thomas"); a person
//   headed by a title ("the Secretary", "Emperor of the United States") is
//   no name. E-mail addresses, URLs and cross-references ("Listing 1") are
//   no names.
// - Nesting: of mentions with the same name head the innermost gives the
//   type; otherwise the outermost name wins and names inside it go.
bool ReadGum(const std::string& directory, std::vector<Sentence>& out,
             std::string* error);

// "germeval:PATH", "conll:PATH" or "gum:DIRECTORY" (a bare path is GermEval).
bool ReadDataset(const std::string& spec, DerivPart mode,
                 std::vector<Sentence>& out, std::string* error);

// The project's convention for institutions where GermEval's differs
// (docs/MODELS.md): a ministry is an organization ("Außenministerium",
// "Verteidigungsministeriums": GermEval tags them O unless the full official
// name is written), and so is a seat of power named for the institution in
// it ("Kreml", "Pentagon": GermEval tags them LOC). Relabels as a one-token
// ORG every capitalized word ending in "ministerium", "ministeriums" or
// "ministerien" that is O, and every one-token LOC whose word is in
// `seats`. Returns the number of tokens relabeled.
int ApplyInstitutionConvention(std::vector<Sentence>& sentences,
                               const std::vector<std::string>& seats);

// Re-establishes BIO: an I-X that does not follow B-X/I-X becomes B-X.
void RepairBio(std::vector<int>& tags);

// Entity-level evaluation, CoNLL style: a predicted entity counts only if
// its span and type are exactly those of a gold entity.
class Evaluation {
 public:
  void Add(const std::vector<int>& gold, const std::vector<int>& predicted);
  struct Score {
    long gold = 0, predicted = 0, correct = 0;
    double Precision() const {
      return predicted ? double(correct) / predicted : 0;
    }
    double Recall() const { return gold ? double(correct) / gold : 0; }
    double F1() const {
      double p = Precision(), r = Recall();
      return p + r > 0 ? 2 * p * r / (p + r) : 0;
    }
  };
  Score ForType(int type) const { return by_type_[type]; }
  // Over PER, LOC and ORG only.
  Score PerLocOrg() const;
  Score All() const;
  // A fixed-layout table: one row per type, PER+LOC+ORG, and all.
  std::string Table() const;

 private:
  std::array<Score, kNumTypes> by_type_{};
};

}  // namespace nlpd::ner

#endif  // NLPD_TRAINING_NER_NER_DATA_H_
