// nlpd: the text-analysis server. Parses flags, loads the config, starts the
// server, reloads its plugins on SIGHUP, and shuts it down gracefully on
// SIGINT or SIGTERM.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/build_info.h"
#include "common/log.h"
#include "common/repeated_flag.h"
#include "config/server_config.h"
#include "service/server.h"

ABSL_FLAG(std::string, listen, "",
          "Address to serve on, HOST:PORT (default 127.0.0.1:50051; port 0 "
          "picks a free port)");
ABSL_FLAG(std::vector<std::string>, plugin_dir, {},
          "Directory with libnlpd_*.so plugins; repeat the flag for several "
          "(default: the built-in plugins next to the binary)");
ABSL_FLAG(std::string, config, "",
          "Text-format nlpd.v1.ServerConfig file; flags override its fields");
ABSL_FLAG(uint32_t, workers, 0, "Analysis threads (default: one per core)");
ABSL_FLAG(uint32_t, queue_size, 0,
          "Documents that may wait for a worker before calls get "
          "RESOURCE_EXHAUSTED (default: 64 per worker)");
ABSL_FLAG(uint64_t, max_text_bytes, 0,
          "Largest text accepted, in bytes (default: 1048576)");
ABSL_FLAG(uint32_t, stream_window, 0,
          "Requests of one AnalyzeStream in flight (default: 2 per worker)");
ABSL_FLAG(double, shutdown_grace_seconds, 30,
          "On SIGINT/SIGTERM, time given to in-flight calls before they are "
          "cancelled");
ABSL_FLAG(std::vector<std::string>, isolate, {},
          "Plugins to run in a child process each (NAME,NAME,... or 'all'): "
          "a crash, hang or memory overrun then loses only the child, which "
          "the server restarts");
ABSL_FLAG(uint64_t, plugin_memory_limit_mb, 0,
          "Largest resident memory of an isolated plugin's process in MiB; "
          "above it the process is killed and restarted (default: no limit)");
ABSL_FLAG(double, deadline_grace_seconds, 0,
          "Time a plugin may run past its call's deadline before an isolated "
          "plugin's process is killed or a stuck worker is replaced "
          "(default: 1)");
ABSL_FLAG(bool, strict_plugins, false,
          "Exit with status 1 when any plugin file found cannot be loaded");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain: serve TLS only (with --tls_key)");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA certificate: clients must present a certificate it signed "
          "(mutual TLS)");
ABSL_FLAG(std::string, auth_tokens, "",
          "File of bearer tokens, one per line, ' admin' after those allowed "
          "to use nlpd.v1.Admin; callers send 'authorization: Bearer TOKEN'");
ABSL_FLAG(bool, allow_insecure_plugins, false,
          "Load plugin files that other users can write (default: refuse "
          "them)");
ABSL_FLAG(std::string, metrics_listen, "",
          "Serve Prometheus metrics at http://HOST:PORT/metrics");
ABSL_FLAG(std::string, log_format, "text",
          "Log lines as 'text' or 'json' (one JSON object per line)");
ABSL_FLAG(std::string, http_listen, "",
          "Also serve HTTP/JSON (POST /v1/analyze, GET /v1/plugins, GET "
          "/healthz) on HOST:PORT; HTTPS with --tls_cert");
ABSL_FLAG(std::vector<std::string>, python_plugin, {},
          "A plugin written in Python (a .py file with one nlpd.plugin.Plugin "
          "subclass), served in its own process; repeatable");
ABSL_FLAG(std::string, python, "",
          "Python interpreter for --python_plugin (default: $VIRTUAL_ENV's, "
          "else python3 on $PATH); it must have the nlpd package");
ABSL_FLAG(bool, verbose, false, "Log debug messages");

