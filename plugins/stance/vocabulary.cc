#include "vocabulary.h"

#include <algorithm>
#include <array>

namespace nlpd::stance {
namespace {

// Every set name the engine passes to Lexicon::InSet or Lexicon::Phrases.
// A set a language leaves out is empty for it.
constexpr std::array kSets = {
    // Attribution: who speaks.
    SetInfo{"speech",
            "verbs of speech and statement acts; their subject "
            "holds the position"},
    SetInfo{"relay_verb", "verbs whose subject only relays (\"reported\")"},
    SetInfo{"anonymous_source", "unnamed sources that only relay"},
    SetInfo{"agency", "words that mark a speaker phrase as a news source"},
    SetInfo{"source",
            "markers before a source (\"according_to\", \"laut\"); "
            "phrases allowed"},
    SetInfo{"self_source", "a source marker's own-word (\"its own\")"},
    SetInfo{"so_marker", "\", so X\": X is the speaker"},
    SetInfo{"relay_marker", "\", as X said\": X relays"},
    SetInfo{"passive_auxiliary", "auxiliaries of the passive"},
    SetInfo{"passive_agent", "prepositions before a passive agent"},
    // Clause and phrase structure.
    SetInfo{"complementizer", "words that open reported content (\"that\")"},
    SetInfo{"clause_start", "words that open a clause; subject search stops"},
    SetInfo{"adverbial", "words that open a fronted adverbial"},
    SetInfo{"subordinator", "words that open a subordinate clause"},
    SetInfo{"coordinator", "words that join clauses (\"and\", \"but\")"},
    SetInfo{"determiner", "articles and demonstratives"},
    SetInfo{"object_determiner", "determiners that mark a fronted object"},
    SetInfo{"np_link", "words that link parts of one noun phrase"},
    SetInfo{"np_stop", "words that end a noun phrase"},
    SetInfo{"after_verb_skip", "words skipped after the finite verb"},
    SetInfo{"verb", "finite auxiliaries and modals"},
    SetInfo{"modal", "modal verbs"},
    SetInfo{"infinitive_marker",
            "the marker before a clause-final infinitive (\"zu\"), with "
            "verb-second"},
    // Actors and pronouns.
    SetInfo{"actor_noun", "nouns that can hold a position without a name"},
    SetInfo{"person_noun", "nouns that name a person"},
    SetInfo{"role_noun", "role nouns after a name (\"spokesman\")"},
    SetInfo{"pronoun", "pronouns resolved to an earlier actor"},
    SetInfo{"person_pronoun", "pronouns that refer to a person"},
    SetInfo{"pronoun_masculine", "masculine (or person) subject pronouns"},
    SetInfo{"pronoun_feminine", "feminine (or person) subject pronouns"},
    SetInfo{"pronoun_neuter", "neuter (or body) subject pronouns"},
    SetInfo{"pronoun_plural", "plural subject pronouns"},
    // Gender and number of an antecedent, with capitalized nouns: its
    // determiner, a person noun's feminine ending, an adjective's ending.
    SetInfo{"determiner_masculine", "determiners of a masculine noun"},
    SetInfo{"determiner_feminine_plural",
            "determiners of a feminine or plural noun"},
    SetInfo{"determiner_neuter", "determiners of a neuter noun"},
    SetInfo{"determiner_masculine_neuter",
            "determiners of a masculine or neuter noun"},
    SetInfo{"determiner_feminine", "determiners of a feminine noun"},
    SetInfo{"person_noun_feminine_ending",
            "endings of feminine person nouns (\"*in\")"},
    SetInfo{"adjective_ending_masculine",
            "endings of a leading adjective of a masculine noun"},
    SetInfo{"adjective_ending_neuter",
            "endings of a leading adjective of a neuter noun"},
    SetInfo{"adjective_ending_feminine_plural",
            "endings of a leading adjective of a feminine or plural noun"},
    SetInfo{"genitive_ending",
            "endings of a genitive name before a noun (\"*s\")"},
    SetInfo{"past_tense_ending",
            "endings of past tenses, without capitalized nouns (\"*ed\")"},
    // Scope of cues.
    SetInfo{"negation", "negation words; a cue in their scope does not count"},
    SetInfo{"conditional", "words that open a conditional clause"},
    SetInfo{"conditional_initial",
            "words that make a clause conditional when they open it"},
    SetInfo{"future_modal", "an attack after one of these is a threat"},
    SetInfo{"deescalation_word",
            "objects that turn a rejection into a refusal (FAVOR)"},
    SetInfo{"scope_kind", "cue kinds whose object is not the actor's own step",
            true},
    SetInfo{"predicative_kind",
            "cue kinds that also cover the deed named before them", true},
    SetInfo{"clause_bound_kind",
            "NONE cue kinds that speak only for their own clause", true},
    // Options (`option <name>`; `word option <name>` is the same).
    SetInfo{"option", "the language's options (see KnownOptions)"},
};

constexpr std::array kKinds = {
    KindInfo{"threat", "a threat, ultimatum or deterrence (event)"},
    KindInfo{"attack", "an attack, strike or offensive (event)"},
    KindInfo{"deployment", "troops or ships sent (event)"},
    KindInfo{"mobilization", "forces mobilized or put on alert (event)"},
    KindInfo{"exercise", "a military exercise or drill (event)"},
    KindInfo{"weapons", "weapons for fighting, limits lifted (event)"},
    KindInfo{"refusal", "refusing talks, a truce or a withdrawal"},
    KindInfo{"accusation", "blaming the other side"},
    KindInfo{"appeal", "appeals for restraint, calm, talks"},
    KindInfo{"withdrawal", "demands for or reports of a pull-back"},
    KindInfo{"warning", "warnings against a step"},
    KindInfo{"protest", "protests, condemnation, summons"},
    KindInfo{"reassurance", "reassurance, defensive framing"},
    KindInfo{"agreement", "offers and agreements: truce, hotline, mediation"},
    KindInfo{"rejection", "ruling an escalatory step out"},
    KindInfo{"denial", "denials"},
    KindInfo{"nocomment", "declining to comment"},
    KindInfo{"procedure", "procedure, referral, scheduling"},
    KindInfo{"routine", "routine activity"},
    KindInfo{"sanctions", "sanctions"},
    KindInfo{"analysis", "analysts' assessments"},
};

constexpr std::array kOptions = {
    OptionInfo{"capitalized-nouns",
               "nouns are capitalized (attribution and gender use it)"},
    OptionInfo{"verb-second", "the finite verb of a main clause comes second"},
};

template <typename Info, std::size_t N>
const Info* Find(const std::array<Info, N>& table, std::string_view name) {
  auto it = std::find_if(table.begin(), table.end(), [name](const Info& info) {
    return info.name == name;
  });
  return it == table.end() ? nullptr : &*it;
}

}  // namespace

std::span<const SetInfo> KnownSets() { return kSets; }
std::span<const KindInfo> KnownKinds() { return kKinds; }
std::span<const OptionInfo> KnownOptions() { return kOptions; }

const SetInfo* FindSet(std::string_view name) { return Find(kSets, name); }
const KindInfo* FindKind(std::string_view name) { return Find(kKinds, name); }
const OptionInfo* FindOption(std::string_view name) {
  return Find(kOptions, name);
}

}  // namespace nlpd::stance
