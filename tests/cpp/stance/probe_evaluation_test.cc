// The stance analyzer on the project's own probe sets (tests/data/
// stance_probe_{a,...,i}.jsonl, sentences written for GUIDELINES.md, not
// taken from dev), with the evaluation rules of training/stance/stance_eval.h.
// Set A was written before the round-2 changes and used to find gaps; set B
// was written after round 2 and its misses drove round 3; set C was written
// after round 3 and held out until round 4 (its floors stay at the held-out
// figures); set D was written before round 4 and drove it; set E was written
// after round 4 and held out until round 5; sets F and H were written before
// rounds 5 and 6 and drove them; sets G and I were written after rounds 5
// and 6 and held out (I is the current honest estimate; G's misses were
// named in the round-6 brief, its floors stay at the held-out figures).
// Holds floors a little below the figures in docs/MODELS.md, so a
// regression fails. The files are in the repository, so nothing is skipped.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "stance_eval.h"

namespace nlpd::stance {
namespace {

Evaluation EvaluateProbe(const std::string& name) {
  const std::string path = std::string(NLPD_PROBE_DIR) + "/" + name;
  auto evaluation = EvaluateStance(path);
  EXPECT_TRUE(evaluation.ok()) << evaluation.status();
  if (!evaluation.ok()) return {};
  std::printf("%s: %s", name.c_str(), evaluation->Table().c_str());
  return *std::move(evaluation);
}

double Share(int part, int whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / whole;
}

TEST(StanceProbeTest, SetAHoldsItsScores) {
  const Evaluation evaluation = EvaluateProbe("stance_probe_a.jsonl");
  ASSERT_EQ(evaluation.scores.count("all"), 1u);
  const LanguageScores& all = evaluation.scores.at("all");
  EXPECT_EQ(all.items, 74);
  EXPECT_GE(all.f_avg, 0.95);                                  // measured 0.993
  EXPECT_GE(evaluation.scores.at("de").f_avg, 0.95);           // measured 0.985
  EXPECT_GE(evaluation.scores.at("en").f_avg, 0.95);           // measured 1.000
  EXPECT_GE(Share(all.actor_lenient, all.actor_items), 0.93);  // 0.970
  EXPECT_GE(Share(all.statements_found, all.stance_items),
            0.92);  // measured 57/59 = 0.966
}

TEST(StanceProbeTest, SetBHoldsItsScores) {
  const Evaluation evaluation = EvaluateProbe("stance_probe_b.jsonl");
  ASSERT_EQ(evaluation.scores.count("all"), 1u);
  const LanguageScores& all = evaluation.scores.at("all");
  EXPECT_EQ(all.items, 50);
  // Before round 3 (held out): F_avg 0.808, de 0.757, en 0.846.
  EXPECT_GE(all.f_avg, 0.95);                                  // measured 1.000
  EXPECT_GE(evaluation.scores.at("de").f_avg, 0.95);           // measured 1.000
  EXPECT_GE(evaluation.scores.at("en").f_avg, 0.95);           // measured 1.000
  EXPECT_GE(Share(all.actor_lenient, all.actor_items), 0.93);  // 0.977
  EXPECT_GE(Share(all.statements_found, all.stance_items),
            0.94);  // measured 38/38 = 1.000
}

TEST(StanceProbeTest, SetCHoldsItsScores) {
  const Evaluation evaluation = EvaluateProbe("stance_probe_c.jsonl");
  ASSERT_EQ(evaluation.scores.count("all"), 1u);
  const LanguageScores& all = evaluation.scores.at("all");
  EXPECT_EQ(all.items, 44);
  // Floors from the held-out round-3 figures (0.793, de 0.866, en 0.714,
  // actor 0.900, 22/34); after round 4: 0.954, de 0.967, en 0.941, 1.000,
  // 32/34.
  EXPECT_GE(all.f_avg, 0.76);
  EXPECT_GE(evaluation.scores.at("de").f_avg, 0.83);
  EXPECT_GE(evaluation.scores.at("en").f_avg, 0.68);
  EXPECT_GE(Share(all.actor_lenient, all.actor_items), 0.87);
  EXPECT_GE(Share(all.statements_found, all.stance_items), 0.61);
}

TEST(StanceProbeTest, SetDHoldsItsScores) {
  const Evaluation evaluation = EvaluateProbe("stance_probe_d.jsonl");
  ASSERT_EQ(evaluation.scores.count("all"), 1u);
  const LanguageScores& all = evaluation.scores.at("all");
  EXPECT_EQ(all.items, 69);
  EXPECT_GE(all.f_avg, 0.95);                                  // measured 0.981
  EXPECT_GE(evaluation.scores.at("de").f_avg, 0.93);           // measured 0.960
  EXPECT_GE(evaluation.scores.at("en").f_avg, 0.95);           // measured 1.000
  EXPECT_GE(Share(all.actor_lenient, all.actor_items), 0.90);  // 0.934
  EXPECT_GE(Share(all.statements_found, all.stance_items),
            0.92);  // measured 51/53 = 0.962
}

TEST(StanceProbeTest, SetEHoldsItsScores) {
  const Evaluation evaluation = EvaluateProbe("stance_probe_e.jsonl");
  ASSERT_EQ(evaluation.scores.count("all"), 1u);
  const LanguageScores& all = evaluation.scores.at("all");
  EXPECT_EQ(all.items, 53);
  EXPECT_GE(all.f_avg, 0.69);                                  // measured 0.720
  EXPECT_GE(evaluation.scores.at("de").f_avg, 0.68);           // measured 0.713
  EXPECT_GE(evaluation.scores.at("en").f_avg, 0.69);           // measured 0.725
  EXPECT_GE(Share(all.actor_lenient, all.actor_items), 0.68);  // 0.717
  EXPECT_GE(Share(all.statements_found, all.stance_items),
            0.50);  // measured 22/41 = 0.537
  // After round 5 (E's misses named in its brief): 0.986, de 1.000,
  // en 0.971, actor 0.935, 38/41; floors kept at the held-out figures.
}

TEST(StanceProbeTest, SetFHoldsItsScores) {
  const Evaluation evaluation = EvaluateProbe("stance_probe_f.jsonl");
  ASSERT_EQ(evaluation.scores.count("all"), 1u);
  const LanguageScores& all = evaluation.scores.at("all");
  EXPECT_EQ(all.items, 60);
  // Before round 5 (held out): F_avg 0.874, de 0.810, en 0.933.
  EXPECT_GE(all.f_avg, 0.95);                                  // measured 0.989
  EXPECT_GE(evaluation.scores.at("de").f_avg, 0.94);           // measured 0.978
  EXPECT_GE(evaluation.scores.at("en").f_avg, 0.95);           // measured 1.000
  EXPECT_GE(Share(all.actor_lenient, all.actor_items), 0.92);  // 0.962
  EXPECT_GE(Share(all.statements_found, all.stance_items),
            0.91);  // measured 44/46 = 0.957
}

TEST(StanceProbeTest, SetGHoldsItsScores) {
  const Evaluation evaluation = EvaluateProbe("stance_probe_g.jsonl");
  ASSERT_EQ(evaluation.scores.count("all"), 1u);
  const LanguageScores& all = evaluation.scores.at("all");
  EXPECT_EQ(all.items, 40);
  // Written after round 5 and held out: nothing was tuned on it.
  EXPECT_GE(all.f_avg, 0.66);                                  // measured 0.690
  EXPECT_GE(evaluation.scores.at("de").f_avg, 0.48);           // measured 0.508
  EXPECT_GE(evaluation.scores.at("en").f_avg, 0.77);           // measured 0.804
  EXPECT_GE(Share(all.actor_lenient, all.actor_items), 0.80);  // 0.842
  EXPECT_GE(Share(all.statements_found, all.stance_items),
            0.50);  // measured 17/32 = 0.531
}

TEST(StanceProbeTest, SetHHoldsItsScores) {
  const Evaluation evaluation = EvaluateProbe("stance_probe_h.jsonl");
  ASSERT_EQ(evaluation.scores.count("all"), 1u);
  const LanguageScores& all = evaluation.scores.at("all");
  EXPECT_EQ(all.items, 60);
  // Before round 6 (held out): F_avg 0.850, de 0.792, en 0.967; its misses
  // drove round 6.
  EXPECT_GE(all.f_avg, 0.96);                                  // measured 1.000
  EXPECT_GE(evaluation.scores.at("de").f_avg, 0.96);           // measured 1.000
  EXPECT_GE(evaluation.scores.at("en").f_avg, 0.96);           // measured 1.000
  EXPECT_GE(Share(all.actor_lenient, all.actor_items), 0.91);  // 0.948
  EXPECT_GE(Share(all.statements_found, all.stance_items),
            0.92);  // measured 51/53 = 0.962
}

TEST(StanceProbeTest, SetIHoldsItsScores) {
  const Evaluation evaluation = EvaluateProbe("stance_probe_i.jsonl");
  ASSERT_EQ(evaluation.scores.count("all"), 1u);
  const LanguageScores& all = evaluation.scores.at("all");
  EXPECT_EQ(all.items, 45);
  // Written after round 6 and held out: nothing was tuned on it.
  EXPECT_GE(all.f_avg, 0.71);  // measured 0.736, after round 7 0.758
  EXPECT_GE(evaluation.scores.at("de").f_avg, 0.71);           // measured 0.741
  EXPECT_GE(evaluation.scores.at("en").f_avg, 0.67);           // measured 0.700
  EXPECT_GE(Share(all.actor_lenient, all.actor_items), 0.80);  // 0.837
  EXPECT_GE(Share(all.statements_found, all.stance_items),
            0.58);  // measured 24/39 = 0.615
}

TEST(StanceProbeTest, SetJHoldsItsScores) {
  const Evaluation evaluation = EvaluateProbe("stance_probe_j.jsonl");
  ASSERT_EQ(evaluation.scores.count("all"), 1u);
  const LanguageScores& all = evaluation.scores.at("all");
  EXPECT_EQ(all.items, 44);
  // Before round 7: F_avg 0.738, de 0.791, en 0.657; its constructions
  // drove round 7.
  EXPECT_GE(all.f_avg, 0.81);                                  // measured 0.840
  EXPECT_GE(evaluation.scores.at("de").f_avg, 0.82);           // measured 0.847
  EXPECT_GE(evaluation.scores.at("en").f_avg, 0.80);           // measured 0.829
  EXPECT_GE(Share(all.actor_lenient, all.actor_items), 0.81);  // 0.846
  EXPECT_GE(Share(all.statements_found, all.stance_items),
            0.67);  // measured 24/34 = 0.706
}

TEST(StanceProbeTest, SetKHoldsItsScores) {
  const Evaluation evaluation = EvaluateProbe("stance_probe_k.jsonl");
  ASSERT_EQ(evaluation.scores.count("all"), 1u);
  const LanguageScores& all = evaluation.scores.at("all");
  EXPECT_EQ(all.items, 31);
  // Written after round 7 and scored once: nothing was tuned on it.
  EXPECT_GE(all.f_avg, 0.89);                                  // measured 0.920
  EXPECT_GE(evaluation.scores.at("de").f_avg, 0.89);           // measured 0.923
  EXPECT_GE(evaluation.scores.at("en").f_avg, 0.88);           // measured 0.916
  EXPECT_GE(Share(all.actor_lenient, all.actor_items), 0.85);  // 0.893
  EXPECT_GE(Share(all.statements_found, all.stance_items),
            0.84);  // measured 22/25 = 0.880
}

}  // namespace
}  // namespace nlpd::stance
