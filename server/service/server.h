// The whole server, assembled from its config: text pipeline, plugins,
// worker pool, analyzer, and the gRPC server with the analysis, health and
// reflection services.
#ifndef NLPD_SERVER_SERVICE_SERVER_H_
#define NLPD_SERVER_SERVICE_SERVER_H_

#include <grpcpp/server.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "nlpd/v1/config.pb.h"
#include "pipeline/analyzer.h"
#include "plugins/plugin_registry.h"
#include "runtime/worker_pool.h"
#include "service/analysis_service.h"
#include "text/text_pipeline.h"

namespace nlpd {

class Server {
 public:
  // Builds and starts everything from `config` (defaults already applied).
  // Plugins that fail to load are logged and listed by ListPlugins; the
  // server starts with the rest. Errors: UNAVAILABLE when the address cannot
  // be bound, INTERNAL when the text pipeline cannot start.
  static absl::StatusOr<std::unique_ptr<Server>> Start(
      const v1::ServerConfig& config);

  // Shuts down on destruction if Shutdown was not called.
  ~Server();

  // The address actually bound ("127.0.0.1:41234" for port 0).
  const std::string& address() const { return address_; }

  // Stops accepting calls, marks health NOT_SERVING, lets in-flight calls
  // finish until `grace` has passed (then cancels them), and stops the
  // workers. Idempotent; call from one thread.
  void Shutdown(absl::Duration grace);

 private:
  Server() = default;

  v1::ServerConfig config_;
  std::unique_ptr<text::TextPipeline> text_pipeline_;
  std::unique_ptr<PluginRegistry> registry_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<Analyzer> analyzer_;
  std::unique_ptr<AnalysisService> service_;
  std::unique_ptr<grpc::Server> grpc_server_;
  std::string address_;
  bool shut_down_ = false;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_SERVICE_SERVER_H_
