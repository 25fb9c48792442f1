// The whole server, assembled from its config: text pipeline, plugin
// manager, worker pool, analyzer, and the gRPC server with the analysis,
// admin, health and reflection services.
#ifndef NLPD_SERVER_SERVICE_SERVER_H_
#define NLPD_SERVER_SERVICE_SERVER_H_

#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlpd/v1/config.pb.h"
#include "pipeline/analyzer.h"
#include "plugins/plugin_manager.h"
#include "runtime/worker_pool.h"
#include "service/admin_service.h"
#include "service/analysis_service.h"
#include "service/http_gateway.h"
#include "service/metrics_endpoint.h"
#include "service/reflection_service.h"
#include "service/token_auth.h"
#include "text/text_pipeline.h"

namespace nlpd {

class Server {
 public:
  // Builds and starts everything from `config` (defaults already applied).
  // `plugin_host_binary` is nlpd-plugin-host, which probes plugin files and
  // runs isolated plugins. Plugins that fail to load are logged and listed
  // by ListPlugins; the server starts with the rest, unless
  // config.strict_plugins. Errors: UNAVAILABLE when the address cannot be
  // bound, INTERNAL when the text pipeline or the runtime directory cannot
  // be made, FAILED_PRECONDITION when strict_plugins and a plugin was
  // refused (the message lists every refusal), INVALID_ARGUMENT or
  // NOT_FOUND for TLS or token settings that are incomplete or unreadable.
  // With config.http_listen it also serves HTTP/JSON (HttpGateway), started
  // after gRPC; its errors are HttpGateway::Start's.
  static absl::StatusOr<std::unique_ptr<Server>> Start(
      const v1::ServerConfig& config, const std::string& plugin_host_binary);

  // Shuts down on destruction if Shutdown was not called.
  ~Server();

  // The address actually bound ("127.0.0.1:41234" for port 0).
  const std::string& address() const { return address_; }
  // The /metrics address bound, empty without metrics_listen.
  std::string metrics_address() const {
    return metrics_endpoint_ ? metrics_endpoint_->address() : "";
  }

  // Rescans the plugin directories on the admin thread (SIGHUP), without
  // waiting for it. The changes are logged. Thread-safe.
  void ReloadPluginsInBackground();

  // Stops accepting calls, marks health NOT_SERVING, lets in-flight calls
  // finish until `grace` has passed (then cancels them), and stops the
  // workers. Workers stuck in an in-process plugin are abandoned once the
  // grace and the deadline grace have passed. Returns the number of workers
  // left stuck: when not 0, the caller must end the process without running
  // destructors (the stuck threads still use the plugins, and gRPC still
  // waits for their calls). Idempotent; call from one thread.
  size_t Shutdown(absl::Duration grace);

 private:
  Server() = default;

  v1::ServerConfig config_;
  // Private directory for isolated plugins' sockets and reloaded libraries.
  std::string runtime_dir_;
  std::unique_ptr<text::TextPipeline> text_pipeline_;
  std::unique_ptr<PluginManager> plugins_;
  std::unique_ptr<WorkerPool> pool_;
  // Runs admin operations one at a time, off gRPC's threads.
  std::unique_ptr<WorkerPool> admin_executor_;
  std::unique_ptr<Analyzer> analyzer_;
  std::unique_ptr<AnalysisService> service_;
  std::unique_ptr<AdminService> admin_service_;
  // grpc.reflection.v1 and v1alpha over the current plugins' schemas.
  std::unique_ptr<ReflectionService> reflection_;
  TokenAuth auth_;
  Metrics metrics_;
  std::unique_ptr<MetricsEndpoint> metrics_endpoint_;
  std::unique_ptr<grpc::Server> grpc_server_;
  // HTTP/JSON (config.http_listen); null without it.
  std::unique_ptr<HttpGateway> http_;
  std::string address_;
  bool shut_down_ = false;
  size_t stuck_workers_ = 0;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_SERVICE_SERVER_H_
