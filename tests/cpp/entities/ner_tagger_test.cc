// The tagger's building blocks on hand-made data: shapes, lower-casing,
// BIO spans, Viterbi, marginals, the model file, the GermEval tag mapping
// and the entity-level evaluation.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <numeric>
#include <string_view>
#include <vector>

#include "ner/tagger.h"
#include "ner_data.h"

namespace nlpd::ner {
namespace {

constexpr int T = kNumTags;
const int kBPer = BeginTag(0), kIPer = InsideTag(0), kBLoc = BeginTag(1),
          kIOrg = InsideTag(2), kBMisc = BeginTag(3);

TEST(NerTaggerTest, ShapeAndLower) {
  EXPECT_EQ(Shape("Merkel"), "Xxx");
  EXPECT_EQ(Shape("G20"), "Xdd");
  EXPECT_EQ(Shape("3,5"), "d,d");
  EXPECT_EQ(Shape("CDU-Chef"), "XX-Xxx");
  EXPECT_EQ(Shape("a"), "x");
  EXPECT_EQ(Shape("Öl"), "Xx");
  EXPECT_EQ(LowerCase("ÖSTERREICH"), "österreich");
  EXPECT_EQ(LowerCase("Straße"), "straße");
}

TEST(NerTaggerTest, TagNames) {
  for (int tag = 0; tag < T; ++tag) EXPECT_EQ(TagFromName(TagName(tag)), tag);
  EXPECT_EQ(TagName(kBMisc), "B-MISC");
  EXPECT_EQ(TagFromName("B-OTH"), -1);
  EXPECT_FALSE(Allowed(kBPer, kIOrg));
  EXPECT_FALSE(Allowed(-1, kIPer));
  EXPECT_TRUE(Allowed(kBPer, kIPer));
}

TEST(NerTaggerTest, SpansFromTags) {
  std::vector<int> tags = {kBPer, kIPer, 0, kBLoc, kBLoc, kIOrg};
  EXPECT_EQ(
      SpansFromTags(tags),
      (std::vector<TokenSpan>{{0, 2, 0}, {3, 4, 1}, {4, 5, 1}, {5, 6, 2}}));
}

// Emission scores that favor I-ORG after B-PER: Viterbi must not produce it.
TEST(NerTaggerTest, ViterbiKeepsBio) {
  std::vector<float> emissions(2 * T, 0.0f), transitions((T + 1) * T, 0.0f);
  emissions[0 * T + kBPer] = 5;
  emissions[1 * T + kIOrg] = 5;
  emissions[1 * T + kIPer] = 4;
  std::vector<int> tags;
  Viterbi(emissions, transitions, 2, tags);
  EXPECT_EQ(tags, (std::vector<int>{kBPer, kIPer}));
  // A strong transition penalty flips the second token to O.
  transitions[(kBPer + 1) * T + kIPer] = -10;
  Viterbi(emissions, transitions, 2, tags);
  EXPECT_EQ(tags, (std::vector<int>{kBPer, 0}));
}

TEST(NerTaggerTest, MarginalsAreDistributions) {
  std::vector<float> emissions(3 * T), transitions((T + 1) * T, 0.0f);
  for (size_t k = 0; k < emissions.size(); ++k)
    emissions[k] = static_cast<float>(k % 5);
  std::vector<float> marginals;
  Marginals(emissions, transitions, 3, 1.0f, marginals);
  for (int i = 0; i < 3; ++i) {
    float sum = std::accumulate(&marginals[i * T], &marginals[i * T + T], 0.0f);
    EXPECT_NEAR(sum, 1.0f, 1e-4);
  }
  EXPECT_NEAR(marginals[0 * T + InsideTag(0)], 0.0f, 1e-6);  // I- cannot start
}

// A model that calls every capitalized word after "Herr" a person survives
// the file format and tags accordingly.
TEST(NerTaggerTest, ModelRoundTripAndTagging) {
  ModelData data;
  data.row_bits = 12;
  data.transitions.assign((T + 1) * T, 0.0f);
  data.weights.assign((1 << 12) * T, 0.0f);
  std::vector<std::string_view> words = {"Herr", "Schulz", "kommt"};
  FeatureExtractor extractor(nullptr, 12);
  std::vector<uint32_t> rows, offsets;
  extractor.Extract(words, rows, offsets);
  for (uint32_t k = offsets[1]; k < offsets[2]; ++k)
    data.weights[rows[k] * T + kBPer] += 1;
  for (int i : {0, 2})
    for (uint32_t k = offsets[i]; k < offsets[i + 1]; ++k)
      data.weights[rows[k] * T] += 1;
  std::string error;
  auto tagger = Tagger::Load(SerializeModel(data), &error);
  ASSERT_NE(tagger, nullptr) << error;
  std::vector<int> tags;
  tagger->Tag(words, tags);
  EXPECT_EQ(tags, (std::vector<int>{0, kBPer, 0}));
  auto entities = tagger->Entities(words);
  ASSERT_EQ(entities.size(), 1u);
  EXPECT_EQ(entities[0].span, (TokenSpan{1, 2, 0}));
  EXPECT_GT(entities[0].confidence, 0.5f);
  EXPECT_LE(entities[0].confidence, 1.0f);
  EXPECT_EQ(Tagger::Load("NLPDNER1xx", &error), nullptr);
  EXPECT_NE(error.find("truncated"), std::string::npos);
}

// The part decision: a compound's first part scored on the O and B-X
// columns of its own rows; the flag survives the file round trip; the part
// entity covers the bytes before the hyphen.
TEST(NerTaggerTest, CompoundPartDecision) {
  EXPECT_EQ(FeatureExtractor::CompoundPart("NATO-Gipfel"), 4u);
  EXPECT_EQ(FeatureExtractor::CompoundPart("Gipfel"), 0u);
  EXPECT_EQ(FeatureExtractor::CompoundPart("-Gipfel"), 0u);
  EXPECT_EQ(FeatureExtractor::CompoundPart("anti-NATO"), 0u);
  ModelData data;
  data.row_bits = 12;
  data.part_model = true;
  data.transitions.assign((T + 1) * T, 0.0f);
  data.weights.assign((1 << 12) * T, 0.0f);
  std::vector<std::string_view> words = {"Der", "NATO-Gipfel", "tagt"};
  FeatureExtractor extractor(nullptr, 12);
  std::vector<uint32_t> rows, offsets;
  extractor.Extract(words, rows, offsets);
  for (uint32_t r : rows) data.weights[r * T] += 1;  // all O
  extractor.PartFeatures(words, 1, rows);
  ASSERT_FALSE(rows.empty());
  for (uint32_t r : rows) data.weights[r * T + BeginTag(2)] += 1;  // ORG
  std::string error;
  auto tagger = Tagger::Load(SerializeModel(data), &error);
  ASSERT_NE(tagger, nullptr) << error;
  EXPECT_TRUE(tagger->data().part_model);
  auto entities = tagger->Entities(words);
  ASSERT_EQ(entities.size(), 1u);
  EXPECT_EQ(entities[0].span, (TokenSpan{1, 2, 2}));
  EXPECT_EQ(entities[0].part_bytes, 4u);
  EXPECT_GT(entities[0].confidence, 0.2f);
  // Without the flag (older files) no part entities.
  data.part_model = false;
  tagger = Tagger::Load(SerializeModel(data), &error);
  ASSERT_NE(tagger, nullptr) << error;
  EXPECT_TRUE(tagger->Entities(words).empty());
}

TEST(NerDataTest, GermEvalMapping) {
  EXPECT_EQ(MapGermEvalTag("B-PER", DerivPart::kOutside), kBPer);
  EXPECT_EQ(MapGermEvalTag("B-OTH", DerivPart::kOutside), kBMisc);
  EXPECT_EQ(MapGermEvalTag("B-LOCderiv", DerivPart::kOutside), 0);
  EXPECT_EQ(MapGermEvalTag("B-LOCderiv", DerivPart::kMisc), kBMisc);
  EXPECT_EQ(MapGermEvalTag("I-ORGpart", DerivPart::kMainType), kIOrg);
  EXPECT_EQ(MapGermEvalTag("B-LOCderiv", DerivPart::kDerivMisc), kBMisc);
  EXPECT_EQ(MapGermEvalTag("B-ORGpart", DerivPart::kDerivMisc), 0);
  std::vector<int> tags = {kIPer, kIPer, 0, kIOrg};
  RepairBio(tags);
  EXPECT_EQ(tags, (std::vector<int>{kBPer, kIPer, 0, BeginTag(2)}));
}

// GUM's nested CorefUD mentions become flat names: only PROPN-headed
// mentions, trimmed to the name (no determiner, no title), the outermost of
// nested ones.
TEST(NerDataTest, InstitutionConventionRelabelsMinistriesAndSeats) {
  const int org = BeginTag(TypeFromName("ORG"));
  const int loc = BeginTag(TypeFromName("LOC"));
  std::vector<Sentence> sentences(1);
  Sentence& sentence = sentences[0];
  sentence.words = {"Das",    "Außenministerium", "und", "der",
                    "Kreml",  "lehnten",          "ab",  "Kreml",
                    "Palast", "Ministerium",      "das", "Bundesministerium"};
  sentence.tags = {0, 0, 0,  0, loc, 0, 0, loc, InsideTag(TypeFromName("LOC")),
                   0, 0, org};
  EXPECT_EQ(ApplyInstitutionConvention(sentences, {"Kreml"}), 2);
  EXPECT_EQ(sentence.tags[1], org);  // a ministry compound
  EXPECT_EQ(sentence.tags[4], org);  // a one-token seat
  EXPECT_EQ(sentence.tags[7], loc);  // part of a longer LOC name: kept
  EXPECT_EQ(sentence.tags[9], 0);    // "Ministerium" alone is no name
  EXPECT_EQ(sentence.tags[11], org);
}

TEST(NerDataTest, GumMentionsBecomeNames) {
  const auto dir = std::filesystem::temp_directory_path() / "nlpd_gum_test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir / "GUM_test_one.conllu");
    out << "# sent_id = 1\n"
           "1\tthe\tthe\tDET\t_\t_\t3\tdet\t_\tEntity=(1-organization-new-x-"
           "coref\n"
           "2\tGrammar\tGrammar\tPROPN\t_\t_\t3\tcompound\t_\t_\n"
           "3\tSchool\tSchool\tPROPN\t_\t_\t4\tnsubj\t_\tEntity=1)\n"
           "4\tmet\tmeet\tVERB\t_\t_\t0\troot\t_\t_\n"
           "5\tDr.\tDr.\tPROPN\t_\t_\t6\tcompound\t_\tEntity=(2-person-new-x-"
           "sgl\n"
           "6\tGlennie\tGlennie\tPROPN\t_\t_\t4\tobj\t_\tEntity=2)\n"
           "7\tin\tin\tADP\t_\t_\t8\tcase\t_\t_\n"
           "8\tthe\tthe\tDET\t_\t_\t9\tdet\t_\tEntity=(3-place-new-x-sgl\n"
           "9\tcity\tcity\tNOUN\t_\t_\t4\tobl\t_\tEntity=3)\n"
           "10\tDulwich\tDulwich\tPROPN\t_\t_\t4\tobl\t_\tEntity=(4-place-new-"
           "x-sgl)\n"
           "\n";
  }
  std::vector<Sentence> sentences;
  std::string error;
  ASSERT_TRUE(ReadGum(dir.string(), sentences, &error)) << error;
  std::filesystem::remove_all(dir);
  ASSERT_EQ(sentences.size(), 1u);
  const int kBOrg = BeginTag(2);
  EXPECT_EQ(sentences[0].tags,
            (std::vector<int>{0, kBOrg, kIOrg, 0, 0, kBPer, 0, 0, 0, kBLoc}));
}

// The names-only reading of GUM (rules in training/ner/ner_data.h): names
// keep their non-PROPN parts and "of the", lose titles, trailing clauses and
// coordinated names; role-only persons are no names; plural demonyms are
// MISC; a name after a common-noun head counts.
TEST(NerDataTest, GumNamesFollowTheTree) {
  const auto dir = std::filesystem::temp_directory_path() / "nlpd_gum_tree";
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir / "GUM_test_two.conllu");
    // "the National Library of the Netherlands and Belgium has told the
    // Secretary, journalist Stanley Mitchell and Americans"
    out << "1\tthe\tthe\tDET\tDT\t_\t3\tdet\t_\tEntity=(1-organization-"
           "new-x-sgl(2-organization-new-x-sgl\n"
           "2\tNational\tnational\tADJ\tJJ\t_\t3\tamod\t_\t_\n"
           "3\tLibrary\tLibrary\tPROPN\tNNP\t_\t10\tnsubj\t_\t_\n"
           "4\tof\tof\tADP\tIN\t_\t6\tcase\t_\t_\n"
           "5\tthe\tthe\tDET\tDT\t_\t6\tdet\t_\tEntity=(3-place-new-x-sgl\n"
           "6\tNetherlands\tNetherlands\tPROPN\tNNPS\t_\t3\tnmod\t_\t"
           "Entity=3)2)\n"
           "7\tand\tand\tCCONJ\tCC\t_\t8\tcc\t_\t_\n"
           "8\tBelgium\tBelgium\tPROPN\tNNP\t_\t3\tconj\t_\tEntity=(4-place-"
           "new-x-sgl)1)\n"
           "9\thas\thave\tAUX\tVBZ\t_\t10\taux\t_\t_\n"
           "10\ttold\ttell\tVERB\tVBD\t_\t0\troot\t_\t_\n"
           "11\tthe\tthe\tDET\tDT\t_\t12\tdet\t_\tEntity=(5-person-new-x-"
           "sgl\n"
           "12\tSecretary\tSecretary\tPROPN\tNNP\t_\t10\tobj\t_\tEntity=5)\n"
           "13\t,\t,\tPUNCT\t,\t_\t15\tpunct\t_\t_\n"
           "14\tjournalist\tjournalist\tNOUN\tNN\t_\t12\tconj\t_\tEntity=(6-"
           "person-new-x-sgl\n"
           "15\tStanley\tStanley\tPROPN\tNNP\t_\t14\tflat\t_\t_\n"
           "16\tMitchell\tMitchell\tPROPN\tNNP\t_\t14\tflat\t_\tEntity=6)\n"
           "17\tand\tand\tCCONJ\tCC\t_\t18\tcc\t_\t_\n"
           "18\tAmericans\tAmerican\tPROPN\tNNPS\t_\t12\tconj\t_\tEntity=(7-"
           "person-new-x-sgl)\n"
           "\n";
  }
  std::vector<Sentence> sentences;
  std::string error;
  ASSERT_TRUE(ReadGum(dir.string(), sentences, &error)) << error;
  std::filesystem::remove_all(dir);
  ASSERT_EQ(sentences.size(), 1u);
  const int kBOrg = BeginTag(2);
  EXPECT_EQ(sentences[0].tags,
            (std::vector<int>{0, kBOrg, kIOrg, kIOrg, kIOrg, kIOrg, 0, kBLoc, 0,
                              0, 0, 0, 0, 0, kBPer, kIPer, 0, kBMisc}));
}

TEST(NerDataTest, EntityLevelEvaluation) {
  Evaluation evaluation;
  // Gold: PER [0,2), LOC [3,4). Predicted: PER [0,1) (wrong span), LOC [3,4).
  evaluation.Add({kBPer, kIPer, 0, kBLoc}, {kBPer, 0, 0, kBLoc});
  EXPECT_EQ(evaluation.ForType(0).correct, 0);
  EXPECT_EQ(evaluation.ForType(1).correct, 1);
  EXPECT_DOUBLE_EQ(evaluation.All().Precision(), 0.5);
  EXPECT_DOUBLE_EQ(evaluation.All().Recall(), 0.5);
  EXPECT_NE(evaluation.Table().find("PER+LOC+ORG"), std::string::npos);
}

}  // namespace
}  // namespace nlpd::ner
