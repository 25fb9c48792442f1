// nlpd-plugin-host: runs one plugin library in its own process, so that a
// plugin that crashes, hangs or leaks takes only this process down.
//
//   nlpd-plugin-host --plugin=FILE --socket=PATH
//       Loads FILE, serves nlpd.v1.PluginHost (plugin_host.proto) on the
//       Unix socket PATH, prints "ready" (or "error: ...") on stdout, and
//       dies with its parent (PR_SET_PDEATHSIG).
//   nlpd-plugin-host --probe --plugin=FILE
//       Loads FILE, prints a serialized nlpd.v1.PluginProbe on stdout and
//       exits. The server probes every file this way before loading it.
#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/build_info.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor_database.h"
#include "nlpd/v1/plugin_host.grpc.pb.h"
#include "plugin_host/host_analyze.h"
#include "plugins/plugin_loader.h"
#include "service/grpc_status.h"

ABSL_FLAG(std::string, plugin, "", "The plugin library (libnlpd_<name>.so)");
ABSL_FLAG(std::string, socket, "", "Unix socket path to serve on");
ABSL_FLAG(bool, probe, false,
          "Print a serialized nlpd.v1.PluginProbe for --plugin and exit");

namespace nlpd {
namespace {

std::set<std::string> GeneratedFileNames() {
  std::vector<std::string> names;
  google::protobuf::DescriptorPool::internal_generated_database()
      ->FindAllFileNames(&names);
  return std::set<std::string>(names.begin(), names.end());
}

int Probe(const std::string& path) {
  const std::set<std::string> before = GeneratedFileNames();
  absl::StatusOr<PluginLibrary> library = OpenPluginLibrary(path);
  v1::PluginProbe probe;
  if (library.ok()) {
    *probe.mutable_info() = library->info;
  } else {
    probe.set_error(std::string(library.status().message()));
  }
  for (const std::string& name : GeneratedFileNames()) {
    if (before.count(name) == 0) probe.add_registered_files(name);
  }
  std::string bytes = probe.SerializeAsString();
  return std::fwrite(bytes.data(), 1, bytes.size(), stdout) == bytes.size() &&
                 std::fflush(stdout) == 0
             ? 0
             : 1;
}

// Serves one plugin. Start must come first; Analyze calls run concurrently
// on gRPC's threads (InProcessPlugin serializes a non-thread-safe plugin),
// inline in the callback that received them: blocking gRPC's threads is
// what this process is for, and it saves a thread hop per call.
class PluginHostService final : public v1::PluginHost::CallbackService {
 public:
  explicit PluginHostService(PluginLibrary library)
      : library_(std::move(library)) {}

  grpc::ServerUnaryReactor* Start(grpc::CallbackServerContext* context,
                                  const v1::StartPluginRequest* request,
                                  v1::StartPluginResponse* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(DoStart(*request, response));
    return reactor;
  }

  grpc::ServerUnaryReactor* Analyze(
      grpc::CallbackServerContext* context,
      const v1::HostAnalyzeRequest* request,
      v1::HostAnalyzeResponse* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(DoAnalyze(context, *request, response));
    return reactor;
  }

 private:
  grpc::Status DoStart(const v1::StartPluginRequest& request,
                       v1::StartPluginResponse* response) {
    absl::MutexLock lock(&mutex_);
    if (plugin_ != nullptr) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "the plugin was already started");
    }
    absl::StatusOr<std::unique_ptr<Plugin>> plugin =
        InstantiatePlugin(library_, request.config());
    if (!plugin.ok()) return ToGrpcStatus(plugin.status());
    plugin_ = *std::move(plugin);
    *response->mutable_info() = plugin_->info();
    response->set_pid(getpid());
    return grpc::Status::OK;
  }

  grpc::Status DoAnalyze(grpc::CallbackServerContext* context,
                         const v1::HostAnalyzeRequest& request,
                         v1::HostAnalyzeResponse* response) {
    const Plugin* plugin = nullptr;
    {
      absl::MutexLock lock(&mutex_);
      plugin = plugin_.get();
    }
    if (plugin == nullptr) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "Analyze before Start");
    }
    HostAnalyze(
        *plugin, request, [context] { return context->IsCancelled(); },
        response);
    return grpc::Status::OK;
  }

  const PluginLibrary library_;
  absl::Mutex mutex_;
  // Set once by Start; lives until the process exits.
  std::unique_ptr<Plugin> plugin_ ABSL_GUARDED_BY(mutex_);
};

int Serve(const std::string& path, const std::string& socket) {
  // Die with the server, whatever way it goes.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() == 1) return 1;
  absl::StatusOr<PluginLibrary> library = OpenPluginLibrary(path);
  if (!library.ok()) {
    std::printf("error: %s\n", std::string(library.status().message()).c_str());
    return 1;
  }
  PluginHostService service(*std::move(library));
  grpc::ServerBuilder builder;
  builder.AddListeningPort("unix:" + socket, grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  builder.SetMaxReceiveMessageSize(-1);
  builder.SetMaxSendMessageSize(-1);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) {
    std::printf("error: cannot listen on unix:%s\n", socket.c_str());
    return 1;
  }
  std::printf("ready\n");
  std::fflush(stdout);
  // The server reads nothing more: a plugin's stray printf must not hit a
  // closed pipe. Plugins log through the host API (stderr).
  if (int null_fd = open("/dev/null", O_WRONLY); null_fd >= 0) {
    dup2(null_fd, STDOUT_FILENO);
    close(null_fd);
  }
  server->Wait();
  return 0;
}

}  // namespace
}  // namespace nlpd

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "runs one nlpd plugin in its own process (started by nlpd).\n"
      "Usage: nlpd-plugin-host --plugin=FILE (--socket=PATH | --probe)");
  absl::FlagsUsageConfig usage_config;
  usage_config.version_string = [] {
    return nlpd::VersionLine("nlpd-plugin-host");
  };
  absl::SetFlagsUsageConfig(std::move(usage_config));
  absl::ParseCommandLine(argc, argv);
  const std::string plugin = absl::GetFlag(FLAGS_plugin);
  if (plugin.empty()) {
    std::fprintf(stderr, "nlpd-plugin-host: --plugin is required\n");
    return 2;
  }
  if (absl::GetFlag(FLAGS_probe)) return nlpd::Probe(plugin);
  const std::string socket = absl::GetFlag(FLAGS_socket);
  if (socket.empty()) {
    std::fprintf(stderr, "nlpd-plugin-host: --socket or --probe is required\n");
    return 2;
  }
  return nlpd::Serve(plugin, socket);
}
