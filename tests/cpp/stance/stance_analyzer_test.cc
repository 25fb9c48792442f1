// The stance analyzer over the real text pipeline and entities finder, on
// sentences written for these tests (none is from the stance data): each
// phenomenon of the task in German and English — reported speech and its
// verbs, inverted speech, "so"/"laut"/"according to", quotations, pronouns,
// negation and its scope, conditionals and warnings, withdrawal demands,
// reassurance, reported deeds (FAVOR for the doer, with the reporter),
// neutral sentences with alarming words (NONE) — plus the summaries.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "stance_eval.h"

namespace nlpd::stance {
namespace {

using ::testing::HasSubstr;

class StanceAnalyzerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pipeline = StancePipeline::Create();
    ASSERT_TRUE(pipeline.ok()) << pipeline.status();
    pipeline_ = pipeline->release();
  }
  static void TearDownTestSuite() {
    delete pipeline_;
    pipeline_ = nullptr;
  }

  static StancePipeline::Analysis Run(const std::string& text,
                                      const std::string& language) {
    auto analysis = pipeline_->Run(text, language);
    EXPECT_TRUE(analysis.ok()) << analysis.status();
    return analysis.ok() ? *std::move(analysis) : StancePipeline::Analysis{};
  }

  static StancePipeline* pipeline_;
};

StancePipeline* StanceAnalyzerTest::pipeline_ = nullptr;

struct Case {
  const char* language;
  const char* text;
  nlpd::v1::Stance stance;
  const char* actor;  // a substring of the actor's name; "" for no statement
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.text; }

class StanceCaseTest : public StanceAnalyzerTest,
                       public ::testing::WithParamInterface<Case> {};

// The first statement of a one-sentence text holds the stance and actor.
TEST_P(StanceCaseTest, StanceAndActor) {
  const Case& c = GetParam();
  auto analysis = Run(c.text, c.language);
  const auto& statements = analysis.stance.statements();
  if (std::string(c.actor).empty()) {
    for (const auto& statement : statements) {
      EXPECT_EQ(statement.stance(), nlpd::v1::NONE) << statement.actor();
    }
    return;
  }
  ASSERT_FALSE(statements.empty());
  EXPECT_EQ(statements[0].stance(), c.stance);
  EXPECT_THAT(statements[0].actor(), HasSubstr(c.actor));
  if (c.stance != nlpd::v1::NONE) {
    EXPECT_FALSE(statements[0].cues().empty());
    EXPECT_GT(statements[0].confidence(), 0.5f);
  }
}

constexpr nlpd::v1::Stance F = nlpd::v1::FAVOR;
constexpr nlpd::v1::Stance A = nlpd::v1::AGAINST;
constexpr nlpd::v1::Stance N = nlpd::v1::NONE;

