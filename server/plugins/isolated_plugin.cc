#include "plugins/isolated_plugin.h"

#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "common/subprocess.h"
#include "nlpd/v1/plugin_host.grpc.pb.h"
#include "plugin_host/host_analyze.h"

namespace nlpd {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(60);
constexpr absl::Duration kPollInterval = absl::Milliseconds(50);
constexpr absl::Duration kFirstBackoff = absl::Milliseconds(100);
constexpr absl::Duration kMaxBackoff = absl::Seconds(10);
// A child that lived this long resets the backoff.
constexpr absl::Duration kStableAfter = absl::Seconds(10);
// How long a call without a deadline waits for a restarting child.
constexpr absl::Duration kMaxRestartWait = absl::Seconds(30);

// Ends a child that is not needed any more: SIGTERM, then SIGKILL.
void StopProcess(pid_t pid) {
  kill(pid, SIGTERM);
  const absl::Time deadline = absl::Now() + absl::Seconds(2);
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (absl::Now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
}

}  // namespace

bool IsPythonPluginFile(const std::string& path) {
  return absl::EndsWith(path, ".py");
}

std::vector<std::string> IsolationOptions::HostCommandFor(
    const std::string& path) const {
  if (IsPythonPluginFile(path)) return python_host_command;
  return {host_binary};
}

struct IsolatedPlugin::Child {
  pid_t pid = -1;
  std::string socket_path;
  absl::Time started;
  std::unique_ptr<v1::PluginHost::Stub> stub;

  absl::Mutex mutex;
  // Why the server killed it, set before the signal is sent.
  std::string kill_reason ABSL_GUARDED_BY(mutex);
  // What became of it, set once it was reaped.
  std::string exit_reason ABSL_GUARDED_BY(mutex);
  // True once the process has exited: its pid may be reused, so no more
  // signals.
  bool exited ABSL_GUARDED_BY(mutex) = false;
  absl::Notification reaped;

  // Kills the child with SIGKILL, once, recording why.
  void Kill(const std::string& reason) {
    absl::MutexLock lock(&mutex);
    if (exited) return;
    if (kill_reason.empty()) kill_reason = reason;
    kill(pid, SIGKILL);
  }
};

IsolatedPlugin::IsolatedPlugin(v1::PluginInfo info, std::string config,
                               IsolationOptions options)
    : Plugin(std::move(info)),
      config_(std::move(config)),
      options_(std::move(options)) {}

absl::StatusOr<std::unique_ptr<IsolatedPlugin>> IsolatedPlugin::Start(
    v1::PluginInfo info, std::string config, IsolationOptions options) {
  info.set_isolation(v1::PROCESS);
  std::unique_ptr<IsolatedPlugin> plugin(new IsolatedPlugin(
      std::move(info), std::move(config), std::move(options)));
  absl::StatusOr<std::shared_ptr<Child>> child = plugin->SpawnChild();
  if (!child.ok()) return child.status();
  {
    absl::MutexLock lock(&plugin->mutex_);
    plugin->child_ = *std::move(child);
  }
  plugin->supervisor_ = std::thread([raw = plugin.get()] { raw->Supervise(); });
  return plugin;
}

IsolatedPlugin::~IsolatedPlugin() {
  std::shared_ptr<Child> child;
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
    child = std::move(child_);
  }
  if (supervisor_.joinable()) supervisor_.join();
  if (child != nullptr) {
    StopProcess(child->pid);
    unlink(child->socket_path.c_str());
  }
}

