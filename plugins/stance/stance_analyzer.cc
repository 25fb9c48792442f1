#include "stance_analyzer.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>
#include <vector>

#include "attribution.h"
#include "cue_matcher.h"
#include "document_summary.h"
#include "entity_index.h"
#include "nlpd/language.h"
#include "nlpd/plugin_sdk.h"
#include "sentence_view.h"

namespace nlpd::stance {
namespace {

using nlpd::v1::Document;
using nlpd::v1::EntitiesResult;
using nlpd::v1::Span;
using nlpd::v1::Stance;

// A position needs at least this much cue weight.
constexpr float kMinimumScore = 1.0f;
// Weaker cues of the same stance add this share of their weight.
constexpr float kSecondaryShare = 0.3f;
// How far before a cue a modal verb reaches.
constexpr int kModalReach = 3;
// Confidence of a statement that takes no position.
constexpr float kNoneConfidence = 0.6f;

// Cue kinds that report the actor's own escalatory deed: when they decide a
// statement, the actor is the deed's agent, not whoever reports it.
bool IsActionKind(const std::string& kind) {
  return kind == "attack" || kind == "deployment" || kind == "mobilization" ||
         kind == "exercise";
}

// True when a cue of `kind` deciding a statement of `stance` reports the
// actor's own deed: an escalatory action (FAVOR), or a pull-back of forces
// (AGAINST "withdrawal") reported by a speaker named after it ("Japan zog
// seinen Zerstörer ... zurück, teilte das Ministerium mit"); a speaker
// named before a withdrawal usually demands it ("forderte Peking auf, ...
// abzuziehen"), and then holds the position.
bool IsDeed(nlpd::v1::Stance stance, const std::string& kind,
            bool speaker_after_content) {
  if (stance == nlpd::v1::FAVOR) return IsActionKind(kind);
  return stance == nlpd::v1::AGAINST && kind == "withdrawal" &&
         speaker_after_content;
}

// True when `phrase` has an entity that is a person (`person`) or, when
// `person` is false, a place or organisation.
bool HasEntityLabel(const SentenceView& sentence, const Phrase& phrase,
                    bool person, const nlpd::v1::EntitiesResult& entities) {
  if (!phrase.found()) return false;
  for (int t = phrase.begin; t < phrase.end; ++t) {
    const int entity = sentence.tokens[t].entity;
    if (entity < 0) continue;
    const std::string& label = entities.entities(entity).label();
    if (person ? label == "PER" : (label == "LOC" || label == "ORG")) {
      return true;
    }
  }
  return false;
}

// Cue kinds that become EscalationEvents.
bool IsEventKind(const std::string& kind) {
  return IsActionKind(kind) || kind == "threat" || kind == "weapons";
}

// True when token `cue` lies in a clause after the sentence's first one
// (a boundary precedes it).
bool InLaterClause(const SentenceView& sentence, int cue) {
  for (int t = 0; t < cue; ++t) {
    if (sentence.IsBoundary(t)) return true;
  }
  return false;
}

Span TokenRangeSpan(const Document& document, int first, int last) {
  const Span& begin = document.tokens(first).span();
  const Span& end = document.tokens(last).span();
  Span span;
  span.set_byte_start(begin.byte_start());
  span.set_byte_end(end.byte_end());
  span.set_char_start(begin.char_start());
  span.set_char_end(end.char_end());
  return span;
}

std::string SpanString(const Document& document, const Span& span) {
  return document.text().substr(span.byte_start(),
                                span.byte_end() - span.byte_start());
}

// An actor as resolved: its phrase, name and entities.
struct Actor {
  Span span;
  std::string name;
  std::vector<uint32_t> entities;
  bool is_person = false;
  // The grammatical gender and number the phrase shows (kGender* bits); 0
  // when it does not tell, which agrees with every pronoun.
  int gender = 0;
  uint32_t char_position = 0;      // where it was named
  uint32_t sentence_char_end = 0;  // end of the sentence that named it
};

// Gender and number bits of an antecedent and of the pronouns that may
// refer to it. In English "masculine | feminine" marks a person ("he",
// "she") and "neuter | plural" a body or a group ("it", "they").
constexpr int kGenderMasculine = 1;
constexpr int kGenderFeminine = 2;
constexpr int kGenderNeuter = 4;
constexpr int kGenderPlural = 8;
constexpr int kGenderPerson = kGenderMasculine | kGenderFeminine;
constexpr int kGenderBody = kGenderNeuter | kGenderPlural;
// How many earlier speakers and subjects a pronoun may refer back to.
constexpr size_t kMaxAntecedents = 8;

// The cues of one sentence, weighed by stance.
struct Weighing {
  std::array<float, 4> score = {0, 0, 0, 0};  // by nlpd::v1::Stance
  std::array<std::vector<const CueMatch*>, 4> accepted;
};

Weighing Weigh(const std::vector<CueMatch>& matches) {
  std::vector<const CueMatch*> counted;
  for (const CueMatch& match : matches) {
    if (match.counts()) counted.push_back(&match);
  }
  std::stable_sort(counted.begin(), counted.end(),
                   [](const CueMatch* a, const CueMatch* b) {
                     return a->cue->weight > b->cue->weight;
                   });
  Weighing weighing;
  // Negated or hypothetical matches still block weaker overlapping ones
  // ("nicht ausschließen" must not also count as "ausschließen").
  std::vector<const CueMatch*> blockers;
  for (const CueMatch& match : matches) {
    if (!match.counts()) blockers.push_back(&match);
  }
  for (const CueMatch* match : counted) {
    const int stance = match->stance();
    bool overlaps = false;
    for (const CueMatch* other : weighing.accepted[stance]) {
      overlaps |= match->begin < other->end && other->begin < match->end;
    }
    if (overlaps) continue;
    weighing.score[stance] += weighing.accepted[stance].empty()
                                  ? match->cue->weight
                                  : kSecondaryShare * match->cue->weight;
    weighing.accepted[stance].push_back(match);
  }
  return weighing;
}

class DocumentAnalysis {
 public:
  DocumentAnalysis(const Lexicon& lexicon, const Document& document,
                   const EntitiesResult& entities)
      : lexicon_(lexicon),
        attribution_(lexicon),
        document_(document),
        entities_(entities),
        entity_index_(entities) {}