namespace {

int Fail(absl::string_view message) {
  nlpd::Log(nlpd::LogLevel::kError, message);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  // Debian builds Abseil with its debug checks, and absl::Mutex then builds
  // a lock graph for deadlock detection on every lock; a debugging aid with
  // a cost on every call, off in a release server (the tests' ThreadSanitizer
  // and the lock annotations do that job).
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::SetProgramUsageMessage(
      "text-analysis server (gRPC, nlpd.v1.AnalysisService).\n"
      "Usage: nlpd [--listen=HOST:PORT] [--plugin_dir=DIR]... "
      "[--python_plugin=FILE.py]... [--config=FILE]");
  std::vector<std::string> plugin_dirs =
      nlpd::CollectRepeatedFlag(argc, argv, "plugin_dir");
  std::vector<std::string> python_plugins =
      nlpd::CollectRepeatedFlag(argc, argv, "python_plugin");
  absl::FlagsUsageConfig usage_config;
  usage_config.version_string = [] { return nlpd::VersionLine("nlpd"); };
  absl::SetFlagsUsageConfig(std::move(usage_config));
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_verbose)) nlpd::SetLogLevel(nlpd::LogLevel::kDebug);
  if (const std::string format = absl::GetFlag(FLAGS_log_format);
      format == "json") {
    nlpd::SetLogFormat(nlpd::LogFormat::kJson);
  } else if (format != "text") {
    return Fail("--log_format must be 'text' or 'json'");
  }

  // Block the signals the server handles in every thread; the main thread
  // waits for them with sigwait below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  nlpd::v1::ServerConfig config;
  if (const std::string path = absl::GetFlag(FLAGS_config); !path.empty()) {
    absl::StatusOr<nlpd::v1::ServerConfig> loaded =
        nlpd::LoadServerConfig(path);
    if (!loaded.ok()) return Fail(loaded.status().message());
    config = *std::move(loaded);
  }
  if (!absl::GetFlag(FLAGS_listen).empty()) {
    config.set_listen(absl::GetFlag(FLAGS_listen));
  }
  if (!plugin_dirs.empty()) {
    config.clear_plugin_dirs();
    for (const std::string& dir : plugin_dirs) config.add_plugin_dirs(dir);
  }
  for (const std::string& file : python_plugins) {
    config.add_python_plugins(file);
  }
  if (std::string v = absl::GetFlag(FLAGS_python); !v.empty()) {
    config.set_python(v);
  }
  if (uint32_t v = absl::GetFlag(FLAGS_workers)) config.set_workers(v);
  if (uint32_t v = absl::GetFlag(FLAGS_queue_size)) config.set_queue_size(v);
  if (uint64_t v = absl::GetFlag(FLAGS_max_text_bytes)) {
    config.set_max_text_bytes(v);
  }
  if (uint32_t v = absl::GetFlag(FLAGS_stream_window)) {
    config.set_stream_window(v);
  }
  for (const std::string& name : absl::GetFlag(FLAGS_isolate)) {
    if (name == "all") {
      config.set_default_isolation(nlpd::v1::PROCESS);
    } else if (!name.empty()) {
      (*config.mutable_plugins())[name].set_isolation(nlpd::v1::PROCESS);
    }
  }
  if (uint64_t v = absl::GetFlag(FLAGS_plugin_memory_limit_mb)) {
    config.set_plugin_memory_limit_mb(v);
  }
  if (double v = absl::GetFlag(FLAGS_deadline_grace_seconds); v > 0) {
    config.set_deadline_grace_seconds(v);
  }
  if (absl::GetFlag(FLAGS_strict_plugins)) config.set_strict_plugins(true);
  if (std::string v = absl::GetFlag(FLAGS_tls_cert); !v.empty()) {
    config.set_tls_cert(v);
  }
  if (std::string v = absl::GetFlag(FLAGS_tls_key); !v.empty()) {
    config.set_tls_key(v);
  }
  if (std::string v = absl::GetFlag(FLAGS_tls_client_ca); !v.empty()) {
    config.set_tls_client_ca(v);
  }
  if (std::string v = absl::GetFlag(FLAGS_auth_tokens); !v.empty()) {
    config.set_auth_tokens(v);
  }
  if (std::string v = absl::GetFlag(FLAGS_metrics_listen); !v.empty()) {
    config.set_metrics_listen(v);
  }
  if (absl::GetFlag(FLAGS_allow_insecure_plugins)) {
    config.set_allow_insecure_plugins(true);
  }
  if (std::string v = absl::GetFlag(FLAGS_http_listen); !v.empty()) {
    config.set_http_listen(v);
  }
  nlpd::ApplyDefaults(nlpd::BuiltInPluginDirs("/proc/self/exe"), &config);

  absl::StatusOr<std::unique_ptr<nlpd::Server>> server =
      nlpd::Server::Start(config, nlpd::PluginHostBinary("/proc/self/exe"));
  if (!server.ok()) return Fail(server.status().message());
  // Scripts and tests wait for this line to learn the bound port.
  std::printf("nlpd listening on %s\n", (*server)->address().c_str());
  std::fflush(stdout);

  int signal_number = 0;
  while (sigwait(&signals, &signal_number) == 0 && signal_number == SIGHUP) {
    nlpd::Log(nlpd::LogLevel::kInfo,
              "received SIGHUP, rescanning the plugin directories");
    (*server)->ReloadPluginsInBackground();
  }
  nlpd::Log(nlpd::LogLevel::kInfo,
            absl::StrCat("received ", strsignal(signal_number),
                         ", finishing in-flight calls"));
  const size_t stuck = (*server)->Shutdown(
      absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)));
  if (stuck > 0) {
    // Their threads still run plugin code: destroying the plugins under
    // them could crash, so leave without destructors.
    nlpd::Log(
        nlpd::LogLevel::kWarning,
        absl::StrCat("stopped; ", stuck, " worker(s) were stuck in a plugin"));
    std::fflush(stdout);
    std::_Exit(0);
  }
  server->reset();
  nlpd::Log(nlpd::LogLevel::kInfo, "stopped");
  return 0;
}