absl::StatusOr<std::shared_ptr<IsolatedPlugin::Child>>
IsolatedPlugin::SpawnChild() {
  uint64_t sequence = 0;
  {
    absl::MutexLock lock(&mutex_);
    sequence = ++spawned_;
  }
  auto child = std::make_shared<Child>();
  child->socket_path =
      absl::StrCat(options_.runtime_dir, "/", name(), ".", sequence, ".sock");
  unlink(child->socket_path.c_str());
  std::vector<std::string> argv = options_.HostCommandFor(info().path());
  argv.push_back("--plugin=" + info().path());
  argv.push_back("--socket=" + child->socket_path);
  absl::StatusOr<ChildProcess> process =
      SpawnProcess(argv, /*capture_stderr=*/false);
  if (!process.ok()) {
    return absl::UnavailableError(
        absl::StrCat("plugin '", name(), "': ", process.status().message()));
  }
  child->pid = process->pid;
  child->started = absl::Now();
  auto fail = [&](absl::StatusCode code, absl::string_view why) {
    kill(child->pid, SIGKILL);
    int status = 0;
    waitpid(child->pid, &status, 0);
    unlink(child->socket_path.c_str());
    return absl::Status(code,
                        absl::StrCat("plugin '", name(), "' (", info().path(),
                                     "): its process ", why));
  };
  absl::StatusOr<std::string> line =
      ReadLine(process->stdout_fd, absl::Now() + kStartTimeout);
  if (!line.ok()) {
    return fail(absl::StatusCode::kUnavailable,
                absl::StrCat("did not start: ", line.status().message()));
  }
  if (absl::StartsWith(*line, "error: ")) {
    return fail(absl::StatusCode::kFailedPrecondition,
                absl::StrCat("refused the file: ", line->substr(7)));
  }
  if (*line != "ready") {
    return fail(absl::StatusCode::kUnavailable,
                absl::StrCat("said '", *line, "' instead of 'ready'"));
  }
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(-1);
  arguments.SetMaxSendMessageSize(-1);
  // Each child gets its own connection, not one shared through gRPC's
  // subchannel pool with a child of the same socket path.
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  child->stub = v1::PluginHost::NewStub(
      grpc::CreateCustomChannel("unix:" + child->socket_path,
                                grpc::InsecureChannelCredentials(), arguments));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kStartTimeout));
  context.set_wait_for_ready(true);
  v1::StartPluginRequest request;
  request.set_config(config_);
  v1::StartPluginResponse response;
  grpc::Status status = child->stub->Start(&context, request, &response);
  if (!status.ok()) {
    return fail(
        status.error_code() == grpc::StatusCode::FAILED_PRECONDITION
            ? absl::StatusCode::kFailedPrecondition
            : absl::StatusCode::kUnavailable,
        absl::StrCat("could not create the plugin: ", status.error_message()));
  }
  return child;
}

std::shared_ptr<IsolatedPlugin::Child> IsolatedPlugin::ReadyChild(
    absl::Time deadline) const {
  absl::MutexLock lock(&mutex_);
  auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return child_ != nullptr || stopping_;
  };
  mutex_.AwaitWithDeadline(absl::Condition(&ready),
                           std::min(deadline, absl::Now() + kMaxRestartWait));
  return child_;
}

absl::StatusOr<std::string> IsolatedPlugin::Analyze(
    const PluginCall& call) const {
  const absl::Time deadline = call.context->deadline;
  std::shared_ptr<Child> child = ReadyChild(deadline);
  if (child == nullptr) {
    absl::MutexLock lock(&mutex_);
    return absl::UnavailableError(absl::StrCat(
        "plugin '", name(),
        "' (isolated) is restarting; its process was lost: ", last_failure_));
  }
  v1::HostAnalyzeRequest request;
  request.set_request(call.request.data(), call.request.size());
  request.set_text(call.text.data(), call.text.size());
  request.set_language(*call.language);
  grpc::ClientContext context;
  if (deadline != absl::InfiniteFuture()) {
    request.set_deadline_unix_micros(absl::ToUnixMicros(deadline));
    context.set_deadline(
        absl::ToChronoTime(deadline + options_.deadline_grace));
  }
  v1::HostAnalyzeResponse response;
  grpc::Status status = child->stub->Analyze(&context, request, &response);
  if (status.ok()) return FromHostAnalyzeResponse(std::move(response));
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    child->Kill(absl::StrCat("killed by the server: a call was still running ",
                             absl::FormatDuration(options_.deadline_grace),
                             " after its deadline"));
    return absl::DeadlineExceededError(
        absl::StrCat("plugin '", name(),
                     "' (isolated) ran past the call's deadline; its "
                     "process ",
                     child->pid, " was killed and is being restarted"));
  }
  // A transport failure: the child is gone or going. Name what happened.
  child->reaped.WaitForNotificationWithTimeout(absl::Seconds(2));
  std::string reason;
  {
    absl::MutexLock lock(&child->mutex);
    reason = child->exit_reason;
  }
  if (reason.empty()) reason = status.error_message();
  return absl::UnavailableError(absl::StrCat(
      "plugin '", name(), "' (isolated, pid ", child->pid,
      ") was lost during this call: ", reason, "; it is being restarted"));
}

