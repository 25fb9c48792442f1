// A plugin that runs in its own child process (nlpd-plugin-host), called
// over nlpd.v1.PluginHost on a Unix domain socket. A crash, a hang past a
// call's deadline (plus grace) or a memory overrun loses only the child:
// the calls it was serving fail with UNAVAILABLE naming the plugin and what
// happened, and a supervisor thread restarts the child with backoff.
#ifndef NLPD_SERVER_PLUGINS_ISOLATED_PLUGIN_H_
#define NLPD_SERVER_PLUGINS_ISOLATED_PLUGIN_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "plugins/plugin.h"

namespace nlpd {

struct IsolationOptions {
  // The nlpd-plugin-host binary: the host of plugin libraries (.so).
  std::string host_binary;
  // The command that runs the Python plugin host (a .py plugin file), such
  // as {"/usr/bin/python3", "-m", "nlpd.plugin_host"}; empty when Python
  // plugins are not configured.
  std::vector<std::string> python_host_command;
  // A private directory for the children's sockets.
  std::string runtime_dir;
  // Largest resident memory of the child in bytes; 0 = no limit.
  uint64_t memory_limit_bytes = 0;
  // How long a call may run past its deadline before the child is killed.
  absl::Duration deadline_grace = absl::Seconds(1);

  // The command (without arguments) of the plugin host that serves the
  // plugin file at `path`: the Python host for a .py file, else
  // host_binary. Both take the same arguments (--plugin, --socket,
  // --probe) and speak nlpd.v1.PluginHost. Pure.
  std::vector<std::string> HostCommandFor(const std::string& path) const;
};

// Whether `path` names a Python plugin (a .py file).
bool IsPythonPluginFile(const std::string& path);

class IsolatedPlugin final : public Plugin {
 public:
  // Starts a child for the plugin file `info.path()` and creates the plugin
  // in it with `config`. `info` is what the probe read from the file; it
  // gains the isolation and the pid-independent fields. Errors:
  // FAILED_PRECONDITION (the plugin's create() failed; its message) or
  // UNAVAILABLE (the child did not start). Blocks until the child is ready.
  static absl::StatusOr<std::unique_ptr<IsolatedPlugin>> Start(
      v1::PluginInfo info, std::string config, IsolationOptions options);

  // Stops the supervisor and the child (SIGTERM, then SIGKILL).
  ~IsolatedPlugin() override;

  // Sends the call to the child. Waits for a restarting child until the
  // call's deadline. Errors: the plugin's own error; UNAVAILABLE naming the
  // plugin and the fate of its child when the child was lost during the
  // call or is still restarting; DEADLINE_EXCEEDED when the call ran past
  // its deadline and the grace (the child is then killed). Thread-safe.
  absl::StatusOr<std::string> Analyze(const PluginCall& call) const override;

  // info() with restarts, last_failure and state. Thread-safe.
  v1::PluginInfo Status() const override;

 private:
  struct Child;

  IsolatedPlugin(v1::PluginInfo info, std::string config,
                 IsolationOptions options);

  // Starts a child and the plugin in it.
  absl::StatusOr<std::shared_ptr<Child>> SpawnChild();
  // Waits for the current child until `deadline`; null when none is ready.
  std::shared_ptr<Child> ReadyChild(absl::Time deadline) const;
  // Reaps a dead child, kills one over its memory limit, restarts.
  void Supervise();
  // Records that `child` died of `reason` and that a restart is due.
  void ChildLost(const std::shared_ptr<Child>& child,
                 const std::string& reason);

  const std::string config_;
  const IsolationOptions options_;

  mutable absl::Mutex mutex_;
  // The serving child; null while it restarts.
  std::shared_ptr<Child> child_ ABSL_GUARDED_BY(mutex_);
  uint32_t restarts_ ABSL_GUARDED_BY(mutex_) = 0;
  std::string last_failure_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  uint64_t spawned_ ABSL_GUARDED_BY(mutex_) = 0;
  std::thread supervisor_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_PLUGINS_ISOLATED_PLUGIN_H_
