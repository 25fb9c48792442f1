// Who holds a position: noun phrases, subjects of predicates and frames of
// reported speech ("X sagte, ...", "..., warnte X", "laut X", "so X",
// "X said", "according to X") over a SentenceView, driven by the word sets
// of a Lexicon (no language is hard-coded: German-style capitalized nouns
// and verb-second order are lexicon options).
#ifndef NLPD_PLUGINS_STANCE_ATTRIBUTION_H_
#define NLPD_PLUGINS_STANCE_ATTRIBUTION_H_

#include <vector>

#include "lexicon.h"
#include "nlpd/v1/results.pb.h"
#include "sentence_view.h"

namespace nlpd::stance {

// A token range [begin, end) in a SentenceView; empty when not found.
struct Phrase {
  int begin = -1;
  int end = -1;
  bool found() const { return begin >= 0 && end > begin; }
  bool Overlaps(const Phrase& other) const {
    return found() && other.found() && begin < other.end && other.begin < end;
  }
};

// A reported-speech frame: a verb of speech (or a source marker) and its
// speaker.
struct SpeechFrame {
  int verb = 0;  // the verb or the marker's first token
  Phrase speaker;
  // The speaker only relays (a news agency, "berichtete", "laut",
  // "according to", "wie X mitteilte"): the actor is whoever the relayed
  // content is about, when the content names one.
  bool relays = false;
  // The speaker comes after what is said ("..., warnte X", "„...“, so X").
  bool speaker_after_content = false;
  // First token of the reported content (after "dass"/"that" or the verb)
  // when the speaker comes first; 0 otherwise.
  int content_begin = 0;
};

// Stateless apart from the lexicon it borrows (which must outlive it).
// Thread-safe.
class Attribution {
 public:
  explicit Attribution(const Lexicon& lexicon);

  // The noun phrase starting at `start` without leading determiners, up to
  // the first boundary, stop word or verb. Empty if none starts there.
  Phrase NounPhraseAt(const SentenceView& sentence, int start) const;

  // The subject of the predicate whose first token is `verb`: the phrase
  // before it in its clause, or, after a fronted adverbial or clause (and
  // in inverted speech, "..., sagte X"), the phrase after it. Empty when
  // the clause has none (a coordinated verb) or it cannot be told.
  Phrase SubjectOf(const SentenceView& sentence, int verb) const;

  // The agent of a passive clause: the actor-like phrase after the first
  // agent marker ("by", "von") that follows a passive auxiliary ("was",
  // "wurden") in the clause of token `cue` ("was accepted by Hamas",
  // "wurden von der Armee bombardiert"). Empty when the clause is not
  // passive or names no agent.
  Phrase PassiveAgent(const SentenceView& sentence, int cue,
                      const nlpd::v1::EntitiesResult& entities) const;

  // The subject of the sentence's first clause when it opens with an
  // actor-like phrase ("Hundreds of students rallied ..., calling for"):
  // the holder of a position stated in a participle or coordinated clause.
  // Empty when the sentence opens with an adverbial or subordinate clause.
  Phrase SentenceSubject(const SentenceView& sentence,
                         const nlpd::v1::EntitiesResult& entities) const;

  // The frames of reported speech in the sentence, in text order; only
  // frames whose speaker IsActorLike or IsNameLike.
  std::vector<SpeechFrame> FindFrames(
      const SentenceView& sentence,
      const nlpd::v1::EntitiesResult& entities) const;

  // True when `phrase` can name an actor: it has a person, organisation or
  // place entity, or an actor noun ("Regierung", "troops").
  bool IsActorLike(const SentenceView& sentence, const Phrase& phrase,
                   const nlpd::v1::EntitiesResult& entities) const;

  // True when the phrase can be a name though it has no entity or actor
  // noun: short and starting with a capital letter ("Arabische Liga",
  // "Pyongyang"). In languages that capitalize every noun, only for the
  // subject of a verb of speech (`speaker`).
  bool IsNameLike(const SentenceView& sentence, const Phrase& phrase,
                  bool speaker) const;

  // True when the phrase is one subject pronoun; `person` tells whether it
  // refers to a person ("er", "he", "she") rather than to any actor.
  bool IsPronoun(const SentenceView& sentence, const Phrase& phrase,
                 bool* person) const;

 private:
  bool IsVerbLike(const TokenInfo& token) const;
  Phrase PhraseAfterVerb(const SentenceView& sentence, int verb) const;
  // Extends `phrase` by an apposition naming a person ("der Außenminister,
  // Anna Keller,").
  Phrase WithApposition(const SentenceView& sentence, Phrase phrase) const;
  // Extends `phrase`, when it names an office (a role or person noun), by
  // an apposition of two to four capitalized words the entities plugin did
  // not recognize, closed by a comma ("Der Verteidigungsminister Lettlands,
  // Artis Kalniņš, sprach").
  // The subject phrase with its apposition when the predicate at `verb`
  // directly follows a closed apposition ("Der Außenminister Ägyptens, Badr
  // Abdelatty, rief"); empty otherwise.
  Phrase PhraseBeforeApposition(const SentenceView& sentence, int verb) const;
  Phrase WithNameApposition(const SentenceView& sentence, Phrase phrase) const;

  const Lexicon& lexicon_;
  bool capitalized_nouns_;  // option capitalized-nouns (German)
  bool verb_second_;        // option verb-second (German)
};

}  // namespace nlpd::stance

#endif  // NLPD_PLUGINS_STANCE_ATTRIBUTION_H_