INSTANTIATE_TEST_SUITE_P(
    German, StanceCaseTest,
    ::testing::Values(
        // Threats, deterrence, options kept open.
        Case{"de",
             "Der armenische Generalstabschef drohte, jede weitere "
             "Grenzverletzung werde mit Artilleriefeuer beantwortet.",
             F, "Generalstabschef"},
        Case{"de", "Teheran drohte mit der Schließung der Straße von Hormus.",
             F, "Teheran"},
        Case{"de",
             "Der Präsident schloss einen Militärschlag gegen die Rebellen "
             "nicht aus.",
             F, "Präsident"},
        // Appeals, reassurance, warnings against a step.
        Case{"de",
             "Die Außenministerin rief beide Seiten zur Zurückhaltung auf.", A,
             "Außenministerin"},
        Case{"de",
             "Die Regierung in Oslo versicherte, die neuen Radaranlagen "
             "dienten ausschließlich der Verteidigung.",
             A, "Regierung in Oslo"},
        Case{"de",
             "Verteidigungsministerin Katrin Vogel betonte, die Brigade in "
             "Litauen richte sich nicht gegen Russland.",
             A, "Katrin Vogel"},
        // A quotation, then inverted speech with a role and a name.
        Case{"de",
             "„Ein Angriff auf das Kraftwerk wäre ein unverzeihlicher "
             "Fehler“, sagte die UN-Gesandte Laura Brenner.",
             A, "Laura Brenner"},
        // Demands for withdrawal; ruling a step out.
        Case{"de",
             "Der schwedische Außenminister Jonas Lindqvist forderte den "
             "sofortigen Abzug der Truppen aus der Grenzregion.",
             A, "Jonas Lindqvist"},
        Case{"de",
             "Der Bundeskanzler lehnte die Entsendung von Bodentruppen ab.", A,
             "Bundeskanzler"},
        // A protest against an escalatory step is AGAINST, not FAVOR.
        Case{"de",
             "Tausende Demonstranten protestierten in Belgrad gegen die "
             "Mobilmachung.",
             A, "Demonstranten"},
        // Deeds: fronted adverbial, announcements, refusals.
        Case{"de",
             "Am Dienstag beschoss die Miliz mehrere Dörfer im Grenzgebiet.", F,
             "Miliz"},
        Case{"de",
             "Die Marine verlegte zwei Fregatten und ein U-Boot in die "
             "Meerenge.",
             F, "Marine"},
        Case{"de",
             "Die Separatisten lehnten eine Waffenruhe ab und setzten ihre "
             "Angriffe fort.",
             F, "Separatisten"},
        // A source is not the actor: the doer is.
        Case{"de",
             "Laut dem Generalstab griff die Armee in der Nacht mehrere "
             "Stellungen der Separatisten an.",
             F, "Armee"},
        Case{"de",
             "Die Regierung erwäge einen Rückzug der Panzer aus dem "
             "Grenzgebiet, berichtete die Agentur Anadolu.",
             A, "Regierung"},
        // Conditionals: the step in the "falls" clause is not the actor's.
        Case{"de",
             "Der Minister warnte, man werde entschieden reagieren, falls "
             "Truppen an die Grenze verlegt würden.",
             F, "Minister"},
        Case{"de",
             "Der Kommandeur der Revolutionsgarden erklärte, man werde auf "
             "jede Provokation „mit voller Härte“ antworten.",
             F, "Kommandeur der Revolutionsgarden"},
        Case{"de",
             "Nordkorea hat am Morgen erneut eine Interkontinentalrakete "
             "getestet, teilte der südkoreanische Generalstab mit.",
             F, "Nordkorea"},
        Case{"de",
             "Eine Sprecherin des Auswärtigen Amts appellierte an Serbien und "
             "Kosovo, die Spannungen im Norden nicht weiter anzuheizen.",
             A, "Sprecherin des Auswärtigen Amts"},
        Case{"de",
             "Ein Militärschlag gegen die Atomanlagen komme „unter keinen "
             "Umständen“ in Frage, sagte der Außenminister.",
             A, "Außenminister"},
        // No position: no comment, denial, neutral narration.
        Case{"de",
             "Das Verteidigungsministerium wollte sich zu den Berichten nicht "
             "äußern.",
             N, "Verteidigungsministerium"},
        Case{"de",
             "Bei der Explosion in der Hafenstadt wurden nach "
             "Krankenhausangaben zwölf Menschen verletzt.",
             N, ""},
        Case{"de",
             "Die Raketen haben eine Reichweite von 300 Kilometern und "
             "können Atomsprengköpfe tragen.",
             N, ""}));

