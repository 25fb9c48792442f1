#include "service/server.h"

#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "common/build_info.h"
#include "common/file.h"
#include "common/log.h"
#include "config/server_config.h"
#include "service/reflection_service.h"

namespace nlpd {
namespace {

// Room for the request's other fields beside the text.
constexpr uint64_t kMessageOverheadBytes = uint64_t{64} * 1024;
constexpr int kGrpcDefaultMaxMessageBytes = 4 * 1024 * 1024;
constexpr size_t kAdminQueue = 16;

// "HOST:PORT" -> HOST, keeping brackets of IPv6 addresses.
std::string HostOf(const std::string& listen) {
  size_t colon = listen.rfind(':');
  return colon == std::string::npos ? listen : listen.substr(0, colon);
}

v1::ServerInfo MakeServerInfo() {
  v1::ServerInfo info;
  info.set_version(std::string(BuildVersion()));
  info.set_build_type(std::string(BuildType()));
  info.set_abi_version(AbiVersion());
  return info;
}

// Plain text, TLS, or mutual TLS, from the config.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeCredentials(
    const v1::ServerConfig& config) {
  if (config.tls_cert().empty() != config.tls_key().empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert and --tls_key go together: give both or neither");
  }
  if (config.tls_cert().empty()) {
    if (!config.tls_client_ca().empty()) {
      return absl::InvalidArgumentError(
          "--tls_client_ca needs --tls_cert and --tls_key");
    }
    return grpc::InsecureServerCredentials();
  }
  absl::StatusOr<std::string> cert = ReadFile("tls_cert", config.tls_cert());
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadFile("tls_key", config.tls_key());
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({*key, *cert});
  if (!config.tls_client_ca().empty()) {
    absl::StatusOr<std::string> ca =
        ReadFile("tls_client_ca", config.tls_client_ca());
    if (!ca.ok()) return ca.status();
    options.pem_root_certs = *ca;
    options.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(options);
}

// A new private directory under $TMPDIR (or /tmp).
absl::StatusOr<std::string> MakeRuntimeDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = absl::StrCat(
      tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/nlpd-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(
        absl::StrCat("cannot create a runtime directory ", pattern));
  }
  return pattern;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(
    const v1::ServerConfig& config, const std::string& plugin_host_binary) {
  std::unique_ptr<Server> server(new Server());
  server->config_ = config;
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      MakeCredentials(config);
  if (!credentials.ok()) return credentials.status();
  if (!config.auth_tokens().empty()) {
    absl::StatusOr<TokenAuth> auth = TokenAuth::Load(config.auth_tokens());
    if (!auth.ok()) return auth.status();
    server->auth_ = *std::move(auth);
    if (config.tls_cert().empty()) {
      Log(LogLevel::kWarning,
          "--auth_tokens without --tls_cert: tokens travel in plain text");
    }
  }

  absl::StatusOr<std::unique_ptr<text::TextPipeline>> text_pipeline =
      text::TextPipeline::Create();
  if (!text_pipeline.ok()) {
    return absl::InternalError(
        absl::StrCat("text pipeline: ", text_pipeline.status().message()));
  }
  server->text_pipeline_ = *std::move(text_pipeline);
  absl::StatusOr<std::string> runtime_dir = MakeRuntimeDir();
  if (!runtime_dir.ok()) return runtime_dir.status();
  server->runtime_dir_ = *std::move(runtime_dir);

  PluginManagerOptions options;
  options.directories.assign(config.plugin_dirs().begin(),
                             config.plugin_dirs().end());
  if (options.directories.empty()) {
    Log(LogLevel::kWarning,
        "no plugin directory given or found; serving the text pipeline only");
  }
  options.files.assign(config.python_plugins().begin(),
                       config.python_plugins().end());
  if (!options.files.empty()) {
    absl::StatusOr<std::string> python = FindPython(config.python());
    if (!python.ok()) return python.status();
    options.isolation.python_host_command = {*python, "-m", "nlpd.plugin_host"};
  }
  options.configs = config.plugins();
  options.default_isolation = config.default_isolation();
  options.isolation.host_binary = plugin_host_binary;
  options.isolation.runtime_dir = server->runtime_dir_;
  options.isolation.memory_limit_bytes = config.plugin_memory_limit_mb() << 20;
  options.allow_insecure_plugins = config.allow_insecure_plugins();
  options.isolation.deadline_grace =
      absl::Seconds(config.deadline_grace_seconds());
  server->plugins_ = std::make_unique<PluginManager>(std::move(options));
  server->plugins_->Reload();
  // A misspelt name in --isolate or the config would silently run a plugin
  // in process: say so.
  for (const auto& [name, plugin_config] : config.plugins()) {
    if (server->plugins_->Current()->Find(name) == nullptr &&
        !plugin_config.disabled()) {
      Log(LogLevel::kWarning,
          absl::StrCat("the config (or --isolate) names plugin '", name,
                       "', but no loaded plugin has that name"));
    }
  }
  if (config.strict_plugins()) {
    std::vector<std::string> refusals;
    for (const v1::PluginLoadError& error :
         server->plugins_->Current()->load_errors()) {
      refusals.push_back(error.message());
    }
    if (!refusals.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "--strict_plugins: ", refusals.size(),
          " plugin file(s) refused: ", absl::StrJoin(refusals, "; ")));
    }
  }

