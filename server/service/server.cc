#include "service/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log.h"

namespace nlpd {
namespace {

// Room for the request's other fields beside the text.
constexpr uint64_t kMessageOverheadBytes = uint64_t{64} * 1024;
constexpr int kGrpcDefaultMaxMessageBytes = 4 * 1024 * 1024;

// "HOST:PORT" -> HOST, keeping brackets of IPv6 addresses.
std::string HostOf(const std::string& listen) {
  size_t colon = listen.rfind(':');
  return colon == std::string::npos ? listen : listen.substr(0, colon);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    const v1::ServerConfig& config) {
  std::unique_ptr<Server> server(new Server());
  server->config_ = config;

  absl::StatusOr<std::unique_ptr<text::TextPipeline>> text_pipeline =
      text::TextPipeline::Create();
  if (!text_pipeline.ok()) {
    return absl::InternalError(
        absl::StrCat("text pipeline: ", text_pipeline.status().message()));
  }
  server->text_pipeline_ = *std::move(text_pipeline);

  std::vector<std::string> dirs(config.plugin_dirs().begin(),
                                config.plugin_dirs().end());
  if (dirs.empty()) {
    Log(LogLevel::kWarning,
        "no plugin directory given or found; serving the text pipeline only");
  }
  server->registry_ = PluginRegistry::Load(dirs, config.plugins());
  server->pool_ =
      std::make_unique<WorkerPool>(config.workers(), config.queue_size());
  server->analyzer_ = std::make_unique<Analyzer>(server->text_pipeline_.get(),
                                                 server->registry_.get(),
                                                 config.max_text_bytes());
  server->service_ = std::make_unique<AnalysisService>(
      server->analyzer_.get(), server->registry_.get(), server->pool_.get(),
      config.stream_window());

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which lets a second server bind the
  // same port and silently share its traffic; a busy port must be an error.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  int port = 0;
  builder.AddListeningPort(config.listen(), grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(server->service_.get());
  // Texts up to max_text_bytes must reach the analyzer, which rejects larger
  // ones with a clear message instead of gRPC's generic one.
  builder.SetMaxReceiveMessageSize(static_cast<int>(std::min<uint64_t>(
      std::max<uint64_t>(config.max_text_bytes() + kMessageOverheadBytes,
                         kGrpcDefaultMaxMessageBytes),
      INT32_MAX)));
  server->grpc_server_ = builder.BuildAndStart();
  if (server->grpc_server_ == nullptr || port == 0) {
    server->pool_->Shutdown();
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", config.listen(), " (address in use or invalid?)"));
  }
  server->address_ = absl::StrCat(HostOf(config.listen()), ":", port);
  server->grpc_server_->GetHealthCheckService()->SetServingStatus(true);
  Log(LogLevel::kInfo,
      absl::StrCat("serving ", server->registry_->plugins().size(),
                   " plugins with ", server->pool_->thread_count(),
                   " workers on ", server->address_));
  return server;
}

Server::~Server() { Shutdown(absl::ZeroDuration()); }

void Server::Shutdown(absl::Duration grace) {
  if (shut_down_) return;
  shut_down_ = true;
  if (grpc_server_ != nullptr) {
    grpc_server_->GetHealthCheckService()->SetServingStatus(false);
    grpc_server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  }
  if (pool_ != nullptr) pool_->Shutdown();
}

}  // namespace nlpd
