// analysis_digest: prints one line per document with a 64-bit FNV-1a hash of
// the serialized EntitiesResult, SentimentResult and StanceResult that the
// built plugins give it through nlpd::Analyzer (analyses "sentiment" and
// "stance", so entities too). Used to show that a change to the plugins' speed
// leaves their output bit-identical: run it before and after and diff the two
// listings (tests/analysis_digest.sh).
//
// Usage: analysis_digest FILE...  where FILE is a .jsonl file (one JSON
// object a line with "text" or "sentence_normalized") or a plain text file.
// Besides the files, the actor-dense benchmark article (bench/bench_texts.h)
// repeated 1, 10 and 40 times. A missing file is skipped with a message.
// NLPD_DIGEST_PLUGIN_DIR, when set, replaces the build's plugin folder.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "bench_texts.h"
#include "pipeline/analyzer.h"
#include "plugins/plugin_manager.h"
#include "text/text_pipeline.h"

namespace {

uint64_t Fnv1a(const std::string& bytes) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string Deterministic(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using nlpd::v1::AnalyzeRequest;
  using nlpd::v1::AnalyzeResponse;
  auto pipeline = nlpd::text::TextPipeline::Create();
  if (!pipeline.ok()) {
    std::fprintf(stderr, "%s\n", pipeline.status().ToString().c_str());
    return 1;
  }
  // NLPD_DIGEST_PLUGIN_DIR: another build's plugins (a saved "before").
  const char* dir = std::getenv("NLPD_DIGEST_PLUGIN_DIR");
  auto plugins = nlpd::LoadPlugins(
      {dir != nullptr ? dir : NLPD_BUILT_PLUGIN_DIR}, NLPD_PLUGIN_HOST);
  nlpd::Analyzer analyzer(pipeline->get(), plugins.get(), 1 << 20);
  std::vector<std::pair<std::string, std::string>> documents;  // name, text
  for (int i = 1; i < argc; ++i) {
    const std::string path = argv[i];
    std::ifstream in(path);
    if (!in) {
      std::fprintf(stderr, "skipped (absent): %s\n", path.c_str());
      continue;
    }
    if (path.ends_with(".jsonl")) {
      std::string line;
      int n = 0;
      while (std::getline(in, line)) {
        ++n;
        if (line.empty()) continue;
        const nlohmann::json object = nlohmann::json::parse(line);
        std::string text;
        if (object.contains("text")) {
          text = object["text"].get<std::string>();
        } else if (object.contains("sentence_normalized")) {
          text = object["sentence_normalized"].get<std::string>();
        } else {
          continue;
        }
        documents.emplace_back(path + ":" + std::to_string(n), text);
      }
    } else {
      std::stringstream buffer;
      buffer << in.rdbuf();
      documents.emplace_back(path, buffer.str());
    }
  }
  for (int copies : {1, 10, 40}) {
    std::string text;
    for (int c = 0; c < copies; ++c) text += nlpd::bench::kGermanActorArticle;
    documents.emplace_back("actor_article_x" + std::to_string(copies), text);
  }
  const nlpd::CallContext call;
  for (const auto& [name, text] : documents) {
    AnalyzeRequest request;
    request.set_text(text);
    request.add_analyses("sentiment");
    request.add_analyses("stance");
    AnalyzeResponse response;
    const absl::Status status = analyzer.Analyze(request, call, &response);
    if (!status.ok()) {
      std::printf("%s error %s\n", name.c_str(),
                  std::string(status.message()).c_str());
      continue;
    }
    std::printf("%s entities %016llx sentiment %016llx stance %016llx\n",
                name.c_str(),
                static_cast<unsigned long long>(
                    Fnv1a(Deterministic(response.entities()))),
                static_cast<unsigned long long>(
                    Fnv1a(Deterministic(response.sentiment()))),
                static_cast<unsigned long long>(
                    Fnv1a(Deterministic(response.stance()))));
  }
  std::fprintf(stderr, "%zu documents\n", documents.size());
  return 0;
}
