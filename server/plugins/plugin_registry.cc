#include "plugins/plugin_registry.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlpd/v1/results.pb.h"
#include "plugins/dependency_order.h"

namespace nlpd {
namespace {

// The typed AnalyzeResponse field that holds the result of `info`: the
// result field (a message of results.proto) named as the plugin, if the
// plugin's result type is that field's type; null otherwise, and the result
// goes to custom_results. Routing by name, not by type alone, keeps two
// plugins of the same result type from overwriting each other.
const google::protobuf::FieldDescriptor* TypedField(
    const v1::PluginInfo& info) {
  const google::protobuf::FieldDescriptor* field =
      v1::AnalyzeResponse::descriptor()->FindFieldByName(info.name());
  if (field == nullptr || field->is_repeated() ||
      field->message_type() == nullptr ||
      field->message_type()->file() !=
          v1::EntitiesResult::descriptor()->file()) {
    return nullptr;
  }
  return field->message_type()->full_name() == info.result_type() ? field
                                                                  : nullptr;
}

}  // namespace

std::shared_ptr<const PluginRegistry> PluginRegistry::Build(
    std::vector<RegisteredPlugin> plugins,
    std::map<std::string, std::string> refused,
    std::vector<v1::PluginLoadError> load_errors) {
  std::shared_ptr<PluginRegistry> registry(new PluginRegistry());
  registry->refused_by_name_ = std::move(refused);
  registry->load_errors_ = std::move(load_errors);

  std::map<std::string, std::vector<std::string>> dependencies;
  std::map<std::string, RegisteredPlugin*> by_name;
  for (RegisteredPlugin& entry : plugins) {
    const v1::PluginInfo& info = entry.plugin->info();
    dependencies[info.name()].assign(info.dependencies().begin(),
                                     info.dependencies().end());
    by_name[info.name()] = &entry;
  }
  DependencyOrder order = OrderByDependencies(dependencies);
  for (const auto& [name, reason] : order.rejected) {
    const std::string& path = by_name.at(name)->plugin->info().path();
    std::string message =
        absl::StrCat("plugin ", path, " ('", name, "'): ", reason);
    registry->refused_by_name_[name] = message;
    v1::PluginLoadError& error = registry->load_errors_.emplace_back();
    error.set_path(path);
    error.set_message(message);
  }
  registry->plugins_.reserve(order.order.size());
  for (const std::string& name : order.order) {
    RegisteredPlugin& entry = *by_name.at(name);
    entry.typed_field = TypedField(entry.plugin->info());
    registry->index_by_name_[name] = registry->plugins_.size();
    registry->plugins_.push_back(std::move(entry));
  }
  return registry;
}

const RegisteredPlugin* PluginRegistry::Find(const std::string& name) const {
  auto found = index_by_name_.find(name);
  return found == index_by_name_.end() ? nullptr : &plugins_[found->second];
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
      for (const RegisteredPlugin& entry : plugins_) {
        available.push_back(entry.plugin->name());
      }
      return absl::NotFoundError(absl::StrCat(
          "unknown analysis '", name, "'; available: ",
          available.empty() ? "(none)" : absl::StrJoin(available, ", ")));
    }
    needed[found->second] = 2;
    stack.push_back(found->second);
  }
  while (!stack.empty()) {
    const Plugin& plugin = *plugins_[stack.back()].plugin;
    stack.pop_back();
    for (const std::string& dependency : plugin.info().dependencies()) {
      size_t index = index_by_name_.at(dependency);  // checked in Build
      if (needed[index] == 0) {
        needed[index] = 1;
        stack.push_back(index);
      }
    }
  }
  std::vector<PlannedAnalysis> plan;
  for (size_t i = 0; i < plugins_.size(); ++i) {
    if (needed[i] != 0) plan.push_back({&plugins_[i], needed[i] == 2});
  }
  return plan;
}

}  // namespace nlpd
