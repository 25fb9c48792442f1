// End to end through real gRPC on loopback: nlpd::Server started in this
// process on port 0 with the built plugins, called through the generated
// stub. Baselines measured in the same run: the same work through an
// nlpd::Analyzer called directly (no gRPC, no worker pool), so the report
// can state the gRPC overhead as a ratio.
//
//   BM_Unary_*        one Analyze call per iteration; the per-call latency
//                     percentiles are counters (p50_us, p90_us, p99_us).
//   BM_Stream_*       one AnalyzeStream of kStreamDocs short paragraphs per
//                     iteration (writer thread + reader, as a client does);
//                     docs/s counter.
//   BM_Direct_*       the baselines.
//   *_GermanParagraph_{Full,NoTokens,ResultsOnly}
//                     AnalyzeRequest.document_view on a 1 KB paragraph with
//                     entities: docs/s and the response's bytes.
#include <benchmark/benchmark.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.h"
#include "bench_texts.h"
#include "config/server_config.h"
#include "nlpd/v1/nlpd.grpc.pb.h"
#include "service/server.h"

namespace nlpd::bench {
namespace {

constexpr int kStreamDocs = 2000;
constexpr unsigned kWorkers = 2;  // the machine has 2 cores

struct Running {
  std::unique_ptr<Server> server;
  std::unique_ptr<v1::AnalysisService::Stub> stub;
};

Running& TheServer() {
  static Running* const running = [] {
    v1::ServerConfig config;
    config.set_listen("127.0.0.1:0");
    config.add_plugin_dirs(PluginDir());
    config.set_workers(kWorkers);
    config.set_max_text_bytes(kMaxTextBytes);
    ApplyDefaults({}, &config);
    auto server = Server::Start(config, NLPD_PLUGIN_HOST);
    if (!server.ok()) {
      std::fprintf(stderr, "Server::Start: %s\n",
                   server.status().ToString().c_str());
      std::abort();
    }
    auto* r = new Running;
    r->server = *std::move(server);
    r->stub = v1::AnalysisService::NewStub(grpc::CreateChannel(
        r->server->address(), grpc::InsecureChannelCredentials()));
    return r;
  }();
  return *running;
}

v1::AnalyzeRequest MakeRequest(const std::string& text, bool keywords) {
  v1::AnalyzeRequest request;
  request.set_text(text);
  if (keywords) request.add_analyses("keywords");
  return request;
}

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(p * v.size()));
  std::nth_element(v.begin(), v.begin() + k, v.end());
  return v[k];
}

void SetLatencyCounters(benchmark::State& state, std::vector<double>& us) {
  state.counters["p50_us"] = Percentile(us, 0.50);
  state.counters["p90_us"] = Percentile(us, 0.90);
  state.counters["p99_us"] = Percentile(us, 0.99);
  state.counters["docs/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

using Clock = std::chrono::steady_clock;
double MicrosSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
}

// --- unary ------------------------------------------------------------------

void RunUnary(benchmark::State& state, const std::string& text, bool keywords) {
  Running& r = TheServer();
  const v1::AnalyzeRequest request = MakeRequest(text, keywords);
  std::vector<double> us;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    grpc::ClientContext context;
    v1::AnalyzeResponse response;
    grpc::Status status = r.stub->Analyze(&context, request, &response);
    us.push_back(MicrosSince(t0));
    if (!status.ok()) {
      state.SkipWithError(status.error_message().c_str());
      return;
    }
  }
  SetLatencyCounters(state, us);
}

void RunDirect(benchmark::State& state, const std::string& text,
               bool keywords) {
  const Analyzer& analyzer = SharedAnalyzer();
  const v1::AnalyzeRequest request = MakeRequest(text, keywords);
  const CallContext call;
  std::vector<double> us;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    v1::AnalyzeResponse response;
    absl::Status status = analyzer.Analyze(request, call, &response);
    us.push_back(MicrosSince(t0));
    if (!status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(response);
  }
  SetLatencyCounters(state, us);
}

