// nlpd::text::TextPipeline::Process on ~3 KB German and English news
// articles, with and without a language hint (without: CLD2 decides).
// Reports bytes/s and tokens/s. And the language decision alone on
// headlines (text::DecideLanguage for analyses in de and en): one CLD2 call,
// plus, when CLD2 is unsure, the n-gram model's score of de and en
// (BM_LanguageModel_Score_* alone; *_Hinted: the CLD2 calls with a hint per
// language that the model replaced).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench_texts.h"
#include "text/char_ngram_model.h"
#include "text/language_choice.h"
#include "text/text_pipeline.h"

namespace nlpd::bench {
namespace {

const text::TextPipeline& Pipeline() {
  static const text::TextPipeline* const pipeline = [] {
    auto created = text::TextPipeline::Create();
    if (!created.ok()) {
      std::fprintf(stderr, "TextPipeline::Create: %s\n",
                   created.status().ToString().c_str());
      std::abort();
    }
    return created->release();
  }();
  return *pipeline;
}

void RunProcess(benchmark::State& state, std::string_view text,
                std::string_view hint) {
  const text::TextPipeline& pipeline = Pipeline();
  int64_t tokens = 0;
  int64_t sentences = 0;
  for (auto _ : state) {
    auto doc = pipeline.Process(text, hint);
    if (!doc.ok()) {
      state.SkipWithError(std::string(doc.status().message()).c_str());
      return;
    }
    tokens += doc->tokens_size();
    sentences += doc->sentences_size();
    benchmark::DoNotOptimize(doc);
  }
  state.SetBytesProcessed(static_cast<int64_t>(text.size()) *
                          state.iterations());
  state.counters["tokens/s"] = benchmark::Counter(static_cast<double>(tokens),
                                                  benchmark::Counter::kIsRate);
  state.counters["docs/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  if (state.iterations() > 0) {
    state.counters["tokens/doc"] =
        static_cast<double>(tokens) / static_cast<double>(state.iterations());
    state.counters["sentences/doc"] = static_cast<double>(sentences) /
                                      static_cast<double>(state.iterations());
  }
  state.counters["bytes/doc"] = static_cast<double>(text.size());
}

void BM_Process_German_Hint(benchmark::State& s) {
  RunProcess(s, kGermanArticle, "de");
}
void BM_Process_German_NoHint(benchmark::State& s) {
  RunProcess(s, kGermanArticle, "");
}
void BM_Process_English_Hint(benchmark::State& s) {
  RunProcess(s, kEnglishArticle, "en");
}
void BM_Process_English_NoHint(benchmark::State& s) {
  RunProcess(s, kEnglishArticle, "");
}
void BM_Process_ShortParagraph_NoHint(benchmark::State& s) {
  RunProcess(s, ShortParagraphs()[0], "");
}
BENCHMARK(BM_Process_German_Hint);
BENCHMARK(BM_Process_German_NoHint);
BENCHMARK(BM_Process_English_Hint);
BENCHMARK(BM_Process_English_NoHint);
BENCHMARK(BM_Process_ShortParagraph_NoHint);

// A request of analyses in German and English (the built-in plugins).
class GermanOrEnglish final : public text::LanguageSupport {
 public:
  int Runnable(std::string_view language) const override {
    return language == "de" || language == "en" ? 1 : 0;
  }
  std::span<const std::string> Languages() const override { return languages_; }

 private:
  std::vector<std::string> languages_ = {"de", "en"};
};

// The server's language model, loaded once.
const text::CharNgramModel& Model() {
  static const text::CharNgramModel* const model = [] {
    auto loaded = text::CharNgramModel::LoadEmbedded();
    if (!loaded.ok()) {
      std::fprintf(stderr, "CharNgramModel::LoadEmbedded: %s\n",
                   loaded.status().ToString().c_str());
      std::abort();
    }
    return new text::CharNgramModel(*std::move(loaded));
  }();
  return *model;
}

void RunDecide(benchmark::State& state, std::string_view text,
               nlpd::v1::LanguageSource expected, bool with_model = true) {
  const GermanOrEnglish support;
  const text::CharNgramModel* model = with_model ? &Model() : nullptr;
  for (auto _ : state) {
    text::LanguageChoice choice =
        text::DecideLanguage(text, {.support = &support}, model);
    if (choice.source != expected) {
      state.SkipWithError("unexpected language source");
      return;
    }
    benchmark::DoNotOptimize(choice);
  }
}

// CLD2 says Polish, unsure: the model scores de and en.
void BM_DecideLanguage_Headline_Unsure(benchmark::State& s) {
  RunDecide(s, "Merkel sprach.", nlpd::v1::LANGUAGE_SOURCE_FALLBACK);
}
// The same without the model: two more CLD2 calls, one hint each.
void BM_DecideLanguage_Headline_Unsure_Hinted(benchmark::State& s) {
  RunDecide(s, "Merkel sprach.", nlpd::v1::LANGUAGE_SOURCE_FALLBACK,
            /*with_model=*/false);
}
// CLD2 says English, unsure: the model scores de and en all the same.
void BM_DecideLanguage_Headline_UnsureSupported(benchmark::State& s) {
  RunDecide(s, "Stocks fall.", nlpd::v1::LANGUAGE_SOURCE_FALLBACK);
}
void BM_DecideLanguage_Headline_Sure(benchmark::State& s) {
  RunDecide(s, "Der Bundestag hat das Gesetz beschlossen.",
            nlpd::v1::LANGUAGE_SOURCE_IDENTIFIED);
}
BENCHMARK(BM_DecideLanguage_Headline_Unsure);
BENCHMARK(BM_DecideLanguage_Headline_Unsure_Hinted);
BENCHMARK(BM_DecideLanguage_Headline_UnsureSupported);
BENCHMARK(BM_DecideLanguage_Headline_Sure);

// The model alone: de and en scored on a headline, and on a longer short
// text (cost linear in the letters).
void RunModelScore(benchmark::State& state, std::string_view text) {
  const text::CharNgramModel& model = Model();
  for (auto _ : state) {
    std::optional<double> de = model.Score(text, "de");
    std::optional<double> en = model.Score(text, "en");
    benchmark::DoNotOptimize(de);
    benchmark::DoNotOptimize(en);
  }
}
void BM_LanguageModel_Score_Headline(benchmark::State& s) {
  RunModelScore(s, "Merkel sprach.");
}
void BM_LanguageModel_Score_60Letters(benchmark::State& s) {
  RunModelScore(s, "Der Bundestag hat das Gesetz am Freitag beschlossen.");
}
BENCHMARK(BM_LanguageModel_Score_Headline);
BENCHMARK(BM_LanguageModel_Score_60Letters);

// The real sample from /work/shared/samples, if it is there.
void RegisterSample() {
  static const std::optional<std::string> sample = ReadSample();
  if (!sample) {
    std::fprintf(stderr,
                 "bench_text_pipeline: sample de-news-nordkorea.txt not found; "
                 "skipping BM_Process_Sample_*\n");
    return;
  }
  benchmark::RegisterBenchmark(
      "BM_Process_Sample_NoHint",
      [](benchmark::State& s) { RunProcess(s, *sample, ""); });
  benchmark::RegisterBenchmark(
      "BM_Process_Sample_Hint",
      [](benchmark::State& s) { RunProcess(s, *sample, "de"); });
}

}  // namespace
}  // namespace nlpd::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  nlpd::bench::RegisterSample();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