INSTANTIATE_TEST_SUITE_P(
    English, StanceCaseTest,
    ::testing::Values(
        Case{"en",
             "Defense Minister Karl Osei said the army would strike back at "
             "any group that crossed the border.",
             F, "Karl Osei"},
        Case{"en",
             "The junta warned that it would shoot down any foreign aircraft "
             "entering its airspace.",
             F, "junta"},
        Case{"en",
             "The rebels rejected the ceasefire proposal and vowed to "
             "continue their offensive.",
             F, "rebels"},
        Case{"en",
             "Senator Mills argued that Washington should send long-range "
             "missiles to Kyiv without delay.",
             F, "Mills"},
        // Reported deeds: the doer, not the reporter.
        Case{"en",
             "Pyongyang fired two ballistic missiles into the sea off its "
             "east coast, South Korea's military said.",
             F, "Pyongyang"},
        Case{"en",
             "Azerbaijan massed troops and artillery along the border, "
             "according to satellite images.",
             F, "Azerbaijan"},
        Case{"en",
             "The UN Secretary-General called for an immediate ceasefire and "
             "urged all parties to return to negotiations.",
             A, "Secretary-General"},
        Case{"en",
             "Manila protested the water cannon attack and summoned the "
             "Chinese ambassador.",
             A, "Manila"},
        Case{"en",
             "Tokyo said the new destroyers were purely defensive and not "
             "aimed at any country.",
             A, "Tokyo"},
        Case{"en",
             "Egypt warned that a ground operation in Rafah would be a "
             "dangerous escalation.",
             A, "Egypt"},
        // Negation scope: "ruled out" covers the deployment after it.
        Case{"en", "Berlin ruled out sending cruise missiles to the front.", A,
             "Berlin"},
        Case{"en",
             "The Indian army said both sides had begun pulling back troops "
             "from the disputed valley.",
             A, "Indian army"},
        Case{"en",
             "Kim said his country would \"not hesitate\" to use nuclear "
             "weapons if attacked.",
             F, "Kim"},
        Case{"en",
             "A government spokesman said it was too early to say who was "
             "behind the blast.",
             N, "spokesman"},
        Case{"en", "The Pentagon declined to comment on the report.", N,
             "Pentagon"},
        Case{"en", "Kenya denied that its forces had entered Somali territory.",
             N, "Kenya"},
        Case{"en",
             "Sirens sounded across the city for the third night in a row.", N,
             ""},
        Case{"en",
             "The missiles can carry a nuclear warhead over a distance of "
             "2,000 kilometers.",
             N, ""}));