  WorkerPoolOptions pool_options;
  pool_options.threads = config.workers();
  pool_options.queue_capacity = config.queue_size();
  pool_options.stuck_after = absl::Seconds(config.deadline_grace_seconds());
  pool_options.max_replacements = config.workers();
  server->pool_ = std::make_unique<WorkerPool>(pool_options);
  WorkerPoolOptions admin_options;
  admin_options.threads = 1;
  admin_options.queue_capacity = kAdminQueue;
  server->admin_executor_ = std::make_unique<WorkerPool>(admin_options);
  server->analyzer_ = std::make_unique<Analyzer>(
      server->text_pipeline_.get(), server->plugins_.get(),
      config.max_text_bytes(), &server->metrics_);
  server->service_ = std::make_unique<AnalysisService>(
      server->analyzer_.get(), server->plugins_.get(), server->pool_.get(),
      &server->auth_, &server->metrics_, config.stream_window(),
      MakeServerInfo());
  server->admin_service_ = std::make_unique<AdminService>(
      server->plugins_.get(), server->admin_executor_.get(), &server->auth_,
      MakeServerInfo());

  grpc::EnableDefaultHealthCheckService(true);
  // Our own reflection (service/reflection_service.h), not grpc++'s: it
  // describes the result types of isolated and Python plugins too. grpc++'s
  // plugin must stay unlinked: it registers the same reflection.proto with
  // protobuf, and a second registration aborts the process.
  std::vector<std::string> services = {
      std::string(v1::AnalysisService::service_full_name()),
      std::string(v1::Admin::service_full_name()), "grpc.health.v1.Health"};
  for (std::string& name : ReflectionService::ServiceNames()) {
    services.push_back(std::move(name));
  }
  server->reflection_ = std::make_unique<ReflectionService>(
      server->plugins_.get(), std::move(services));
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default, which lets a second server bind the
  // same port and silently share its traffic; a busy port must be an error.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  int port = 0;
  builder.AddListeningPort(config.listen(), *credentials, &port);
  builder.RegisterService(server->service_.get());
  builder.RegisterService(server->admin_service_.get());
  builder.RegisterService(server->reflection_->v1());
  builder.RegisterService(server->reflection_->v1alpha());
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
  if (!config.metrics_listen().empty()) {
    server->metrics_endpoint_ = std::make_unique<MetricsEndpoint>(
        &server->metrics_, server->plugins_.get(), server->pool_.get(),
        MakeServerInfo());
    if (absl::Status started =
            server->metrics_endpoint_->Start(config.metrics_listen());
        !started.ok()) {
      server->Shutdown(absl::ZeroDuration());
      return started;
    }
    Log(LogLevel::kInfo,
        absl::StrCat("metrics on http://", server->metrics_endpoint_->address(),
                     "/metrics"));
  }
  if (!config.http_listen().empty()) {
    absl::StatusOr<std::unique_ptr<HttpGateway>> http = HttpGateway::Start(
        config.http_listen(),
        {server->analyzer_.get(), server->plugins_.get(), server->pool_.get(),
         &server->auth_, MakeServerInfo(), config.max_text_bytes(),
         config.tls_cert(), config.tls_key(), config.tls_client_ca()});
    if (!http.ok()) return http.status();
    server->http_ = *std::move(http);
  }
  server->grpc_server_->GetHealthCheckService()->SetServingStatus(true);
  Log(LogLevel::kInfo,
      absl::StrCat("serving ", server->plugins_->Current()->plugins().size(),
                   " plugins with ", server->pool_->thread_count(),
                   " workers on ", server->address_));
  return server;
}

