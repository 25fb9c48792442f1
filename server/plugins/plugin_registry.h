// One immutable set of loaded plugins, in dependency order, and the plan of
// which plugins a request runs. The PluginManager builds a new registry for
// every load, unload or reload and swaps it in; a request holds the registry
// it started with (a shared_ptr), so a reload never changes a request's
// plugins under it.
#ifndef NLPD_SERVER_PLUGINS_PLUGIN_REGISTRY_H_
#define NLPD_SERVER_PLUGINS_PLUGIN_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "nlpd/v1/nlpd.pb.h"
#include "plugins/plugin.h"
#include "plugins/result_schema.h"

namespace nlpd {

// A plugin as a registry holds it: the plugin and what the server knows of
// its result type, both built once when the plugin was loaded and shared by
// every registry that contains it.
struct RegisteredPlugin {
  std::shared_ptr<const Plugin> plugin;
  std::shared_ptr<const ResultSchema> schema;
  // The typed AnalyzeResponse field of the plugin's result: the field named
  // as the plugin when its type is the plugin's result type ("entities" ->
  // AnalyzeResponse.entities); null for every other plugin, whose result
  // goes to custom_results under its name, even an nlpd.v1 type.
  const google::protobuf::FieldDescriptor* typed_field = nullptr;
};

// One step of a request's plan.
struct PlannedAnalysis {
  const RegisteredPlugin* entry;
  // False when the caller did not ask for it and it runs as a dependency.
  bool requested;
};

// Immutable; every method is thread-safe.
class PluginRegistry {
 public:
  // Orders `plugins` (unique names) by their dependencies. A plugin whose
  // dependency is missing or part of a cycle is left out, added to
  // `refused` and `load_errors`, and named when a request asks for it.
  // `refused` maps names of plugins that were found but not loaded to the
  // reason; `load_errors` lists refused files.
  static std::shared_ptr<const PluginRegistry> Build(
      std::vector<RegisteredPlugin> plugins,
      std::map<std::string, std::string> refused,
      std::vector<v1::PluginLoadError> load_errors);

  // Plugins in dependency order: each after all it depends on.
  const std::vector<RegisteredPlugin>& plugins() const { return plugins_; }
  const std::vector<v1::PluginLoadError>& load_errors() const {
    return load_errors_;
  }
  // The plugin named `name`, or null.
  const RegisteredPlugin* Find(const std::string& name) const;

  // The plugins to run for the analyses named in `requested`, with their
  // dependencies, in dependency order, each once. Errors: NOT_FOUND for a
  // name no plugin provides (the message lists the available ones),
  // FAILED_PRECONDITION for a plugin that was found but refused (the
  // message says why).
  absl::StatusOr<std::vector<PlannedAnalysis>> Plan(
      const std::vector<std::string>& requested) const;

 private:
  PluginRegistry() = default;

  std::vector<RegisteredPlugin> plugins_;
  std::map<std::string, size_t> index_by_name_;
  // Plugins that were recognized by name but refused, and why.
  std::map<std::string, std::string> refused_by_name_;
  std::vector<v1::PluginLoadError> load_errors_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_PLUGINS_PLUGIN_REGISTRY_H_
