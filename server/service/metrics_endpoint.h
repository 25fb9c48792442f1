// GET /metrics over HTTP (--metrics_listen): the Prometheus text of the
// server's Metrics plus gauges read at scrape time (queue depth, stuck
// workers, plugins with version, hash, state and restarts, process memory,
// build info).
#ifndef NLPD_SERVER_SERVICE_METRICS_ENDPOINT_H_
#define NLPD_SERVER_SERVICE_METRICS_ENDPOINT_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "nlpd/v1/nlpd.pb.h"
#include "plugins/plugin_manager.h"
#include "runtime/metrics.h"
#include "runtime/worker_pool.h"

namespace httplib {
class Server;
}

namespace nlpd {

class MetricsEndpoint {
 public:
  // Borrows everything; all must outlive the endpoint.
  MetricsEndpoint(const Metrics* metrics, const PluginManager* plugins,
                  const WorkerPool* pool, v1::ServerInfo server_info);
  ~MetricsEndpoint();

  // Listens on `listen` (HOST:PORT, port 0 picks one) and serves on a
  // thread of its own. Errors: INVALID_ARGUMENT for a malformed
  // address, UNAVAILABLE when it cannot bind.
  absl::Status Start(const std::string& listen);
  // The address bound ("127.0.0.1:9464").
  const std::string& address() const { return address_; }
  // Stops serving; idempotent.
  void Stop();

  // The whole /metrics page. Thread-safe.
  std::string Render() const;

 private:
  const Metrics* const metrics_;
  const PluginManager* const plugins_;
  const WorkerPool* const pool_;
  const v1::ServerInfo server_info_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  std::string address_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_SERVICE_METRICS_ENDPOINT_H_