Server::~Server() {
  if (Shutdown(absl::ZeroDuration()) > 0) {
    // Stuck threads still use all of it (see Shutdown): leak it on purpose.
    (void)text_pipeline_.release();
    (void)plugins_.release();
    (void)pool_.release();
    (void)admin_executor_.release();
    (void)analyzer_.release();
    (void)service_.release();
    (void)admin_service_.release();
    (void)reflection_.release();
    return;
  }
  // Plugins (and isolated children) go before the runtime directory.
  reflection_.reset();
  admin_service_.reset();
  service_.reset();
  analyzer_.reset();
  plugins_.reset();
  if (!runtime_dir_.empty()) {
    std::error_code error;
    std::filesystem::remove_all(runtime_dir_, error);
  }
}

void Server::ReloadPluginsInBackground() {
  if (admin_executor_ == nullptr) return;
  PluginManager* plugins = plugins_.get();
  if (!admin_executor_->TrySubmit([plugins] {
        v1::PluginChanges changes = plugins->Reload();
        Log(LogLevel::kInfo,
            absl::StrCat("reload: ", changes.changes_size(), " change(s)"));
      })) {
    Log(LogLevel::kWarning, "reload not started: the admin queue is full");
  }
}

size_t Server::Shutdown(absl::Duration grace) {
  if (shut_down_) return stuck_workers_;
  shut_down_ = true;
  if (http_ != nullptr) http_->Stop(grace);
  if (metrics_endpoint_ != nullptr) metrics_endpoint_->Stop();
  if (grpc_server_ != nullptr) {
    grpc_server_->GetHealthCheckService()->SetServingStatus(false);
    // gRPC's Shutdown cancels the calls left at the deadline but then waits
    // for their handlers, and a worker stuck in an in-process plugin never
    // returns. Past the grace, stuck workers are abandoned instead.
    const absl::Time deadline = absl::Now() + grace;
    auto done = std::make_shared<absl::Notification>();
    std::thread stopper([server = grpc_server_.get(), deadline, done] {
      server->Shutdown(absl::ToChronoTime(deadline));
      done->Notify();
    });
    const absl::Duration allowance =
        absl::Seconds(config_.deadline_grace_seconds()) + absl::Seconds(1);
    while (!done->WaitForNotificationWithTimeout(absl::Milliseconds(100))) {
      if (absl::Now() > deadline + allowance && pool_ != nullptr &&
          pool_->stuck_count() > 0) {
        break;
      }
    }
    if (!done->HasBeenNotified()) {
      stopper.detach();
      stuck_workers_ = pool_->stuck_count();
      Log(LogLevel::kWarning,
          absl::StrCat("abandoning ", stuck_workers_,
                       " call(s) whose worker is stuck in a plugin"));
      // Still shutting down on the detached thread: leaked on purpose.
      grpc::Server* leaked = grpc_server_.release();
      (void)leaked;
      return stuck_workers_;
    }
    stopper.join();
  }
  if (admin_executor_ != nullptr) admin_executor_->Shutdown();
  if (pool_ != nullptr) stuck_workers_ = pool_->Shutdown();
  return stuck_workers_;
}

}  // namespace nlpd