  // The result, or sdk::Call::CancelledError() once `should_stop`, polled
  // before each sentence, returns true.
  absl::StatusOr<nlpd::v1::StanceResult> Run(
      absl::FunctionRef<bool()> should_stop) {
    for (int s = 0; s < document_.sentences_size(); ++s) {
      if (should_stop()) return sdk::Call::CancelledError();
      AnalyzeSentence(s);
    }
    SummarizeActors(&result_);
    return std::move(result_);
  }

 private:
  void AnalyzeSentence(int index);
  std::optional<Actor> ResolveActor(const SentenceView& sentence,
                                    const Phrase& phrase);
  Span PhraseSpan(const SentenceView& sentence, const Phrase& phrase) const {
    return TokenRangeSpan(document_, sentence.token_begin + phrase.begin,
                          sentence.token_begin + phrase.end - 1);
  }
  // The subject of what `frame` reports, when it names an actor.
  Phrase ContentSubject(const SentenceView& sentence,
                        const SpeechFrame& frame) const;
  // The last person entity mentioned before `char_position`, if any.
  std::optional<Actor> LastPersonEntityBefore(uint32_t char_position) const;
  // The kGender* bits `phrase` shows: in German its determiner or
  // adjective ending ("der", "die", "das"; "chinesische") or a role noun's
  // feminine suffix ("Ministerpräsidentin"); in English whether its nouns
  // name a person (lexicon set `person_noun`). A person entity alone, or a
  // phrase that shows nothing, gives 0.
  int PhraseGender(const SentenceView& sentence, const Phrase& phrase,
                   bool is_person) const;
  // The kGender* bits of the pronoun `word` (sets `pronoun_masculine`,
  // `pronoun_feminine`, `pronoun_neuter`, `pronoun_plural`); 0 when the
  // lexicon does not say.
  int PronounGender(std::string_view word) const;
  // Who holds the cue starting at token `cue` without a speech frame: the
  // agent of a passive ("were struck ... by the Russian military") when the
  // cue follows a passive auxiliary, else the subject of its predicate when
  // it names an actor, else a passive agent. Not found when none does.
  Phrase CueSubject(const SentenceView& sentence, int cue) const;
  // Records `actor` as the most recent antecedent of later pronouns.
  void RememberAntecedent(const Actor& actor);