TEST_F(StanceAnalyzerTest, PronounTakesTheLastNamedSpeaker) {
  auto analysis =
      Run("Regierungssprecher Tobias Reinhardt sagte, man prüfe die Lage. Er "
          "betonte, die Manöver richteten sich nicht gegen Nachbarstaaten.",
          "de");
  ASSERT_EQ(analysis.stance.statements_size(), 2);
  const auto& second = analysis.stance.statements(1);
  EXPECT_EQ(second.actor(), "Tobias Reinhardt");
  EXPECT_EQ(second.stance(), nlpd::v1::AGAINST);
  // The summary joins both statements under one actor.
  ASSERT_EQ(analysis.stance.actors_size(), 1);
  EXPECT_EQ(analysis.stance.actors(0).stance(), nlpd::v1::AGAINST);
  EXPECT_EQ(analysis.stance.actors(0).statements_size(), 2);

  auto english =
      Run("Foreign Minister Elena Varga met her counterpart on Monday. She "
          "urged both sides to resume talks.",
          "en");
  bool found = false;
  for (const auto& statement : english.stance.statements()) {
    if (statement.stance() == nlpd::v1::AGAINST) {
      EXPECT_EQ(statement.actor(), "Elena Varga");
      found = true;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(StanceAnalyzerTest, PronounAgreesInGenderWithItsAntecedent) {
  // "Er" skips the feminine "die Marine" named last and takes the minister.
  auto analysis =
      Run("Der Verteidigungsminister besuchte am Montag den Hafen. Die "
          "chinesische Marine kündigte an, ein Manöver abzuhalten. Er rief "
          "beide Seiten zur Zurückhaltung auf.",
          "de");
  bool found = false;
  for (const auto& statement : analysis.stance.statements()) {
    if (statement.stance() != nlpd::v1::AGAINST) continue;
    EXPECT_EQ(statement.actor(), "Verteidigungsminister");
    found = true;
  }
  EXPECT_TRUE(found);

  // "She" skips the ministry and takes the prime minister.
  auto english =
      Run("The Estonian prime minister met NATO commanders in Tallinn. The "
          "defense ministry said the exercise was scheduled. She urged both "
          "sides to show restraint.",
          "en");
  found = false;
  for (const auto& statement : english.stance.statements()) {
    if (statement.stance() != nlpd::v1::AGAINST) continue;
    EXPECT_EQ(statement.actor(), "Estonian prime minister");
    found = true;
  }
  EXPECT_TRUE(found);
}

TEST_F(StanceAnalyzerTest, FrontedObjectLeavesTheSubjectAfterTheVerb) {
  auto analysis =
      Run("Einen Angriff auf den Hafen wollte der saudische "
          "Verteidigungsminister nicht ausschließen.",
          "de");
  ASSERT_EQ(analysis.stance.statements_size(), 1);
  EXPECT_EQ(analysis.stance.statements(0).actor(),
            "saudische Verteidigungsminister");
  EXPECT_EQ(analysis.stance.statements(0).stance(), nlpd::v1::FAVOR);
}

TEST_F(StanceAnalyzerTest, RolePhraseLinksPersonAndInstitution) {
  auto analysis =
      Run("Die NATO tagte am Morgen. NATO-Sprecherin Maria Olsen sagte, das "
          "Bündnis rufe zur Deeskalation auf.",
          "de");
  ASSERT_GE(analysis.stance.statements_size(), 1);
  const auto& statement = analysis.stance.statements(0);
  EXPECT_EQ(statement.actor(), "Maria Olsen");
  EXPECT_EQ(statement.stance(), nlpd::v1::AGAINST);
  std::vector<std::string> linked;
  for (uint32_t index : statement.actor_entities()) {
    linked.push_back(
        analysis.entities.entities(static_cast<int>(index)).text());
  }
  EXPECT_THAT(linked, ::testing::Contains("Maria Olsen"));
  EXPECT_THAT(linked, ::testing::Contains("NATO"));
}

TEST_F(StanceAnalyzerTest, ReportedDeploymentIsAnEventWithAgentAndReporter) {
  auto analysis =
      Run("Der litauische Präsident Gediminas Kairys sagte, Belarus ziehe "
          "Truppen an der Grenze zusammen und verlege Raketen in den Westen.",
          "de");
  ASSERT_GE(analysis.stance.events_size(), 1);
  const auto& event = analysis.stance.events(0);
  EXPECT_EQ(event.kind(), "deployment");
  EXPECT_EQ(event.actor(), "Belarus");
  EXPECT_EQ(event.reported_by(), "Gediminas Kairys");
  ASSERT_GE(analysis.stance.actors_size(), 1);
  EXPECT_EQ(analysis.stance.actors(0).actor(), "Belarus");
  EXPECT_EQ(analysis.stance.actors(0).stance(), nlpd::v1::FAVOR);
}

TEST_F(StanceAnalyzerTest, DocumentBalanceCountsStatements) {
  auto analysis =
      Run("The army shelled the northern suburbs overnight. The president "
          "called for calm. The foreign ministry declined to comment.",
          "en");
  EXPECT_EQ(analysis.stance.favor(), 1u);
  EXPECT_EQ(analysis.stance.against(), 1u);
  EXPECT_EQ(analysis.stance.none(), 1u);
  EXPECT_FLOAT_EQ(analysis.stance.balance(), 0.0f);
}

TEST_F(StanceAnalyzerTest, UnsupportedLanguageIsLeftEmpty) {
  auto analysis = Run("Le ministre a appelé au calme.", "fr");
  EXPECT_EQ(analysis.stance.statements_size(), 0);
}

}  // namespace
}  // namespace nlpd::stance