v1::PluginInfo IsolatedPlugin::Status() const {
  v1::PluginInfo status = info();
  absl::MutexLock lock(&mutex_);
  status.set_restarts(restarts_);
  status.set_last_failure(last_failure_);
  status.set_state(child_ != nullptr ? v1::PluginInfo::READY
                                     : v1::PluginInfo::RESTARTING);
  return status;
}

void IsolatedPlugin::ChildLost(const std::shared_ptr<Child>& child,
                               const std::string& reason) {
  {
    absl::MutexLock lock(&mutex_);
    if (child_ == child) child_ = nullptr;
    ++restarts_;
    last_failure_ = reason;
  }
  unlink(child->socket_path.c_str());
  Log(LogLevel::kError,
      absl::StrCat("plugin '", name(), "' (isolated, pid ", child->pid,
                   ") was lost: ", reason, "; restarting it"));
}

void IsolatedPlugin::Supervise() {
  // Delay before the next start; grows while starts fail or children die
  // young.
  absl::Duration backoff = kFirstBackoff;
  bool lost_before = false;
  auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return stopping_;
  };
  // Sleeps for `duration` unless the plugin is stopping; false if it is.
  auto wait = [&](absl::Duration duration) {
    absl::MutexLock lock(&mutex_);
    return !mutex_.AwaitWithTimeout(absl::Condition(&stopping), duration);
  };
  while (true) {
    std::shared_ptr<Child> child;
    {
      absl::MutexLock lock(&mutex_);
      if (stopping_) return;
      child = child_;
    }
    if (child == nullptr) {
      // The last start failed: try again.
      if (!wait(backoff)) return;
      absl::StatusOr<std::shared_ptr<Child>> next = SpawnChild();
      if (next.ok()) {
        absl::MutexLock lock(&mutex_);
        if (stopping_) {
          StopProcess((*next)->pid);
          return;
        }
        child_ = *next;
        Log(LogLevel::kInfo,
            absl::StrCat("plugin '", name(), "' (isolated) restarted, pid ",
                         (*next)->pid));
      } else {
        backoff = std::min(backoff * 2, kMaxBackoff);
        Log(LogLevel::kError,
            absl::StrCat("restarting plugin '", name(),
                         "' failed: ", next.status().message(),
                         "; next attempt in ", absl::FormatDuration(backoff)));
      }
      continue;
    }
    siginfo_t exit_info{};
    if (waitid(P_PID, child->pid, &exit_info, WEXITED | WNOHANG | WNOWAIT) ==
            0 &&
        exit_info.si_pid == child->pid) {
      {
        absl::MutexLock lock(&child->mutex);
        child->exited = true;
      }
      int status = 0;
      waitpid(child->pid, &status, 0);
      std::string reason;
      {
        absl::MutexLock lock(&child->mutex);
        reason = child->kill_reason.empty()
                     ? DescribeExitStatus(status)
                     : absl::StrCat(child->kill_reason, " (",
                                    DescribeExitStatus(status), ")");
        child->exit_reason = reason;
      }
      child->reaped.Notify();
      // The first restart is quick; a crash loop backs off.
      backoff = !lost_before || absl::Now() - child->started > kStableAfter
                    ? kFirstBackoff
                    : std::min(backoff * 2, kMaxBackoff);
      lost_before = true;
      ChildLost(child, reason);
      continue;
    }
    if (options_.memory_limit_bytes > 0) {
      const uint64_t resident = ResidentBytes(child->pid);
      if (resident > options_.memory_limit_bytes) {
        child->Kill(
            absl::StrCat("killed by the server: its resident memory grew to ",
                         resident >> 20, " MiB, over the limit of ",
                         options_.memory_limit_bytes >> 20,
                         " MiB (--plugin_memory_limit_mb)"));
      }
    }
    if (!wait(kPollInterval)) return;
  }
}

}  // namespace nlpd
