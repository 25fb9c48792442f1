// nlpd::text::TextPipeline::Process on ~3 KB German and English news
// articles, with and without a language hint (without: CLD2 decides).
// Reports bytes/s and tokens/s.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "bench_texts.h"
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
