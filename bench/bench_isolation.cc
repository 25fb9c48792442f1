// The cost of process isolation per plugin call: the same plugin, the same
// PluginRequest, called in this process (C ABI) and isolated (a child
// process over nlpd.v1.PluginHost on a Unix socket). The difference of the
// medians is what --isolate=NAME adds to every call of that plugin; the
// keywords plugin on a short paragraph shows it next to a cheap analysis,
// entities on the 3 KB article next to a real one.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>

#include "bench_common.h"
#include "bench_texts.h"
#include "nlpd/v1/plugin.pb.h"

namespace nlpd::bench {
namespace {

// One manager per isolation, shared by the benchmarks.
const PluginManager& Plugins(bool isolated) {
  static const PluginManager* const managers[2] = {
      LoadPlugins({PluginDir()}, NLPD_PLUGIN_HOST).release(), [] {
        google::protobuf::Map<std::string, v1::PluginConfig> configs;
        for (const char* name : {"keywords", "entities"}) {
          configs[name].set_isolation(v1::PROCESS);
        }
        return LoadPlugins({PluginDir()}, NLPD_PLUGIN_HOST, configs).release();
      }()};
  return *managers[isolated ? 1 : 0];
}

void RunPlugin(benchmark::State& state, const std::string& name,
               const std::string& text, bool isolated) {
  auto pipeline = text::TextPipeline::Create();
  v1::Document document;
  if (!pipeline.ok() || !(*pipeline)->ProcessInto(text, "", &document).ok()) {
    state.SkipWithError("text pipeline failed");
    return;
  }
  v1::PluginRequest request;
  *request.mutable_document() = document;
  const std::string bytes = request.SerializeAsString();
  const std::shared_ptr<const PluginRegistry> registry =
      Plugins(isolated).Current();
  const RegisteredPlugin* entry = registry->Find(name);
  if (entry == nullptr) {
    state.SkipWithError(("no plugin " + name).c_str());
    return;
  }
  const CallContext call;
  for (auto _ : state) {
    absl::StatusOr<std::string> result = entry->plugin->Analyze(
        {bytes, document.text(), &document.language(), &call});
    if (!result.ok()) {
      state.SkipWithError(std::string(result.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(result);
  }
  state.counters["request_bytes"] = static_cast<double>(bytes.size());
}

void BM_Keywords_Short_InProcess(benchmark::State& s) {
  RunPlugin(s, "keywords", ShortParagraphs()[0], false);
}
void BM_Keywords_Short_Isolated(benchmark::State& s) {
  RunPlugin(s, "keywords", ShortParagraphs()[0], true);
}
void BM_Entities_GermanArticle_InProcess(benchmark::State& s) {
  RunPlugin(s, "entities", kGermanArticle, false);
}
void BM_Entities_GermanArticle_Isolated(benchmark::State& s) {
  RunPlugin(s, "entities", kGermanArticle, true);
}
BENCHMARK(BM_Keywords_Short_InProcess)->UseRealTime();
BENCHMARK(BM_Keywords_Short_Isolated)->UseRealTime();
BENCHMARK(BM_Entities_GermanArticle_InProcess)->UseRealTime();
BENCHMARK(BM_Entities_GermanArticle_Isolated)->UseRealTime();

}  // namespace
}  // namespace nlpd::bench

BENCHMARK_MAIN();
