// HTTP/JSON beside gRPC (ServerConfig.http_listen): POST /v1/analyze,
// GET /v1/plugins and GET /healthz, served by cpp-httplib. Requests and
// responses are the proto3 JSON mapping of the nlpd.v1 messages; analyses
// run on the same Analyzer and WorkerPool as gRPC calls, with the same
// limits and tokens. Errors are {"code": "INVALID_ARGUMENT", "message":
// "..."} with the HTTP status of the gRPC code (HttpStatusOf).
#ifndef NLPD_SERVER_SERVICE_HTTP_GATEWAY_H_
#define NLPD_SERVER_SERVICE_HTTP_GATEWAY_H_

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "nlpd/v1/nlpd.pb.h"
#include "pipeline/analyzer.h"
#include "plugins/plugin_manager.h"
#include "runtime/worker_pool.h"
#include "service/token_auth.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace nlpd {

// The HTTP status that stands for `code` (INVALID_ARGUMENT and
// FAILED_PRECONDITION 400, NOT_FOUND 404, RESOURCE_EXHAUSTED 429, ...).
int HttpStatusOf(absl::StatusCode code);

// What the gateway serves with; everything is borrowed and must outlive
// the gateway (Stop returns only when no handler uses them any more, except
// tasks abandoned on the pool, which use only `analyzer` and `pool`).
struct HttpGatewayOptions {
  const Analyzer* analyzer = nullptr;
  const PluginManager* plugins = nullptr;
  WorkerPool* pool = nullptr;
  const TokenAuth* auth = nullptr;
  v1::ServerInfo server_info;
  // Largest text accepted (ServerConfig.max_text_bytes); bodies are limited
  // to what its JSON encoding can take.
  uint64_t max_text_bytes = 0;
  // PEM files: HTTPS with them, plain HTTP when empty. `tls_client_ca`
  // (needs the others) makes clients present a certificate it signed.
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
};

class HttpGateway {
 public:
  // Binds `address` ("HOST:PORT", port 0 picks a free one; "[::1]:PORT" for
  // IPv6) and serves on a thread of its own until Stop. Errors:
  // INVALID_ARGUMENT (malformed address, or TLS files that do not load),
  // UNAVAILABLE (cannot bind).
  static absl::StatusOr<std::unique_ptr<HttpGateway>> Start(
      const std::string& address, HttpGatewayOptions options);

  // Stops if Stop was not called.
  ~HttpGateway();

  HttpGateway(const HttpGateway&) = delete;
  HttpGateway& operator=(const HttpGateway&) = delete;

  // HOST:PORT actually bound.
  const std::string& address() const { return address_; }

  // Stops accepting connections and /healthz answers NOT_SERVING; requests
  // in flight may finish until `grace` has passed, then get UNAVAILABLE
  // (their analysis still completes on the pool, unseen). Returns when the
  // serving thread has ended. Idempotent; call from one thread, not from a
  // handler.
  void Stop(absl::Duration grace = absl::ZeroDuration());

 private:
  HttpGateway() = default;
  // POST /v1/analyze; runs on httplib's threads.
  void Analyze(const httplib::Request& request, httplib::Response& response);

  HttpGatewayOptions options_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  std::string address_;
  std::atomic<bool> serving_{false};
  absl::Mutex mutex_;
  // When waiting handlers give up; InfiniteFuture while serving.
  absl::Time give_up_ ABSL_GUARDED_BY(mutex_) = absl::InfiniteFuture();
  bool stopped_ = false;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_SERVICE_HTTP_GATEWAY_H_
