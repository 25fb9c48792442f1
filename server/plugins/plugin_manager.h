// Owns the server's plugins over its lifetime: finds plugin files in the
// configured directories, probes each in a throw-away process, loads it in
// this process or starts it isolated, and publishes the result as an
// immutable PluginRegistry. Load, unload and reload build a new registry
// and swap it in; requests keep the registry they started with.
#ifndef NLPD_SERVER_PLUGINS_PLUGIN_MANAGER_H_
#define NLPD_SERVER_PLUGINS_PLUGIN_MANAGER_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "nlpd/v1/admin.pb.h"
#include "nlpd/v1/config.pb.h"
#include "nlpd/v1/plugin_host.pb.h"
#include "plugins/isolated_plugin.h"
#include "plugins/plugin_registry.h"

namespace nlpd {

struct PluginManagerOptions {
  // Directories searched for libnlpd_*.so, in order; files by name.
  std::vector<std::string> directories;
  // Plugin files served besides those of the directories, before them (the
  // first file of a name serves): Python plugins (.py, always isolated)
  // and, for tools, single plugin libraries.
  std::vector<std::string> files;
  // Per-plugin settings (disabled, config, isolation), by name.
  google::protobuf::Map<std::string, v1::PluginConfig> configs;
  // Isolation of plugins whose config leaves it unset.
  v1::Isolation default_isolation = v1::IN_PROCESS;
  // nlpd-plugin-host (probes and isolated plugins), runtime directory,
  // memory limit and deadline grace of isolated plugins.
  IsolationOptions isolation;
  // Remove isolation.runtime_dir when the manager is destroyed.
  bool remove_runtime_dir = false;
  // Load plugin files that other users can write (with a warning) instead
  // of refusing them.
  bool allow_insecure_plugins = false;
};

class PluginManager {
 public:
  // Loads nothing yet; call Reload() for the first load. The runtime
  // directory in `options.isolation` must exist and be private.
  explicit PluginManager(PluginManagerOptions options);
  ~PluginManager();

  PluginManager(const PluginManager&) = delete;
  PluginManager& operator=(const PluginManager&) = delete;

  // The current plugin set. Never null (empty before the first Reload).
  // Thread-safe and cheap: a shared_ptr copy under a mutex.
  std::shared_ptr<const PluginRegistry> Current() const;

  // Rescans the directories: loads new files, replaces plugins whose file
  // changed (SHA-256), unloads plugins whose file is gone or now disabled.
  // A file that is refused leaves a loaded version of it serving. Every
  // change is logged and returned. Admin operations are serialized;
  // requests are never blocked by them.
  v1::PluginChanges Reload();

  // Loads the file at `path`, which must be in a plugin directory. Errors:
  // INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION (see
  // nlpd.v1.Admin.LoadPlugin).
  absl::StatusOr<v1::PluginChanges> Load(const std::string& path);

  // Unloads the plugin `name` until Load names its file again. Errors:
  // NOT_FOUND, FAILED_PRECONDITION (a loaded plugin depends on it).
  absl::StatusOr<v1::PluginChanges> Unload(const std::string& name);

  // Every plugin's status (Plugin::Status) and the load errors of the
  // current set, as ListPlugins reports them. Thread-safe.
  v1::ListPluginsResponse List() const;

 private:
  // A file found in a scan and what became of it.
  struct Candidate;

  // Builds the new set from `paths` (every plugin file to serve) and swaps
  // it in. `forced` names files loaded even if unloaded by the admin.
  v1::PluginChanges Apply(const std::vector<std::string>& paths,
                          std::vector<v1::PluginLoadError> scan_errors)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(admin_mutex_);
  // The explicit files, then the plugin files of every directory; errors
  // for missing ones.
  std::vector<std::string> Scan(std::vector<v1::PluginLoadError>* errors) const;
  // Creates a plugin from a probed file (in this process or isolated).
  absl::StatusOr<RegisteredPlugin> Instantiate(const Candidate& candidate)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(admin_mutex_);
  // Where the plugin `name` from file `path` runs: a Python plugin always
  // in its own process, others as configured.
  v1::Isolation IsolationOf(const std::string& name,
                            const std::string& path) const;
  std::string ConfigOf(const std::string& name) const;

  const PluginManagerOptions options_;

  // Serializes Reload/Load/Unload.
  absl::Mutex admin_mutex_;
  // Names unloaded through the admin service; skipped by rescans.
  std::set<std::string> unloaded_ ABSL_GUARDED_BY(admin_mutex_);
  // A library loaded in this process (never unloaded): its plugin file, and
  // the path it was dlopen()ed from (the file, or a copy of a changed file).
  struct OpenedLibrary {
    std::string path;
    std::string load_path;
  };
  // By SHA-256: loading the same content again reuses the library.
  std::map<std::string, OpenedLibrary> opened_by_sha_
      ABSL_GUARDED_BY(admin_mutex_);
  // Plugin file paths dlopen()ed so far: a changed file at the same path
  // must be loaded from a copy, since dlopen() would return the old library.
  std::set<std::string> opened_paths_ ABSL_GUARDED_BY(admin_mutex_);
  // Successful probes by the file's SHA-256: a probe reads only the file.
  std::map<std::string, v1::PluginProbe> probes_by_sha_
      ABSL_GUARDED_BY(admin_mutex_);
  // Refusals (path, hash, message) reported by the last scan: a rescan
  // lists them in the load errors again but does not report them as
  // changes.
  std::set<std::string> reported_refusals_ ABSL_GUARDED_BY(admin_mutex_);
  // .proto files registered in this process's generated pool by the
  // libraries above, and the SHA-256 of the library that did it.
  std::map<std::string, std::string> registered_files_
      ABSL_GUARDED_BY(admin_mutex_);

  mutable absl::Mutex current_mutex_;
  std::shared_ptr<const PluginRegistry> current_
      ABSL_GUARDED_BY(current_mutex_);
};

// Loads every plugin file of `directories` as the server does at start, in
// this process unless `configs` isolates them, probing each with
// `host_binary`. For tools, tests and benchmarks that need the plugins
// without a server. Sockets and copies go to a new directory under /tmp.
std::unique_ptr<PluginManager> LoadPlugins(
    const std::vector<std::string>& directories, const std::string& host_binary,
    const google::protobuf::Map<std::string, v1::PluginConfig>& configs = {});

}  // namespace nlpd

#endif  // NLPD_SERVER_PLUGINS_PLUGIN_MANAGER_H_
