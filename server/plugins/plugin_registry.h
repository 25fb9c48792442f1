// All plugins of a server, by name and in dependency order, and the plan of
// which plugins a request runs.
#ifndef NLPD_SERVER_PLUGINS_PLUGIN_REGISTRY_H_
#define NLPD_SERVER_PLUGINS_PLUGIN_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlpd/v1/config.pb.h"
#include "nlpd/v1/nlpd.pb.h"
#include "plugins/plugin.h"

namespace nlpd {

// One step of a request's plan.
struct PlannedAnalysis {
  const Plugin* plugin;
  // False when the caller did not ask for it and it runs as a dependency.
  bool requested;
};

// Immutable after Load(); every const method is thread-safe.
class PluginRegistry {
 public:
  // Loads every libnlpd_*.so file in `directories` (directories in order,
  // files by name), skipping plugins disabled in `configs` and passing each
  // plugin its configs[name].config. A file that cannot be loaded, a
  // duplicate name or an unmet dependency is logged and listed in
  // load_errors(); the rest load. A missing directory is a load error too.
  static std::unique_ptr<PluginRegistry> Load(
      const std::vector<std::string>& directories,
      const google::protobuf::Map<std::string, v1::PluginConfig>& configs);

  // Plugins in dependency order: each after all it depends on.
  const std::vector<std::unique_ptr<Plugin>>& plugins() const {
    return plugins_;
  }
  const std::vector<v1::PluginLoadError>& load_errors() const {
    return load_errors_;
  }

  // The plugins to run for the analyses named in `requested`, with their
  // dependencies, in dependency order, each once. Errors: NOT_FOUND for a
  // name no plugin provides (the message lists the available ones),
  // FAILED_PRECONDITION for a plugin that was found but refused (the
  // message says why).
  absl::StatusOr<std::vector<PlannedAnalysis>> Plan(
      const std::vector<std::string>& requested) const;

 private:
  PluginRegistry() = default;
  void AddLoadError(const std::string& path, const std::string& message);

  std::vector<std::unique_ptr<Plugin>> plugins_;
  std::map<std::string, size_t> index_by_name_;
  // Plugins that were recognized by name but refused, and why.
  std::map<std::string, std::string> refused_by_name_;
  std::vector<v1::PluginLoadError> load_errors_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_PLUGINS_PLUGIN_REGISTRY_H_
