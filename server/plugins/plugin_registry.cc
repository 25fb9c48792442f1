#include "plugins/plugin_registry.h"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/log.h"
#include "plugins/dependency_order.h"
#include "plugins/plugin_loader.h"

namespace nlpd {
namespace {

// The plugin files of `directory`, sorted by name.
absl::StatusOr<std::vector<std::string>> PluginFiles(
    const std::string& directory) {
  std::error_code error;
  std::filesystem::directory_iterator it(directory, error);
  if (error) {
    return absl::NotFoundError(
        absl::StrCat("plugin directory ", directory, ": ", error.message()));
  }
  std::vector<std::string> files;
  for (const std::filesystem::directory_entry& entry : it) {
    const std::string file_name = entry.path().filename().string();
    if (absl::StartsWith(file_name, "libnlpd_") &&
        absl::EndsWith(file_name, ".so")) {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

void PluginRegistry::AddLoadError(const std::string& path,
                                  const std::string& message) {
  Log(LogLevel::kError, message);
  v1::PluginLoadError& error = load_errors_.emplace_back();
  error.set_path(path);
  error.set_message(message);
}

std::unique_ptr<PluginRegistry> PluginRegistry::Load(
    const std::vector<std::string>& directories,
    const google::protobuf::Map<std::string, v1::PluginConfig>& configs) {
  std::unique_ptr<PluginRegistry> registry(new PluginRegistry());
  std::map<std::string, PluginLibrary> libraries;
  for (const std::string& directory : directories) {
    absl::StatusOr<std::vector<std::string>> files = PluginFiles(directory);
    if (!files.ok()) {
      registry->AddLoadError(directory, std::string(files.status().message()));
      continue;
    }
    for (const std::string& path : *files) {
      absl::StatusOr<PluginLibrary> library = OpenPluginLibrary(path);
      if (!library.ok()) {
        registry->AddLoadError(path, std::string(library.status().message()));
        continue;
      }
      const std::string& name = library->info.name();
      auto config = configs.find(name);
      if (config != configs.end() && config->second.disabled()) {
        Log(LogLevel::kInfo,
            absl::StrCat("plugin '", name, "' disabled by config: ", path));
        continue;
      }
      if (auto existing = libraries.find(name); existing != libraries.end()) {
        registry->AddLoadError(path,
                               absl::StrCat("plugin ", path, ": name '", name,
                                            "' already loaded from ",
                                            existing->second.info.path()));
        continue;
      }
      libraries.emplace(name, *std::move(library));
    }
  }

  std::map<std::string, std::vector<std::string>> dependencies;
  for (const auto& [name, library] : libraries) {
    dependencies[name].assign(library.info.dependencies().begin(),
                              library.info.dependencies().end());
  }
  DependencyOrder order = OrderByDependencies(dependencies);
  for (const auto& [name, reason] : order.rejected) {
    const std::string& path = libraries.at(name).info.path();
    std::string message =
        absl::StrCat("plugin ", path, " ('", name, "'): ", reason);
    registry->refused_by_name_[name] = message;
    registry->AddLoadError(path, message);
  }
  for (const std::string& name : order.order) {
    const PluginLibrary& library = libraries.at(name);
    // A plugin may run only when every dependency was instantiated.
    std::string missing;
    for (const std::string& dependency : library.info.dependencies()) {
      if (registry->index_by_name_.count(dependency) == 0) {
        missing = dependency;
        break;
      }
    }
    if (!missing.empty()) {
      std::string message =
          absl::StrCat("plugin ", library.info.path(), " ('", name,
                       "'): needs '", missing, "', which failed to load");
      registry->refused_by_name_[name] = message;
      registry->AddLoadError(library.info.path(), message);
      continue;
    }
    auto config = configs.find(name);
    absl::StatusOr<std::unique_ptr<Plugin>> plugin = InstantiatePlugin(
        library, config != configs.end() ? config->second.config() : "");
    if (!plugin.ok()) {
      std::string message(plugin.status().message());
      registry->refused_by_name_[name] = message;
      registry->AddLoadError(library.info.path(), message);
      continue;
    }
    Log(LogLevel::kInfo,
        absl::StrCat("loaded plugin '", name, "' ", library.info.version(),
                     " from ", library.info.path()));
    registry->index_by_name_[name] = registry->plugins_.size();
    registry->plugins_.push_back(*std::move(plugin));
  }
  return registry;
}

absl::StatusOr<std::vector<PlannedAnalysis>> PluginRegistry::Plan(
    const std::vector<std::string>& requested) const {
  // needed[i]: 0 = not needed, 1 = dependency, 2 = requested.
  std::vector<int> needed(plugins_.size(), 0);
  std::vector<size_t> stack;
  for (const std::string& name : requested) {
    auto found = index_by_name_.find(name);
    if (found == index_by_name_.end()) {
      if (auto refused = refused_by_name_.find(name);
          refused != refused_by_name_.end()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "analysis '", name, "' is unavailable: ", refused->second));
      }
      std::vector<std::string> available;
      for (const auto& plugin : plugins_) available.push_back(plugin->name());
      return absl::NotFoundError(absl::StrCat(
          "unknown analysis '", name, "'; available: ",
          available.empty() ? "(none)" : absl::StrJoin(available, ", ")));
    }
    needed[found->second] = 2;
    stack.push_back(found->second);
  }
  while (!stack.empty()) {
    const Plugin& plugin = *plugins_[stack.back()];
    stack.pop_back();
    for (const std::string& dependency : plugin.info().dependencies()) {
      size_t index = index_by_name_.at(dependency);  // checked at load
      if (needed[index] == 0) {
        needed[index] = 1;
        stack.push_back(index);
      }
    }
  }
  std::vector<PlannedAnalysis> plan;
  for (size_t i = 0; i < plugins_.size(); ++i) {
    if (needed[i] != 0) plan.push_back({plugins_[i].get(), needed[i] == 2});
  }
  return plan;
}

}  // namespace nlpd