void BM_Unary_Short_Keywords(benchmark::State& s) {
  RunUnary(s, ShortParagraphs()[0], true);
}
void BM_Direct_Short_Keywords(benchmark::State& s) {
  RunDirect(s, ShortParagraphs()[0], true);
}
void BM_Unary_Short_DocumentOnly(benchmark::State& s) {
  RunUnary(s, ShortParagraphs()[0], false);
}
void BM_Direct_Short_DocumentOnly(benchmark::State& s) {
  RunDirect(s, ShortParagraphs()[0], false);
}
void BM_Unary_GermanArticle_Keywords(benchmark::State& s) {
  RunUnary(s, kGermanArticle, true);
}
void BM_Direct_GermanArticle_Keywords(benchmark::State& s) {
  RunDirect(s, kGermanArticle, true);
}
BENCHMARK(BM_Unary_Short_Keywords)->UseRealTime();
BENCHMARK(BM_Direct_Short_Keywords)->UseRealTime();
BENCHMARK(BM_Unary_Short_DocumentOnly)->UseRealTime();
BENCHMARK(BM_Direct_Short_DocumentOnly)->UseRealTime();
BENCHMARK(BM_Unary_GermanArticle_Keywords)->UseRealTime();
BENCHMARK(BM_Direct_GermanArticle_Keywords)->UseRealTime();

// --- document views ---------------------------------------------------------
// AnalyzeRequest.document_view on the 1 KB German paragraph with "entities"
// (and with no analyses, *_DocumentOnly_*):
// the same analysis, FULL (text, sentences, tokens) against NO_TOKENS and
// RESULTS_ONLY (language and results). Counters: docs/s (requests/s), the
// response's size (resp_bytes) and latency.

void RunView(benchmark::State& state, v1::DocumentView view,
             bool entities = true) {
  Running& r = TheServer();
  v1::AnalyzeRequest request;
  request.set_text(kGermanParagraph);
  if (entities) request.add_analyses("entities");
  request.set_document_view(view);
  std::vector<double> us;
  size_t response_bytes = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    grpc::ClientContext context;
    v1::AnalyzeResponse response;
    grpc::Status status = r.stub->Analyze(&context, request, &response);
    us.push_back(MicrosSince(t0));
    if (!status.ok()) {
      state.SkipWithError(status.error_message().c_str());
      return;
    }
    response_bytes = response.ByteSizeLong();
  }
  SetLatencyCounters(state, us);
  state.counters["resp_bytes"] = static_cast<double>(response_bytes);
}

void BM_Unary_GermanParagraph_Full(benchmark::State& s) {
  RunView(s, v1::DOCUMENT_VIEW_FULL);
}
void BM_Unary_GermanParagraph_NoTokens(benchmark::State& s) {
  RunView(s, v1::DOCUMENT_VIEW_NO_TOKENS);
}
void BM_Unary_GermanParagraph_ResultsOnly(benchmark::State& s) {
  RunView(s, v1::DOCUMENT_VIEW_RESULTS_ONLY);
}
// No analyses: the text pipeline and the document alone, where building and
// sending the response is most of the call.
void BM_Unary_GermanParagraph_DocumentOnly_Full(benchmark::State& s) {
  RunView(s, v1::DOCUMENT_VIEW_FULL, false);
}
void BM_Unary_GermanParagraph_DocumentOnly_ResultsOnly(benchmark::State& s) {
  RunView(s, v1::DOCUMENT_VIEW_RESULTS_ONLY, false);
}
BENCHMARK(BM_Unary_GermanParagraph_Full)->UseRealTime();
BENCHMARK(BM_Unary_GermanParagraph_NoTokens)->UseRealTime();
BENCHMARK(BM_Unary_GermanParagraph_ResultsOnly)->UseRealTime();
BENCHMARK(BM_Unary_GermanParagraph_DocumentOnly_Full)->UseRealTime();
BENCHMARK(BM_Unary_GermanParagraph_DocumentOnly_ResultsOnly)->UseRealTime();

// --- stream -----------------------------------------------------------------

