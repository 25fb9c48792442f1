#include "service/metrics_endpoint.h"

#include <httplib.h>
#include <unistd.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/subprocess.h"
#include "service/http_listener.h"

namespace nlpd {

MetricsEndpoint::MetricsEndpoint(const Metrics* metrics,
                                 const PluginManager* plugins,
                                 const WorkerPool* pool,
                                 v1::ServerInfo server_info)
    : metrics_(metrics),
      plugins_(plugins),
      pool_(pool),
      server_info_(std::move(server_info)) {}

MetricsEndpoint::~MetricsEndpoint() { Stop(); }

absl::Status MetricsEndpoint::Start(const std::string& listen) {
  http_ = std::make_unique<httplib::Server>();
  http_->Get("/metrics",
             [this](const httplib::Request&, httplib::Response& response) {
               response.set_content(Render(), "text/plain; version=0.0.4");
             });
  absl::StatusOr<std::string> bound = ServeInBackground(
      *http_, listen, "--metrics_listen", "/metrics", &thread_);
  if (!bound.ok()) return bound.status();
  address_ = *std::move(bound);
  return absl::OkStatus();
}

void MetricsEndpoint::Stop() {
  if (http_ != nullptr) http_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string MetricsEndpoint::Render() const {
  std::string out;
  metrics_->Render(&out);
  absl::StrAppend(&out,
                  "# HELP nlpd_queue_depth Documents waiting for a worker.\n"
                  "# TYPE nlpd_queue_depth gauge\nnlpd_queue_depth ",
                  pool_->queue_depth(), "\n",
                  "# HELP nlpd_workers_stuck Workers held past a deadline by "
                  "an in-process plugin.\n"
                  "# TYPE nlpd_workers_stuck gauge\nnlpd_workers_stuck ",
                  pool_->stuck_count(), "\n");
  const v1::ListPluginsResponse list = plugins_->List();
  absl::StrAppend(&out,
                  "# HELP nlpd_plugin_info A loaded plugin: version, file "
                  "hash, isolation and state.\n"
                  "# TYPE nlpd_plugin_info gauge\n");
  for (const v1::PluginInfo& plugin : list.plugins()) {
    absl::StrAppend(
        &out, "nlpd_plugin_info{plugin=\"", PrometheusLabel(plugin.name()),
        "\",version=\"", PrometheusLabel(plugin.version()), "\",sha256=\"",
        plugin.sha256(), "\",isolation=\"",
        plugin.isolation() == v1::PROCESS ? "process" : "in_process",
        "\",state=\"", v1::PluginInfo::State_Name(plugin.state()), "\"} 1\n");
  }
  absl::StrAppend(&out,
                  "# HELP nlpd_plugin_restarts_total Restarts of an isolated "
                  "plugin's process.\n"
                  "# TYPE nlpd_plugin_restarts_total counter\n");
  for (const v1::PluginInfo& plugin : list.plugins()) {
    absl::StrAppend(&out, "nlpd_plugin_restarts_total{plugin=\"",
                    PrometheusLabel(plugin.name()), "\"} ", plugin.restarts(),
                    "\n");
  }
  absl::StrAppend(&out,
                  "# HELP nlpd_plugin_load_errors Plugin files found but "
                  "refused.\n# TYPE nlpd_plugin_load_errors gauge\n"
                  "nlpd_plugin_load_errors ",
                  list.load_errors_size(), "\n");
  absl::StrAppend(&out,
                  "# HELP nlpd_process_resident_memory_bytes Resident memory "
                  "of the server process.\n"
                  "# TYPE nlpd_process_resident_memory_bytes gauge\n"
                  "nlpd_process_resident_memory_bytes ",
                  ResidentBytes(getpid()), "\n");
  absl::StrAppend(&out,
                  "# HELP nlpd_build_info The server's version.\n"
                  "# TYPE nlpd_build_info gauge\nnlpd_build_info{version=\"",
                  PrometheusLabel(server_info_.version()), "\",build_type=\"",
                  PrometheusLabel(server_info_.build_type()),
                  "\",abi_version=\"", server_info_.abi_version(), "\"} 1\n");
  return out;
}

}  // namespace nlpd
