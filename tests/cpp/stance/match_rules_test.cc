// The match rules (plugins/stance/cue_matcher.cc, kMatchRules; docs/STANCE.md
// "Rules"), each with a sentence that shows what it does and one that shows
// what it does not do, through the real text pipeline, entities and
// analyzer. A change that breaks a rule names the rule.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cue_matcher.h"
#include "stance_eval.h"

namespace nlpd::stance {
namespace {

constexpr nlpd::v1::Stance F = nlpd::v1::FAVOR;
constexpr nlpd::v1::Stance A = nlpd::v1::AGAINST;

struct RuleExample {
  std::string_view rule;
  const char* language;
  const char* does;  // the rule decides this sentence's first statement:
  nlpd::v1::Stance does_stance;
  const char* does_not;  // the rule leaves this one alone:
  nlpd::v1::Stance does_not_stance;
};

constexpr RuleExample kRuleExamples[] = {
    {"refused_deescalation", "en",
     "The government rejected calls to withdraw its troops.", F,
     "The government rejected the deployment of foreign troops.", A},
    {"object_scope", "en", "The chancellor ruled out sending troops.", A,
     "The rebels condemned the raid and vowed to strike back.", F},
    {"stated_negation_overrules", "en",
     "The minister said the exercise threatens no one.", A,
     "The minister threatened the rebels.", F},
    {"clause_bound_none", "de",
     "Die Gespräche wurden auf kommende Woche verschoben, die Schweiz rief "
     "beide Seiten zur Zurückhaltung auf.",
     A, "Der Präsident drohte mit einem Angriff.", F},
};

TEST(MatchRulesTest, EveryRuleHasExamples) {
  std::vector<std::string_view> with_examples;
  for (const RuleExample& example : kRuleExamples) {
    with_examples.push_back(example.rule);
  }
  EXPECT_EQ(with_examples, MatchRuleNames());
}

TEST(MatchRulesTest, ExamplesShowWhatEachRuleDoesAndDoesNot) {
  auto pipeline = StancePipeline::Create();
  ASSERT_TRUE(pipeline.ok()) << pipeline.status();
  auto first_stance = [&](const char* text, const char* language) {
    auto analysis = (*pipeline)->Run(text, language);
    EXPECT_TRUE(analysis.ok()) << analysis.status();
    if (!analysis.ok() || analysis->stance.statements().empty()) {
      return nlpd::v1::NONE;
    }
    return analysis->stance.statements(0).stance();
  };
  for (const RuleExample& example : kRuleExamples) {
    EXPECT_EQ(first_stance(example.does, example.language), example.does_stance)
        << "rule " << example.rule << " does: " << example.does;
    EXPECT_EQ(first_stance(example.does_not, example.language),
              example.does_not_stance)
        << "rule " << example.rule << " does not: " << example.does_not;
  }
}

}  // namespace
}  // namespace nlpd::stance