const std::vector<std::string>& StreamTexts() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> t;
    for (int i = 0; i < kStreamDocs; ++i) t.push_back(ParagraphFor(i));
    return t;
  }();
  return texts;
}

// One AnalyzeStream per iteration: `count` documents, text(i) each, with
// `analysis` and `view`; docs/s counter.
template <typename TextOf>
void RunStream(benchmark::State& state, int count, TextOf text,
               const char* analysis, v1::DocumentView view) {
  Running& r = TheServer();
  int64_t docs = 0;
  for (auto _ : state) {
    grpc::ClientContext context;
    auto stream = r.stub->AnalyzeStream(&context);
    std::thread writer([&] {
      v1::StreamRequest request;
      request.mutable_request()->add_analyses(analysis);
      request.mutable_request()->set_document_view(view);
      for (int i = 0; i < count; ++i) {
        request.set_id(std::to_string(i));
        request.mutable_request()->set_text(text(i));
        if (!stream->Write(request)) break;
      }
      stream->WritesDone();
    });
    v1::StreamResponse response;
    int received = 0;
    bool errors = false;
    while (stream->Read(&response)) {
      errors |= response.has_error();
      ++received;
    }
    writer.join();
    grpc::Status status = stream->Finish();
    if (!status.ok() || errors || received != count) {
      state.SkipWithError("stream failed or incomplete");
      return;
    }
    docs += received;
  }
  state.counters["docs/s"] = benchmark::Counter(static_cast<double>(docs),
                                                benchmark::Counter::kIsRate);
}

void BM_Stream_Keywords(benchmark::State& state) {
  const std::vector<std::string>& texts = StreamTexts();
  RunStream(
      state, kStreamDocs, [&](int i) -> const std::string& { return texts[i]; },
      "keywords", v1::DOCUMENT_VIEW_UNSPECIFIED);
}
BENCHMARK(BM_Stream_Keywords)->UseRealTime()->Unit(benchmark::kMillisecond);

// 200 copies of the 1 KB paragraph with "entities", FULL and RESULTS_ONLY:
// the bulk path of nlpctl.
constexpr int kParagraphStreamDocs = 200;
void RunParagraphStream(benchmark::State& state, v1::DocumentView view) {
  const std::string paragraph = kGermanParagraph;
  RunStream(
      state, kParagraphStreamDocs,
      [&](int) -> const std::string& { return paragraph; }, "entities", view);
}
void BM_Stream_GermanParagraph_Full(benchmark::State& s) {
  RunParagraphStream(s, v1::DOCUMENT_VIEW_FULL);
}
void BM_Stream_GermanParagraph_ResultsOnly(benchmark::State& s) {
  RunParagraphStream(s, v1::DOCUMENT_VIEW_RESULTS_ONLY);
}
BENCHMARK(BM_Stream_GermanParagraph_Full)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Stream_GermanParagraph_ResultsOnly)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The same kStreamDocs documents through the Analyzer directly, on `threads`
// threads (1: one core's worth; 2: the server's two workers).
void BM_Direct_Batch_Keywords(benchmark::State& state) {
  const Analyzer& analyzer = SharedAnalyzer();
  const std::vector<std::string>& texts = StreamTexts();
  const int threads = static_cast<int>(state.range(0));
  int64_t docs = 0;
  for (auto _ : state) {
    std::vector<std::thread> pool;
    std::atomic<bool> failed{false};
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        const CallContext call;
        v1::AnalyzeRequest request;
        request.add_analyses("keywords");
        for (int i = t; i < kStreamDocs; i += threads) {
          request.set_text(texts[i]);
          v1::AnalyzeResponse response;
          if (!analyzer.Analyze(request, call, &response).ok()) failed = true;
        }
      });
    }
    for (std::thread& th : pool) th.join();
    if (failed) {
      state.SkipWithError("analyze failed");
      return;
    }
    docs += kStreamDocs;
  }
  state.counters["docs/s"] = benchmark::Counter(static_cast<double>(docs),
                                                benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Direct_Batch_Keywords)
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace nlpd::bench

BENCHMARK_MAIN();
