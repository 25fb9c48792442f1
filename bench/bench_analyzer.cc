// nlpd::Analyzer with the real plugin registry (the built-in plugins from
// the build tree): documents per second for "document only" (text pipeline
// plus response assembly) vs "keywords" / "entities" / "sentiment" /
// "stance" (plus the plugin calls across the C ABI; sentiment and stance
// include the entities they depend on). The difference of the medians is the
// plugin's own cost; tokens/s lets docs/MODELS.md state the tagger's speed.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench_common.h"
#include "bench_texts.h"

namespace nlpd::bench {
namespace {

void RunAnalyze(benchmark::State& state, const std::string& text,
                const std::vector<std::string>& analyses) {
  const Analyzer& analyzer = SharedAnalyzer();
  v1::AnalyzeRequest request;
  request.set_text(text);
  for (const std::string& a : analyses) request.add_analyses(a);
  const CallContext call;
  int64_t tokens = 0, sentences = 0, targets = 0;
  for (auto _ : state) {
    v1::AnalyzeResponse response;
    absl::Status status = analyzer.Analyze(request, call, &response);
    if (!status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      return;
    }
    tokens = response.document().tokens_size();
    sentences = response.document().sentences_size();
    targets = response.sentiment().targets_size();
    benchmark::DoNotOptimize(response);
  }
  state.SetBytesProcessed(static_cast<int64_t>(text.size()) *
                          state.iterations());
  state.counters["docs/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(tokens * state.iterations()),
                         benchmark::Counter::kIsRate);
  state.counters["sentences/s"] =
      benchmark::Counter(static_cast<double>(sentences * state.iterations()),
                         benchmark::Counter::kIsRate);
  if (targets > 0) {  // sentiment: entity mentions judged
    state.counters["targets/s"] =
        benchmark::Counter(static_cast<double>(targets * state.iterations()),
                           benchmark::Counter::kIsRate);
  }
}

const std::vector<std::string> kNone;
const std::vector<std::string> kKeywords = {"keywords"};
const std::vector<std::string> kEntities = {"entities"};
const std::vector<std::string> kSentiment = {"sentiment"};  // + entities
const std::vector<std::string> kStance = {"stance"};        // + entities

void BM_Analyzer_German_DocumentOnly(benchmark::State& s) {
  RunAnalyze(s, kGermanArticle, kNone);
}
void BM_Analyzer_German_Keywords(benchmark::State& s) {
  RunAnalyze(s, kGermanArticle, kKeywords);
}
void BM_Analyzer_English_DocumentOnly(benchmark::State& s) {
  RunAnalyze(s, kEnglishArticle, kNone);
}
void BM_Analyzer_English_Keywords(benchmark::State& s) {
  RunAnalyze(s, kEnglishArticle, kKeywords);
}
void BM_Analyzer_Short_DocumentOnly(benchmark::State& s) {
  RunAnalyze(s, ShortParagraphs()[0], kNone);
}
void BM_Analyzer_Short_Keywords(benchmark::State& s) {
  RunAnalyze(s, ShortParagraphs()[0], kKeywords);
}
void BM_Analyzer_German_Entities(benchmark::State& s) {
  RunAnalyze(s, kGermanArticle, kEntities);
}
void BM_Analyzer_English_Entities(benchmark::State& s) {
  RunAnalyze(s, kEnglishArticle, kEntities);
}
void BM_Analyzer_German_Sentiment(benchmark::State& s) {
  RunAnalyze(s, kGermanArticle, kSentiment);
}
void BM_Analyzer_English_Sentiment(benchmark::State& s) {
  RunAnalyze(s, kEnglishArticle, kSentiment);
}
void BM_Analyzer_German_Stance(benchmark::State& s) {
  RunAnalyze(s, kGermanArticle, kStance);
}
void BM_Analyzer_English_Stance(benchmark::State& s) {
  RunAnalyze(s, kEnglishArticle, kStance);
}
BENCHMARK(BM_Analyzer_German_DocumentOnly);
BENCHMARK(BM_Analyzer_German_Entities);
BENCHMARK(BM_Analyzer_English_Entities);
BENCHMARK(BM_Analyzer_German_Sentiment);
BENCHMARK(BM_Analyzer_English_Sentiment);
BENCHMARK(BM_Analyzer_German_Stance);
BENCHMARK(BM_Analyzer_English_Stance);
BENCHMARK(BM_Analyzer_German_Keywords);
BENCHMARK(BM_Analyzer_English_DocumentOnly);
BENCHMARK(BM_Analyzer_English_Keywords);
BENCHMARK(BM_Analyzer_Short_DocumentOnly);
BENCHMARK(BM_Analyzer_Short_Keywords);

}  // namespace
}  // namespace nlpd::bench

BENCHMARK_MAIN();
