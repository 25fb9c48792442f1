#include "attribution.h"

#include <algorithm>
#include <cctype>

namespace nlpd::stance {
namespace {

// The longest phrase taken as a subject or speaker.
constexpr int kMaxPhraseTokens = 12;

// True when the clause before the boundary at `boundary` is reported
// content, not a fronted subordinate clause ("Nachdem ..., kündigte X an").
bool HasContentBefore(const Lexicon& lexicon, const SentenceView& sentence,
                      int boundary) {
  // Subordinate clauses in between are skipped: "Japan zog ... zurück, um
  // die Lage zu entspannen, teilte das Ministerium mit".
  while (boundary > 0) {
    int start = boundary;
    while (start > 0 && !sentence.IsBoundary(start - 1)) --start;
    if (start >= boundary) return false;
    if (!lexicon.InSet("subordinator", sentence.tokens[start].lowered)) {
      return true;
    }
    boundary = start - 1;
  }
  return false;
}

}  // namespace

Attribution::Attribution(const Lexicon& lexicon)
    : lexicon_(lexicon),
      capitalized_nouns_(lexicon.InSet("option", "capitalized-nouns")),
      verb_second_(lexicon.InSet("option", "verb-second")) {}

bool Attribution::IsVerbLike(const TokenInfo& token) const {
  if (lexicon_.InSet("speech", token.lowered) ||
      lexicon_.InSet("relay_verb", token.lowered) ||
      lexicon_.InSet("verb", token.lowered)) {
    return true;
  }
  // Past tenses known by their ending (lexicon set `past_tense_ending`),
  // where nouns are not capitalized.
  return !capitalized_nouns_ && token.lowered.size() > 4 &&
         !token.is_capitalized &&
         lexicon_.InSet("past_tense_ending", token.lowered);
}

Phrase Attribution::NounPhraseAt(const SentenceView& sentence,
                                 int start) const {
  int i = start;
  while (i < sentence.size() &&
         lexicon_.InSet("determiner", sentence.tokens[i].lowered)) {
    ++i;
  }
  Phrase phrase;
  const int begin = i;
  int end = i;
  bool seen_noun = false;
  bool after_link = false;
  for (; i < sentence.size() && i - start < kMaxPhraseTokens; ++i) {
    const TokenInfo& token = sentence.tokens[i];
    if (sentence.IsBoundary(i) || token.text == ".") break;
    if (token.is_punctuation) continue;  // hyphen, apostrophe
    if (lexicon_.InSet("np_stop", token.lowered)) break;
    if (i > begin && IsVerbLike(token)) break;
    if (seen_noun && lexicon_.InSet("np_link", token.lowered)) {
      after_link = true;
      continue;
    }
    if (capitalized_nouns_) {
      if (token.is_capitalized || !token.is_word ||
          (!token.lowered.empty() &&
           std::isdigit(static_cast<unsigned char>(token.lowered[0])))) {
        seen_noun = true;
        after_link = false;
        end = i + 1;
        continue;
      }
      if (!seen_noun || after_link) continue;  // an adjective
      // After a genitive name ("Russlands stellvertretender Minister").
      const TokenInfo& previous = sentence.tokens[i - 1];
      if (previous.entity >= 0 &&
          lexicon_.InSet("genitive_ending", previous.lowered)) {
        continue;
      }
      break;  // a lower-case word after the noun: the verb
    }
    seen_noun = true;
    after_link = false;
    end = i + 1;
  }
  if (!seen_noun || end <= begin) return phrase;
  phrase.begin = begin;
  phrase.end = end;
  return phrase;
}

Phrase Attribution::WithApposition(const SentenceView& sentence,
                                   Phrase phrase) const {
  if (!phrase.found()) return phrase;
  int i = phrase.end;
  if (i + 1 >= sentence.size() || sentence.tokens[i].text != ",") {
    return phrase;
  }
  const int entity = sentence.tokens[i + 1].entity;
  if (entity < 0) return WithNameApposition(sentence, phrase);
  int j = i + 1;
  while (j < sentence.size() && sentence.tokens[j].entity == entity) ++j;
  if (j == sentence.size() || sentence.IsBoundary(j) ||
      sentence.tokens[j].text == ".") {
    phrase.end = j;
  }
  return phrase;
}

Phrase Attribution::WithNameApposition(const SentenceView& sentence,
                                       Phrase phrase) const {
  constexpr int kMaxNameTokens = 4;
  // Only a phrase naming a person's office takes an unrecognized name.
  bool names_office = false;
  for (int t = phrase.begin; t < phrase.end; ++t) {
    const std::string& word = sentence.tokens[t].lowered;
    if (lexicon_.InSet("role_noun", word) ||
        lexicon_.InSet("person_noun", word)) {
      names_office = true;
    }
  }
  if (!names_office) return phrase;
  int j = phrase.end + 1;
  while (j < sentence.size() && j - phrase.end - 1 < kMaxNameTokens) {
    const TokenInfo& token = sentence.tokens[j];
    if (!token.is_word || !token.is_capitalized ||
        lexicon_.InSet("determiner", token.lowered) ||
        lexicon_.InSet("pronoun", token.lowered) ||
        lexicon_.InSet("person_pronoun", token.lowered) ||
        lexicon_.InSet("adverbial", token.lowered) ||
        lexicon_.InSet("subordinator", token.lowered)) {
      break;
    }
    ++j;
  }
  // At least a first name and a surname, closed by a comma.
  if (j - phrase.end - 1 >= 2 && j < sentence.size() &&
      sentence.tokens[j].text == ",") {
    phrase.end = j;
  }
  return phrase;
}

Phrase Attribution::PhraseAfterVerb(const SentenceView& sentence,
                                    int verb) const {
  int i = verb + 1;
  while (i < sentence.size() &&
         lexicon_.InSet("after_verb_skip", sentence.tokens[i].lowered)) {
    ++i;
  }
  if (i >= sentence.size()) return {};
  // An inverted subject pronoun ("Dort kündigte er an").
  if (lexicon_.InSet("pronoun", sentence.tokens[i].lowered) ||
      lexicon_.InSet("person_pronoun", sentence.tokens[i].lowered)) {
    return {i, i + 1};
  }
  if (!capitalized_nouns_ &&
      !lexicon_.InSet("determiner", sentence.tokens[i].lowered) &&
      !sentence.tokens[i].is_capitalized) {
    return {};
  }
  return WithApposition(sentence, NounPhraseAt(sentence, i));
}

Phrase Attribution::PhraseBeforeApposition(const SentenceView& sentence,
                                           int verb) const {
  const int comma = verb - 1;
  if (comma < 1 || sentence.tokens[comma].text != ",") return {};
  int name_begin = comma;
  while (name_begin > 0 && !sentence.IsBoundary(name_begin - 1)) --name_begin;
  const int head_comma = name_begin - 1;
  if (head_comma < 1 || sentence.tokens[head_comma].text != ",") return {};
  int head_begin = head_comma;
  while (head_begin > 0 && !sentence.IsBoundary(head_begin - 1)) --head_begin;
  const Phrase head = NounPhraseAt(sentence, head_begin);
  if (!head.found() || head.end != head_comma) return {};
  const Phrase extended = WithApposition(sentence, head);
  if (extended.end != comma) return {};
  return extended;
}

Phrase Attribution::SubjectOf(const SentenceView& sentence, int verb) const {
  int start = verb;
  while (start > 0 && !sentence.IsBoundary(start - 1) &&
         !lexicon_.InSet("clause_start", sentence.tokens[start - 1].lowered)) {
    --start;
  }
  if (start == verb) {
    // Nothing before the verb in its clause: inverted speech after a quote
    // or a comma ("..., warnte X"), or a coordinated verb (no subject).
    if (start == 0 || sentence.IsBoundary(start - 1)) {
      const Phrase apposed = PhraseBeforeApposition(sentence, start);
      if (apposed.found()) return apposed;
      return PhraseAfterVerb(sentence, verb);
    }
    return {};
  }
  // An infinitive clause after a comma ("..., der Ukraine auch
  // Kampfflugzeuge zu liefern"; its marker before the last word is in the
  // lexicon set `infinitive_marker`) has no subject of its own: its first
  // phrase is an object.
  if (verb_second_ && start > 0 && sentence.IsBoundary(start - 1)) {
    int end = verb;
    while (end < sentence.size() && !sentence.IsBoundary(end)) ++end;
    int last = end - 1;  // the clause's last word (a full stop is no boundary)
    while (last > start && !sentence.tokens[last].is_word) --last;
    if (last - 1 >= start &&
        lexicon_.InSet("infinitive_marker",
                       sentence.tokens[last - 1].lowered)) {
      bool finite = false;
      for (int t = start; t < last - 1; ++t) {
        finite |= lexicon_.InSet("verb", sentence.tokens[t].lowered) ||
                  lexicon_.InSet("speech", sentence.tokens[t].lowered);
      }
      if (!finite) return {};
    }
  }
  const TokenInfo& first = sentence.tokens[start];
  // A fronted object ("Einen Angriff ... wollte der Minister nicht
  // ausschließen"), adverbial or clause: in verb-second order the subject
  // follows the finite verb.
  if (lexicon_.InSet("object_determiner", first.lowered)) {
    // Only a sentence's first phrase is fronted; later, "den Kampf ...
    // fortzuführen" is the object of an infinitive without a subject.
    if (!verb_second_ || start != 0) return {};
    for (int t = start + 1; t < verb; ++t) {
      if (lexicon_.InSet("verb", sentence.tokens[t].lowered) ||
          lexicon_.InSet("speech", sentence.tokens[t].lowered)) {
        return PhraseAfterVerb(sentence, t);
      }
    }
    return {};
  }
  if (lexicon_.InSet("adverbial", first.lowered) ||
      lexicon_.InSet("subordinator", first.lowered)) {
    if (!verb_second_) return {};
    // Verb-second: the subject follows the finite verb, which may be an
    // auxiliary before the cue ("Laut X haben russische Truppen ihre
    // Angriffe verstärkt").
    for (int t = start + 1; t < verb; ++t) {
      if (lexicon_.InSet("verb", sentence.tokens[t].lowered) ||
          lexicon_.InSet("speech", sentence.tokens[t].lowered)) {
        return PhraseAfterVerb(sentence, t);
      }
    }
    return PhraseAfterVerb(sentence, verb);
  }
  if (lexicon_.InSet("pronoun", first.lowered) ||
      lexicon_.InSet("person_pronoun", first.lowered)) {
    return {start, start + 1};
  }
  Phrase phrase = NounPhraseAt(sentence, start);
  if (phrase.found() && phrase.end > verb) phrase.end = verb;
  if (phrase.found() && phrase.end <= phrase.begin) return {};
  return WithApposition(sentence, phrase);
}

Phrase Attribution::PassiveAgent(
    const SentenceView& sentence, int cue,
    const nlpd::v1::EntitiesResult& entities) const {
  int begin = cue;
  while (begin > 0 && !sentence.IsBoundary(begin - 1)) --begin;
  int end = cue;
  while (end < sentence.size() && !sentence.IsBoundary(end)) ++end;
  bool passive = false;
  for (int t = begin; t < end; ++t) {
    const std::string& word = sentence.tokens[t].lowered;
    if (lexicon_.InSet("passive_auxiliary", word)) {
      passive = true;
    } else if (passive && lexicon_.InSet("passive_agent", word)) {
      Phrase agent = NounPhraseAt(sentence, t + 1);
      if (IsActorLike(sentence, agent, entities)) return agent;
    }
  }
  return {};
}

Phrase Attribution::SentenceSubject(
    const SentenceView& sentence,
    const nlpd::v1::EntitiesResult& entities) const {
  if (sentence.tokens.empty() || !sentence.tokens[0].is_word) return {};
  const std::string& first = sentence.tokens[0].lowered;
  if (lexicon_.InSet("adverbial", first) ||
      lexicon_.InSet("subordinator", first) ||
      lexicon_.InSet("conditional", first) ||
      lexicon_.InSet("conditional_initial", first)) {
    return {};
  }
  Phrase subject = NounPhraseAt(sentence, 0);
  bool person = false;
  if (!IsActorLike(sentence, subject, entities) ||
      IsPronoun(sentence, subject, &person)) {
    return {};
  }
  return subject;
}

std::vector<SpeechFrame> Attribution::FindFrames(
    const SentenceView& sentence,
    const nlpd::v1::EntitiesResult& entities) const {
  std::vector<SpeechFrame> frames;
  for (int i = 0; i < sentence.size(); ++i) {
    const TokenInfo& token = sentence.tokens[i];
    if (!token.is_word) continue;
    SpeechFrame frame;
    frame.verb = i;
    const bool speech = lexicon_.InSet("speech", token.lowered);
    const bool relay_verb = lexicon_.InSet("relay_verb", token.lowered);
    if (speech || relay_verb) {
      frame.speaker = SubjectOf(sentence, i);
      if (!IsActorLike(sentence, frame.speaker, entities) &&
          !IsNameLike(sentence, frame.speaker, /*speaker=*/true)) {
        continue;
      }
      // Inverted speech after its content ("„...“, sagte X", "..., warnte
      // X."): the verb follows a boundary and nothing but the speaker
      // follows it up to the next boundary or the end.
      frame.speaker_after_content = frame.speaker.begin > i && i > 0 &&
                                    sentence.IsBoundary(i - 1) &&
                                    HasContentBefore(lexicon_, sentence, i - 1);
      frame.relays = relay_verb;
      // "..., wie das Ministerium mitteilte", "as the ministry said".
      if (frame.speaker.begin > 0 && frame.speaker.begin < i &&
          lexicon_.InSet("relay_marker",
                         sentence.tokens[frame.speaker.begin - 1].lowered)) {
        frame.relays = true;
        frame.speaker_after_content = true;
      }
      for (int t = frame.speaker.begin; t < frame.speaker.end; ++t) {
        if (lexicon_.InSet("agency", sentence.tokens[t].lowered)) {
          frame.relays = true;
        }
      }
      // Unnamed officials or sources alone ("..., officials said") relay.
      if (frame.speaker.end - frame.speaker.begin == 1 &&
          lexicon_.InSet("anonymous_source",
                         sentence.tokens[frame.speaker.begin].lowered)) {
        frame.relays = true;
      }
      if (!frame.speaker_after_content) {
        int content = std::max(i, frame.speaker.end - 1) + 1;
        while (content < sentence.size() &&
               (sentence.IsBoundary(content) ||
                lexicon_.InSet("complementizer",
                               sentence.tokens[content].lowered))) {
          ++content;
        }
        frame.content_begin = content;
      }
      frames.push_back(frame);
      continue;
    }
    // "so X" after a quote or comma: X is the speaker.
    if (lexicon_.InSet("so_marker", token.lowered) && i > 0 &&
        sentence.IsBoundary(i - 1)) {
      frame.speaker = NounPhraseAt(sentence, i + 1);
      if (!IsActorLike(sentence, frame.speaker, entities) &&
          !IsNameLike(sentence, frame.speaker, /*speaker=*/true)) {
        continue;
      }
      frame.speaker_after_content = true;
      frames.push_back(frame);
      continue;
    }
    // Source markers: "laut X", "according to X", "nach Angaben X".
    for (const auto& marker : lexicon_.Phrases("source")) {
      if (i + static_cast<int>(marker.size()) > sentence.size()) continue;
      bool matches = true;
      for (std::size_t k = 0; k < marker.size() && matches; ++k) {
        matches = sentence.tokens[i + k].lowered == marker[k];
      }
      if (!matches) continue;
      const int after = i + static_cast<int>(marker.size());
      if (after < sentence.size() &&
          lexicon_.InSet("self_source", sentence.tokens[after].lowered)) {
        break;  // "nach eigenen Angaben": the actor's own account
      }
      frame.speaker = NounPhraseAt(sentence, after);
      if (!frame.speaker.found()) break;
      frame.relays = true;
      frame.speaker_after_content = true;
      frames.push_back(frame);
      break;
    }
    if (lexicon_.InSet("source", token.lowered)) {
      frame.speaker = NounPhraseAt(sentence, i + 1);
      if (!frame.speaker.found()) continue;
      if (lexicon_.InSet("self_source", sentence.tokens[i + 1].lowered)) {
        continue;
      }
      frame.relays = true;
      frame.speaker_after_content = true;
      frames.push_back(frame);
    }
  }
  return frames;
}

bool Attribution::IsActorLike(const SentenceView& sentence,
                              const Phrase& phrase,
                              const nlpd::v1::EntitiesResult& entities) const {
  if (!phrase.found()) return false;
  bool pronoun_person = false;
  if (IsPronoun(sentence, phrase, &pronoun_person)) return true;
  for (int t = phrase.begin; t < phrase.end; ++t) {
    const TokenInfo& token = sentence.tokens[t];
    if (token.entity >= 0 &&
        entities.entities(token.entity).label() != "MISC") {
      return true;
    }
    if (token.is_word && lexicon_.InSet("actor_noun", token.lowered)) {
      return true;
    }
  }
  return false;
}

bool Attribution::IsNameLike(const SentenceView& sentence, const Phrase& phrase,
                             bool speaker) const {
  constexpr int kMaxNameTokens = 8;
  // Where every noun is capitalized, a capital tells a name only for the
  // subject of a verb of speech.
  if (!speaker && capitalized_nouns_) return false;
  return phrase.found() && phrase.end - phrase.begin <= kMaxNameTokens &&
         sentence.tokens[phrase.begin].is_capitalized &&
         !lexicon_.InSet("adverbial", sentence.tokens[phrase.begin].lowered) &&
         !lexicon_.InSet("subordinator", sentence.tokens[phrase.begin].lowered);
}

bool Attribution::IsPronoun(const SentenceView& sentence, const Phrase& phrase,
                            bool* person) const {
  if (!phrase.found() || phrase.end - phrase.begin != 1) return false;
  const std::string& word = sentence.tokens[phrase.begin].lowered;
  if (lexicon_.InSet("person_pronoun", word)) {
    *person = true;
    return true;
  }
  if (lexicon_.InSet("pronoun", word)) {
    *person = false;
    return true;
  }
  return false;
}

}  // namespace nlpd::stance
