// The baseline of bench_suite: a raw gRPC server with the same gRPC and the
// same generated nlpd.v1.AnalysisService code as nlpd, that does no
// analysis. Analyze answers with the request's text mirrored into
// AnalyzeResponse.document.text (and the language it was given), so the
// response is a real AnalyzeResponse about as large as the text it
// describes: the least any server of this API has to receive, parse,
// build and send. Anything nlpd costs above this is nlpd's own.
//
// Why mirrored and not a fixed response: a fixed tiny answer would make the
// echo cheaper the longer the text (no bytes back), and a copy of nlpd's
// FULL response would bake nlpd's own format choices into the baseline.
// The text is what every view of nlpd's response carries at most once
// (RESULTS_ONLY carries less), so echo bytes == a lower bound for FULL and
// an upper bound for RESULTS_ONLY without results.
//
// Synchronous grpc::Service with gRPC's default thread pool, the simplest
// server one writes with this gRPC; the health service answers SERVING as
// soon as the port is open. Usage: bench_echo_server --listen=HOST:PORT
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "nlpd/v1/nlpd.grpc.pb.h"

namespace {

class EchoService final : public nlpd::v1::AnalysisService::Service {
 public:
  grpc::Status Analyze(grpc::ServerContext* /*context*/,
                       const nlpd::v1::AnalyzeRequest* request,
                       nlpd::v1::AnalyzeResponse* response) override {
    nlpd::v1::Document* document = response->mutable_document();
    document->set_text(request->text());
    document->set_language(request->language());
    return grpc::Status::OK;
  }
};

void OnSignal(int /*signal*/) {
  // Shutdown from a signal handler is not async-signal-safe; the suite only
  // needs the process gone, so exit at once.
  std::_Exit(0);
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:50052";
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--listen=", 9) == 0) listen = argv[i] + 9;
  }
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  grpc::EnableDefaultHealthCheckService(true);
  EchoService service;
  grpc::ServerBuilder builder;
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  builder.SetMaxReceiveMessageSize(64 << 20);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "bench_echo_server: cannot listen on %s\n",
                 listen.c_str());
    return 1;
  }
  std::fprintf(stderr, "bench_echo_server: serving on %s\n", listen.c_str());
  server->Wait();
  return 0;
}
