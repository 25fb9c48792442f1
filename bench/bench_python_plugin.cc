// The cost of writing a plugin in Python: the same work (the SDK example
// textstats: counts of sentences, tokens, words, distinct words, the longest
// word) done by the C++ plugin in process, the C++ plugin isolated, and the
// Python port (plugins/sdk/example_python/textstats_plugin.py) in the Python
// plugin host, each called with the same serialized request. The Python
// plugin is always isolated, so C++ isolated is its baseline: the
// difference is the Python host and the plugin's Python code.
//
// bench/run builds the C++ plugin (bench/plugins/libnlpd_textstats.so),
// generates the Python plugin's result module next to a copy of it and sets
// NLPD_BENCH_PYTHON_PLUGIN (the .py file) and NLPD_BENCH_PYTHON (an
// interpreter with the nlpd package); without them the Python benchmarks
// are skipped.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "bench_common.h"
#include "bench_texts.h"
#include "nlpd/v1/plugin.pb.h"

namespace nlpd::bench {
namespace {

enum class Variant { kCppInProcess, kCppIsolated, kPython };

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

// One manager per variant, shared by the benchmarks; null when the variant
// cannot run here.
const PluginManager* Plugins(Variant variant) {
  static const PluginManager* const managers[3] = {
      LoadPlugins({NLPD_BENCH_TEXTSTATS_DIR}, NLPD_PLUGIN_HOST).release(),
      [] {
        google::protobuf::Map<std::string, v1::PluginConfig> configs;
        configs["textstats"].set_isolation(v1::PROCESS);
        return LoadPlugins({NLPD_BENCH_TEXTSTATS_DIR}, NLPD_PLUGIN_HOST,
                           configs)
            .release();
      }(),
      []() -> const PluginManager* {
        const std::string file = Env("NLPD_BENCH_PYTHON_PLUGIN");
        const std::string python = Env("NLPD_BENCH_PYTHON");
        if (file.empty() || python.empty()) return nullptr;
        PluginManagerOptions options;
        options.files = {file};
        options.isolation.host_binary = NLPD_PLUGIN_HOST;
        options.isolation.python_host_command = {python, "-m",
                                                 "nlpd.plugin_host"};
        std::string runtime_dir = "/tmp/nlpd-bench-XXXXXX";
        if (mkdtemp(runtime_dir.data()) == nullptr) return nullptr;
        options.isolation.runtime_dir = runtime_dir;
        options.remove_runtime_dir = true;
        auto* manager = new PluginManager(std::move(options));
        manager->Reload();
        return manager;
      }()};
  return managers[static_cast<int>(variant)];
}

void RunTextStats(benchmark::State& state, const std::string& text,
                  Variant variant) {
  const PluginManager* plugins = Plugins(variant);
  const RegisteredPlugin* entry =
      plugins == nullptr ? nullptr : plugins->Current()->Find("textstats");
  if (entry == nullptr) {
    state.SkipWithError(
        variant == Variant::kPython
            ? "no Python textstats: set NLPD_BENCH_PYTHON_PLUGIN and "
              "NLPD_BENCH_PYTHON (bench/run does)"
            : "no textstats plugin in " NLPD_BENCH_TEXTSTATS_DIR);
    return;
  }
  auto pipeline = text::TextPipeline::Create();
  v1::Document document;
  if (!pipeline.ok() || !(*pipeline)->ProcessInto(text, "", &document).ok()) {
    state.SkipWithError("text pipeline failed");
    return;
  }
  v1::PluginRequest request;
  *request.mutable_document() = document;
  const std::string bytes = request.SerializeAsString();
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
  state.counters["tokens"] = static_cast<double>(document.tokens_size());
}

void BM_TextStats_Short_CppInProcess(benchmark::State& s) {
  RunTextStats(s, ShortParagraphs()[0], Variant::kCppInProcess);
}
void BM_TextStats_Short_CppIsolated(benchmark::State& s) {
  RunTextStats(s, ShortParagraphs()[0], Variant::kCppIsolated);
}
void BM_TextStats_Short_Python(benchmark::State& s) {
  RunTextStats(s, ShortParagraphs()[0], Variant::kPython);
}
void BM_TextStats_GermanArticle_CppInProcess(benchmark::State& s) {
  RunTextStats(s, kGermanArticle, Variant::kCppInProcess);
}
void BM_TextStats_GermanArticle_CppIsolated(benchmark::State& s) {
  RunTextStats(s, kGermanArticle, Variant::kCppIsolated);
}
void BM_TextStats_GermanArticle_Python(benchmark::State& s) {
  RunTextStats(s, kGermanArticle, Variant::kPython);
}
BENCHMARK(BM_TextStats_Short_CppInProcess)->UseRealTime();
BENCHMARK(BM_TextStats_Short_CppIsolated)->UseRealTime();
BENCHMARK(BM_TextStats_Short_Python)->UseRealTime();
BENCHMARK(BM_TextStats_GermanArticle_CppInProcess)->UseRealTime();
BENCHMARK(BM_TextStats_GermanArticle_CppIsolated)->UseRealTime();
BENCHMARK(BM_TextStats_GermanArticle_Python)->UseRealTime();

}  // namespace
}  // namespace nlpd::bench

BENCHMARK_MAIN();
