// How the analyses scale with the text's length (issue 14, item 4): the
// actor-dense German article (bench_texts.h) repeated to about 3 KB, 30 KB,
// 100 KB, 300 KB and 1 MB, through nlpd::Analyzer with the real built-in
// plugins, for "entities", "sentiment" and "stance" (both include the
// entities they depend on) and the full pipeline of the three. Reports the
// time per document and ms/KB; linear cost keeps ms/KB flat across sizes.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench_common.h"
#include "bench_texts.h"

namespace nlpd::bench {
namespace {

// The article repeated to at least `kilobytes` KB (1 KB = 1000 bytes), in
// whole copies, staying under kMaxTextBytes.
std::string RepeatedArticle(int kilobytes) {
  const std::string article = kGermanActorArticle;
  std::string text = article;
  while (text.size() + article.size() <=
         static_cast<size_t>(kilobytes) * 1000) {
    text += article;
  }
  return text;
}

void RunScaling(benchmark::State& state,
                const std::vector<std::string>& analyses) {
  const Analyzer& analyzer = SharedAnalyzer();
  const std::string text = RepeatedArticle(static_cast<int>(state.range(0)));
  v1::AnalyzeRequest request;
  request.set_text(text);
  for (const std::string& a : analyses) request.add_analyses(a);
  const CallContext call;
  for (auto _ : state) {
    v1::AnalyzeResponse response;
    absl::Status status = analyzer.Analyze(request, call, &response);
    if (!status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(response);
  }
  const double kb = static_cast<double>(text.size()) / 1000.0;
  state.counters["KB"] = kb;
  // Seconds per iteration, inverted rate; * 1000 / KB gives ms per KB.
  state.counters["ms/KB"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * kb / 1000.0,
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void Sizes(benchmark::internal::Benchmark* b) {
  for (int kb : {3, 30, 100, 300, 1000}) b->Arg(kb);
  b->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
}

void BM_Scaling_Entities(benchmark::State& s) { RunScaling(s, {"entities"}); }
void BM_Scaling_Sentiment(benchmark::State& s) { RunScaling(s, {"sentiment"}); }
void BM_Scaling_Stance(benchmark::State& s) { RunScaling(s, {"stance"}); }
void BM_Scaling_Full(benchmark::State& s) {
  RunScaling(s, {"entities", "sentiment", "stance"});
}

BENCHMARK(BM_Scaling_Entities)->Apply(Sizes);
BENCHMARK(BM_Scaling_Sentiment)->Apply(Sizes);
BENCHMARK(BM_Scaling_Stance)->Apply(Sizes);
BENCHMARK(BM_Scaling_Full)->Apply(Sizes);

}  // namespace
}  // namespace nlpd::bench

BENCHMARK_MAIN();