  const Lexicon& lexicon_;
  Attribution attribution_;
  const Document& document_;
  const EntitiesResult& entities_;
  const EntityIndex entity_index_;  // built once per document
  nlpd::v1::StanceResult result_;
  std::optional<Actor> last_actor_;
  std::optional<Actor> last_person_;
  // Earlier speakers and subjects, oldest first, at most kMaxAntecedents.
  std::vector<Actor> antecedents_;
};

bool GenderAgrees(int antecedent, int pronoun) {
  return antecedent == 0 || pronoun == 0 || (antecedent & pronoun) != 0;
}

int DocumentAnalysis::PronounGender(std::string_view word) const {
  int gender = 0;
  if (lexicon_.InSet("pronoun_masculine", word)) gender |= kGenderMasculine;
  if (lexicon_.InSet("pronoun_feminine", word)) gender |= kGenderFeminine;
  if (lexicon_.InSet("pronoun_neuter", word)) gender |= kGenderNeuter;
  if (lexicon_.InSet("pronoun_plural", word)) gender |= kGenderPlural;
  return gender;
}

int DocumentAnalysis::PhraseGender(const SentenceView& sentence,
                                   const Phrase& phrase, bool is_person) const {
  if (!phrase.found()) return 0;
  const bool person_noun_found = [&] {
    for (int t = phrase.begin; t < phrase.end; ++t) {
      const TokenInfo& token = sentence.tokens[t];
      if (token.is_word && token.entity < 0 &&
          lexicon_.InSet("person_noun", token.lowered)) {
        return true;
      }
    }
    return false;
  }();
  if (!lexicon_.InSet("option", "capitalized-nouns")) {
    // Without capitalized nouns (English): only person or not.
    if (is_person || person_noun_found) return kGenderPerson;
    return kGenderBody;
  }
  // With capitalized nouns (German): the gender and number sets below.
  // The phrase may leave its determiner out ("Regierung" for "Die
  // Regierung").
  const int determiner =
      phrase.begin > 0 &&
              lexicon_.InSet("determiner",
                             sentence.tokens[phrase.begin - 1].lowered)
          ? phrase.begin - 1
          : phrase.begin;
  // Each word set that marks gender and number (vocabulary.h), in the order
  // they are tried: the determiner, else the feminine ending of a person
  // noun, else the ending of a leading adjective (strong declension).
  struct GenderSet {
    std::string_view set;
    int gender;
  };
  static constexpr GenderSet kDeterminers[] = {
      {"determiner_masculine", kGenderMasculine},
      {"determiner_feminine_plural", kGenderFeminine | kGenderPlural},
      {"determiner_neuter", kGenderNeuter},
      {"determiner_masculine_neuter", kGenderMasculine | kGenderNeuter},
      {"determiner_feminine", kGenderFeminine},
  };
  static constexpr GenderSet kAdjectiveEndings[] = {
      {"adjective_ending_masculine", kGenderMasculine},
      {"adjective_ending_neuter", kGenderNeuter},
      {"adjective_ending_feminine_plural", kGenderFeminine | kGenderPlural},
  };
  const std::string& first = sentence.tokens[determiner].lowered;
  for (const GenderSet& determiner_set : kDeterminers) {
    if (lexicon_.InSet(determiner_set.set, first)) return determiner_set.gender;
  }
  for (int t = phrase.begin; t < phrase.end; ++t) {
    const TokenInfo& token = sentence.tokens[t];
    if (!token.is_word || token.entity >= 0 ||
        !lexicon_.InSet("person_noun", token.lowered)) {
      continue;
    }
    if (lexicon_.InSet("person_noun_feminine_ending", token.lowered)) {
      return kGenderFeminine;
    }
    return kGenderMasculine;
  }
  const TokenInfo& head = sentence.tokens[phrase.begin];
  if (head.is_word && !head.is_capitalized && phrase.end - phrase.begin > 1) {
    for (const GenderSet& ending : kAdjectiveEndings) {
      if (lexicon_.InSet(ending.set, head.lowered)) return ending.gender;
    }
  }
  return 0;
}

Phrase DocumentAnalysis::CueSubject(const SentenceView& sentence,
                                    int cue) const {
  constexpr int kAuxiliaryReach = 2;
  for (int t = cue - 1; t >= 0 && t >= cue - kAuxiliaryReach; --t) {
    if (sentence.IsBoundary(t)) break;
    if (lexicon_.InSet("passive_auxiliary", sentence.tokens[t].lowered)) {
      Phrase agent = attribution_.PassiveAgent(sentence, cue, entities_);
      if (agent.found()) return agent;
      break;
    }
  }
  Phrase subject = attribution_.SubjectOf(sentence, cue);
  if (attribution_.IsActorLike(sentence, subject, entities_) ||
      attribution_.IsNameLike(sentence, subject, /*speaker=*/false)) {
    return subject;
  }
  return attribution_.PassiveAgent(sentence, cue, entities_);
}

void DocumentAnalysis::RememberAntecedent(const Actor& actor) {
  last_actor_ = actor;
  if (actor.is_person) last_person_ = actor;
  antecedents_.push_back(actor);
  if (antecedents_.size() > kMaxAntecedents) {
    antecedents_.erase(antecedents_.begin());
  }
}

std::optional<Actor> DocumentAnalysis::LastPersonEntityBefore(
    uint32_t char_position) const {
  const int e = entity_index_.LastPersonBefore(char_position);
  if (e < 0) return std::nullopt;
  const nlpd::v1::Entity& entity = entities_.entities(e);
  Actor actor;
  actor.span = entity.span();
  actor.name = entity.text();
  actor.entities = {static_cast<uint32_t>(e)};
  actor.is_person = true;
  actor.char_position = entity.span().char_start();
  return actor;
}

Phrase DocumentAnalysis::ContentSubject(const SentenceView& sentence,
                                        const SpeechFrame& frame) const {
  const int start = frame.speaker_after_content ? 0 : frame.content_begin;
  if (start >= sentence.size() ||
      lexicon_.InSet("adverbial", sentence.tokens[start].lowered) ||
      lexicon_.InSet("subordinator", sentence.tokens[start].lowered)) {
    return {};
  }
  bool pronoun_person = false;
  Phrase subject = attribution_.NounPhraseAt(sentence, start);
  if (!attribution_.IsActorLike(sentence, subject, entities_) ||
      attribution_.IsPronoun(sentence, subject, &pronoun_person) ||
      subject.Overlaps(frame.speaker)) {
    return {};
  }
  return subject;
}

std::optional<Actor> DocumentAnalysis::ResolveActor(
    const SentenceView& sentence, const Phrase& phrase) {
  if (!phrase.found()) return std::nullopt;
  Actor actor;
  actor.span = PhraseSpan(sentence, phrase);
  actor.char_position = actor.span.char_start();
  actor.sentence_char_end =
      document_.sentences(sentence.sentence).span().char_end();
  bool person_pronoun = false;
  if (attribution_.IsPronoun(sentence, phrase, &person_pronoun)) {
    // The last speaker or sentence subject named before, a role phrase
    // as much as a name ("Der Verteidigungsminister warnte ... Er rief
    // ..."), or a person named in a later sentence: within one sentence
    // the subject is preferred over a person named after it.
    // The antecedent must agree in gender and number: "Er" skips "Die
    // Regierung", "she" skips "the foreign ministry". Without an agreeing
    // one, the last speaker or subject as before.
    const int pronoun_gender =
        PronounGender(sentence.tokens[phrase.begin].lowered);
    std::optional<Actor> antecedent = last_actor_;
    for (auto it = antecedents_.rbegin(); it != antecedents_.rend(); ++it) {
      if (GenderAgrees(it->gender, pronoun_gender)) {
        antecedent = *it;
        break;
      }
    }
    std::optional<Actor> mentioned =
        LastPersonEntityBefore(actor.span.char_start());
    if (mentioned && !lexicon_.InSet("option", "capitalized-nouns")) {
      mentioned->gender = kGenderPerson;
    }
    if (mentioned && GenderAgrees(kGenderPerson, pronoun_gender) &&
        (!antecedent ||
         mentioned->char_position >= antecedent->sentence_char_end)) {
      antecedent = mentioned;
    }
    // Nobody named before: the pronoun itself (GUIDELINES.md section 4).
    if (!antecedent) {
      antecedent = actor;
      antecedent->name = SpanString(document_, actor.span);
    }
    return antecedent;
  }
  // The person's name when the phrase has one, else the phrase.
  for (int t = phrase.begin; t < phrase.end; ++t) {
    const int entity = sentence.tokens[t].entity;
    if (entity < 0) continue;
    if (actor.entities.empty() ||
        actor.entities.back() != static_cast<uint32_t>(entity)) {
      actor.entities.push_back(static_cast<uint32_t>(entity));
    }
    if (!actor.is_person && entities_.entities(entity).label() == "PER") {
      actor.is_person = true;
      actor.name = entities_.entities(entity).text();
    }
  }
  if (!actor.is_person) {
    actor.name = SpanString(document_, actor.span);
    // An unrecognized name in apposition ("Der Außenminister Ägyptens, Badr
    // Abdelatty,"): the name after the comma.
    for (int t = phrase.begin + 1; t + 1 < phrase.end; ++t) {
      if (sentence.tokens[t].text != ",") continue;
      actor.is_person = true;
      actor.name = SpanString(
          document_, TokenRangeSpan(document_, sentence.token_begin + t + 1,
                                    sentence.token_begin + phrase.end - 1));
      break;
    }
  }
  actor.gender = PhraseGender(sentence, phrase, actor.is_person);
  // A name fused into a role word ("Kremlsprecher"): the entity of that
  // name elsewhere in the document.
  for (int t = phrase.begin; t < phrase.end; ++t) {
    const TokenInfo& token = sentence.tokens[t];
    if (token.entity >= 0 || !token.is_word) continue;
    const int e = entity_index_.FusedNameEntity(token.lowered, lexicon_);
    if (e >= 0) actor.entities.push_back(static_cast<uint32_t>(e));
  }
  std::sort(actor.entities.begin(), actor.entities.end());
  actor.entities.erase(
      std::unique(actor.entities.begin(), actor.entities.end()),
      actor.entities.end());
  return actor;
}

void DocumentAnalysis::AnalyzeSentence(int index) {
  const nlpd::v1::Sentence& span_sentence = document_.sentences(index);
  const int first_entity =
      span_sentence.token_end() > span_sentence.token_begin()
          ? entity_index_.FirstEndingAfter(
                document_.tokens(static_cast<int>(span_sentence.token_begin()))
                    .span()
                    .char_start())
          : entities_.entities_size();
  const SentenceView sentence =
      MakeSentenceView(document_, entities_, index, first_entity);
  if (sentence.tokens.empty()) return;
  const std::vector<CueMatch> matches = FindCues(lexicon_, sentence);
  const Weighing weighing = Weigh(matches);
  const std::vector<SpeechFrame> frames =
      attribution_.FindFrames(sentence, entities_);

  const float favor = weighing.score[nlpd::v1::FAVOR];
  const float against = weighing.score[nlpd::v1::AGAINST];
  const float none = weighing.score[nlpd::v1::NONE];
  Stance stance = nlpd::v1::NONE;
  const float best = std::max(favor, against);
  if (best >= kMinimumScore && best > none) {
    stance = favor >= against ? nlpd::v1::FAVOR : nlpd::v1::AGAINST;
  }
  // The cue that decides: the strongest of the winning stance, else the
  // strongest NONE cue.
  const CueMatch* top = nullptr;
  if (stance != nlpd::v1::NONE) {
    top = weighing.accepted[stance].front();
  } else if (!weighing.accepted[nlpd::v1::NONE].empty()) {
    top = weighing.accepted[nlpd::v1::NONE].front();
  }

  // The speaker: the frame nearest before the deciding cue whose speaker
  // speaks for itself, else the first such frame, else a relaying frame.
  const SpeechFrame* frame = nullptr;
  for (const SpeechFrame& candidate : frames) {
    if (candidate.relays) continue;
    if (frame == nullptr || (top != nullptr && candidate.verb <= top->begin &&
                             !candidate.speaker_after_content)) {
      frame = &candidate;
    }
  }
  const bool relayed = frame == nullptr && !frames.empty();
  if (relayed) frame = &frames.front();

  Phrase actor_phrase;
  Phrase reporter_phrase;
  if (frame != nullptr) actor_phrase = frame->speaker;
  // A deed in a modal ("should send", "werde liefern") is advocated or
  // announced by the speaker, not reported.
  bool modal = false;
  if (top != nullptr) {
    for (int t = top->begin - 1; t >= 0 && t >= top->begin - kModalReach; --t) {
      if (sentence.IsBoundary(t)) break;
      modal |= lexicon_.InSet("modal", sentence.tokens[t].lowered);
    }
  }
  // An unnamed office-holder named after the content announcing a state's
  // escalatory step ("Britain will send ... missiles, the prime minister
  // announced"): the state named as the step's subject holds the position.
  const bool announced_for_state =
      top != nullptr && stance == nlpd::v1::FAVOR && frame != nullptr &&
      frame->speaker_after_content && !relayed &&
      (IsActionKind(top->kind) || top->kind == "weapons") &&
      !HasEntityLabel(sentence, frame->speaker, /*person=*/true, entities_);
  // The agent of a reported deed, or of what a relaying source reports.
  if (top != nullptr &&
      (relayed ||
       (IsDeed(stance, top->kind,
               frame != nullptr && frame->speaker_after_content) &&
        !modal) ||
       announced_for_state)) {
    bool pronoun_person = false;
    Phrase agent = CueSubject(sentence, top->begin);
    // An announced step goes to a state or organisation only.
    if (announced_for_state && modal &&
        !HasEntityLabel(sentence, agent, /*person=*/false, entities_)) {
      agent = {};
    }
    if (agent.found() &&
        attribution_.IsPronoun(sentence, agent, &pronoun_person)) {
      agent = attribution_.PassiveAgent(sentence, top->begin, entities_);
    }
    if (relayed && !agent.found() && frame != nullptr) {
      agent = ContentSubject(sentence, *frame);
    }
    if (agent.found() && !agent.Overlaps(actor_phrase)) {
      reporter_phrase = actor_phrase;
      actor_phrase = agent;
    }
  } else if (relayed && frame != nullptr) {
    // What a source relays without a named party: the content's subject.
    Phrase agent = ContentSubject(sentence, *frame);
    if (agent.found() && !agent.Overlaps(actor_phrase)) {
      reporter_phrase = actor_phrase;
      actor_phrase = agent;
    }
  }
  if (frame == nullptr && top != nullptr) {
    actor_phrase = CueSubject(sentence, top->begin);
    // The deciding cue may sit inside the subject ("A hacking group ...
    // has breached"): another counted cue of the stance may name the actor.
    if (!actor_phrase.found() && stance != nlpd::v1::NONE) {
      for (const CueMatch* other : weighing.accepted[stance]) {
        if (other == top) continue;
        actor_phrase = CueSubject(sentence, other->begin);
        if (actor_phrase.found()) break;
      }
    }
    // A position in a later participle or coordinated clause without a
    // subject of its own ("..., calling for an end to the fighting"): the
    // subject the sentence opens with.
    if (!actor_phrase.found() && stance != nlpd::v1::NONE &&
        InLaterClause(sentence, top->begin)) {
      actor_phrase = attribution_.SentenceSubject(sentence, entities_);
    }
  }

  std::optional<Actor> actor = ResolveActor(sentence, actor_phrase);
  if (!actor) {
    // Nobody holds a position: no statement, but the subject the sentence
    // opens with ("Die Ministerpräsidentin reiste nach Narva.") is the
    // antecedent of a pronoun in the next one.
    std::optional<Actor> subject = ResolveActor(
        sentence, attribution_.SentenceSubject(sentence, entities_));
    if (subject) RememberAntecedent(*subject);
    return;
  }
  std::optional<Actor> reporter = ResolveActor(sentence, reporter_phrase);

  nlpd::v1::StanceStatement* statement = result_.add_statements();
  *statement->mutable_span() = document_.sentences(index).span();
  *statement->mutable_actor_span() = actor->span;
  statement->set_actor(actor->name);
  for (uint32_t entity : actor->entities) statement->add_actor_entities(entity);
  statement->set_stance(stance);
  if (stance == nlpd::v1::NONE) {
    statement->set_confidence(kNoneConfidence);
  } else {
    const float win = weighing.score[stance];
    const float lose = stance == nlpd::v1::FAVOR ? against : favor;
    statement->set_confidence(0.5f + 0.45f * (win - lose) / (win + lose + 1));
    for (const CueMatch* match : weighing.accepted[stance]) {
      *statement->add_cues() =
          TokenRangeSpan(document_, sentence.token_begin + match->begin,
                         sentence.token_begin + match->end - 1);
    }
    std::sort(statement->mutable_cues()->begin(),
              statement->mutable_cues()->end(),
              [](const Span& a, const Span& b) {
                return a.char_start() < b.char_start();
              });
  }
  if (stance == nlpd::v1::FAVOR) {
    for (const CueMatch* match : weighing.accepted[stance]) {
      if (!IsEventKind(match->kind)) continue;
      nlpd::v1::EscalationEvent* event = result_.add_events();
      event->set_kind(match->kind);
      *event->mutable_span() =
          TokenRangeSpan(document_, sentence.token_begin + match->begin,
                         sentence.token_begin + match->end - 1);
      event->set_actor(actor->name);
      *event->mutable_actor_span() = actor->span;
      if (reporter) {
        event->set_reported_by(reporter->name);
        *event->mutable_reported_by_span() = reporter->span;
      }
    }
  }
  // The antecedents of later pronouns: the speaker (or the reporter) named
  // here.
  for (const std::optional<Actor>* named : {&reporter, &actor}) {
    if (!named->has_value()) continue;
    RememberAntecedent(**named);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<StanceAnalyzer>> StanceAnalyzer::Create(
    const LanguageFiles& languages) {
  std::unique_ptr<StanceAnalyzer> analyzer(new StanceAnalyzer());
  for (const auto& [language, files] : languages) {
    absl::StatusOr<Lexicon> lexicon = Lexicon::Load(files);
    if (!lexicon.ok()) return lexicon.status();
    analyzer->lexicons_.emplace(language, *std::move(lexicon));
  }
  return analyzer;
}

std::vector<std::string> StanceAnalyzer::Languages() const {
  std::vector<std::string> languages;
  for (const auto& [language, lexicon] : lexicons_) {
    languages.push_back(language);
  }
  return languages;
}

absl::StatusOr<nlpd::v1::StanceResult> StanceAnalyzer::Analyze(
    const Document& document, const EntitiesResult& entities) const {
  return Analyze(document, entities, [] { return false; });
}

absl::StatusOr<nlpd::v1::StanceResult> StanceAnalyzer::Analyze(
    const Document& document, const EntitiesResult& entities,
    absl::FunctionRef<bool()> should_stop) const {
  auto it = lexicons_.find(sdk::PrimarySubtag(document.language()));
  if (it == lexicons_.end()) {
    return absl::InvalidArgumentError("no stance lexicon for language \"" +
                                      document.language() + "\"");
  }
  return DocumentAnalysis(it->second, document, entities).Run(should_stop);
}

}  // namespace nlpd::stance
