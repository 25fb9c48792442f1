// Shared set-up for bench_analyzer and bench_server: the real text pipeline
// and the real built-in plugins from the build tree.
#ifndef NLPD_BENCH_BENCH_COMMON_H_
#define NLPD_BENCH_BENCH_COMMON_H_

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "pipeline/analyzer.h"
#include "plugins/plugin_manager.h"
#include "text/text_pipeline.h"

namespace nlpd::bench {

inline constexpr uint64_t kMaxTextBytes = 1 << 20;

// The built plugins; NLPD_BENCH_PLUGIN_DIR (environment) overrides the
// build-tree directory compiled in.
inline std::string PluginDir() {
  const char* env = std::getenv("NLPD_BENCH_PLUGIN_DIR");
  return env != nullptr ? env : NLPD_BENCH_PLUGIN_DIR;
}

// One process-wide analyzer over the real plugins; aborts if the keywords
// plugin is missing, since every "keywords" number would be meaningless.
struct DirectAnalyzer {
  std::unique_ptr<text::TextPipeline> pipeline;
  std::unique_ptr<PluginManager> plugins;
  std::unique_ptr<Analyzer> analyzer;
};

inline const Analyzer& SharedAnalyzer() {
  static DirectAnalyzer* const direct = [] {
    auto* d = new DirectAnalyzer;
    auto pipeline = text::TextPipeline::Create();
    if (!pipeline.ok()) {
      std::fprintf(stderr, "TextPipeline::Create: %s\n",
                   pipeline.status().ToString().c_str());
      std::abort();
    }
    d->pipeline = *std::move(pipeline);
    d->plugins = LoadPlugins({PluginDir()}, NLPD_PLUGIN_HOST);
    const bool has_keywords =
        d->plugins->Current()->Find("keywords") != nullptr;
    if (!has_keywords) {
      std::fprintf(stderr, "no keywords plugin in %s (build nlpd_keywords)\n",
                   PluginDir().c_str());
      std::abort();
    }
    d->analyzer = std::make_unique<Analyzer>(d->pipeline.get(),
                                             d->plugins.get(), kMaxTextBytes);
    return d;
  }();
  return *direct->analyzer;
}

}  // namespace nlpd::bench

#endif  // NLPD_BENCH_BENCH_COMMON_H_
