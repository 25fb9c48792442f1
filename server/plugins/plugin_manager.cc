#include "plugins/plugin_manager.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/log.h"
#include "plugins/dependency_order.h"
#include "plugins/in_process_plugin.h"
#include "plugins/plugin_loader.h"
#include "plugins/plugin_probe.h"

namespace nlpd {
namespace {

namespace fs = std::filesystem;

// SHA-256 of the file at `path`, hex. Errors: NOT_FOUND.
absl::StatusOr<std::string> Sha256OfFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError(absl::StrCat("plugin ", path, ": cannot read"));
  }
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
      EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr);
  char buffer[1 << 16];
  while (file.read(buffer, sizeof(buffer)) || file.gcount() > 0) {
    EVP_DigestUpdate(context.get(), buffer, static_cast<size_t>(file.gcount()));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(context.get(), digest, &size);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

// Whether someone other than root or this process's user can change the
// file at `path`: the file or a directory on its path is writable by
// others (a sticky directory such as /tmp protects what it holds), or owned
// by another user. Returns the reason, or "" when it is safe.
std::string WritableByOthers(const std::string& path) {
  const uid_t self = geteuid();
  fs::path current = fs::absolute(path);
  bool file = true;
  while (true) {
    struct stat info {};
    if (stat(current.c_str(), &info) != 0) return "";  // reported elsewhere
    const bool sticky_dir = !file && (info.st_mode & S_ISVTX) != 0;
    if ((info.st_mode & S_IWOTH) != 0 && !sticky_dir) {
      return absl::StrCat(current.string(), " is writable by every user");
    }
    if (info.st_uid != 0 && info.st_uid != self) {
      return absl::StrCat(current.string(), " belongs to user ", info.st_uid);
    }
    if (!current.has_parent_path() || current.parent_path() == current) break;
    current = current.parent_path();
    file = false;
  }
  return "";
}

bool IsPluginFileName(const std::string& file_name) {
  return absl::StartsWith(file_name, "libnlpd_") &&
         absl::EndsWith(file_name, ".so");
}

v1::PluginChange MakeChange(v1::PluginChange::Action action,
                            const std::string& name, const std::string& path) {
  v1::PluginChange change;
  change.set_action(action);
  change.set_name(name);
  change.set_path(path);
  return change;
}

const char* IsolationName(v1::Isolation isolation) {
  return isolation == v1::PROCESS ? "isolated" : "in process";
}

void LogChange(const v1::PluginChange& change) {
  switch (change.action()) {
    case v1::PluginChange::LOADED:
      Log(LogLevel::kInfo,
          absl::StrCat("loaded plugin '", change.name(), "' ",
                       change.new_version(), " from ", change.path(),
                       " (sha256 ", change.new_sha256().substr(0, 12), ", ",
                       IsolationName(change.isolation()), ")"));
      break;
    case v1::PluginChange::RELOADED:
      Log(LogLevel::kInfo,
          absl::StrCat(
              "reloaded plugin '", change.name(), "': ", change.old_version(),
              " (sha256 ", change.old_sha256().substr(0, 12), ") -> ",
              change.new_version(), " (sha256 ",
              change.new_sha256().substr(0, 12), ", ",
              IsolationName(change.isolation()), ") from ", change.path()));
      break;
    case v1::PluginChange::UNLOADED:
      Log(LogLevel::kInfo, absl::StrCat("unloaded plugin '", change.name(),
                                        "' (", change.path(), ")"));
      break;
    default:
      Log(LogLevel::kError, change.message());
      break;
  }
}

}  // namespace

struct PluginManager::Candidate {
  std::string path;
  std::string sha256;
  v1::PluginInfo info;
  std::vector<std::string> registered_files;
  v1::Isolation isolation = v1::IN_PROCESS;
  // The loaded version at the same path, if any.
  const RegisteredPlugin* existing = nullptr;
  // True when `existing` is served unchanged (same file, or the new file
  // was refused).
  bool reuse = false;
};

PluginManager::PluginManager(PluginManagerOptions options)
    : options_(std::move(options)),
      current_(PluginRegistry::Build({}, {}, {})) {}

PluginManager::~PluginManager() {
  {
    absl::MutexLock lock(&current_mutex_);
    current_.reset();  // stops isolated children before their sockets go
  }
  if (options_.remove_runtime_dir && !options_.isolation.runtime_dir.empty()) {
    std::error_code error;
    fs::remove_all(options_.isolation.runtime_dir, error);
  }
}

std::shared_ptr<const PluginRegistry> PluginManager::Current() const {
  absl::MutexLock lock(&current_mutex_);
  return current_;
}

v1::Isolation PluginManager::IsolationOf(const std::string& name,
                                         const std::string& path) const {
  if (IsPythonPluginFile(path)) return v1::PROCESS;
  auto config = options_.configs.find(name);
  if (config != options_.configs.end() &&
      config->second.isolation() != v1::ISOLATION_UNSPECIFIED) {
    return config->second.isolation();
  }
  return options_.default_isolation == v1::ISOLATION_UNSPECIFIED
             ? v1::IN_PROCESS
             : options_.default_isolation;
}

std::string PluginManager::ConfigOf(const std::string& name) const {
  auto config = options_.configs.find(name);
  return config != options_.configs.end() ? config->second.config() : "";
}

std::vector<std::string> PluginManager::Scan(
    std::vector<v1::PluginLoadError>* errors) const {
  std::vector<std::string> paths;
  for (const std::string& file : options_.files) {
    std::error_code error;
    if (!fs::is_regular_file(file, error)) {
      v1::PluginLoadError& load_error = errors->emplace_back();
      load_error.set_path(file);
      load_error.set_message(absl::StrCat(
          "plugin ", file, ": ", error ? error.message() : "no such file"));
      Log(LogLevel::kError, load_error.message());
      continue;
    }
    paths.push_back(fs::weakly_canonical(file, error).string());
  }
  for (const std::string& directory : options_.directories) {
    std::error_code error;
    fs::directory_iterator it(directory, error);
    if (error) {
      v1::PluginLoadError& load_error = errors->emplace_back();
      load_error.set_path(directory);
      load_error.set_message(
          absl::StrCat("plugin directory ", directory, ": ", error.message()));
      Log(LogLevel::kError, load_error.message());
      continue;
    }
    std::vector<std::string> files;
    for (const fs::directory_entry& entry : it) {
      if (IsPluginFileName(entry.path().filename().string())) {
        files.push_back(fs::weakly_canonical(entry.path(), error).string());
      }
    }
    std::sort(files.begin(), files.end());
    for (std::string& file : files) {
      // An explicit file that also lies in a directory is one plugin.
      if (std::find(paths.begin(), paths.end(), file) == paths.end()) {
        paths.push_back(std::move(file));
      }
    }
  }
  return paths;
}

absl::StatusOr<RegisteredPlugin> PluginManager::Instantiate(
    const Candidate& candidate) {
  const std::string& name = candidate.info.name();
  v1::PluginInfo info = candidate.info;
  info.set_sha256(candidate.sha256);
  RegisteredPlugin entry;
  if (candidate.isolation == v1::PROCESS) {
    absl::StatusOr<std::unique_ptr<IsolatedPlugin>> plugin =
        IsolatedPlugin::Start(info, ConfigOf(name), options_.isolation);
    if (!plugin.ok()) return plugin.status();
    entry.plugin = *std::move(plugin);
  } else {
    info.set_isolation(v1::IN_PROCESS);
    info.set_state(v1::PluginInfo::READY);
    // dlopen() of a path it has opened returns that library, so a changed
    // file is loaded from a copy named by its hash.
    std::string load_path = candidate.path;
    if (auto opened = opened_by_sha_.find(candidate.sha256);
        opened != opened_by_sha_.end()) {
      load_path = opened->second.load_path;  // the same library again
    } else if (opened_paths_.count(candidate.path) != 0) {
      load_path =
          absl::StrCat(options_.isolation.runtime_dir, "/libnlpd_", name, ".",
                       candidate.sha256.substr(0, 16), ".so");
      std::error_code error;
      fs::copy_file(candidate.path, load_path, fs::copy_options::skip_existing,
                    error);
      if (error) {
        return absl::InternalError(
            absl::StrCat("plugin ", candidate.path, ": cannot copy it to ",
                         load_path, ": ", error.message()));
      }
    }
    absl::StatusOr<PluginLibrary> library = OpenPluginLibrary(load_path);
    if (!library.ok()) return library.status();
    opened_paths_.insert(candidate.path);
    opened_by_sha_.emplace(candidate.sha256,
                           OpenedLibrary{candidate.path, load_path});
    for (const std::string& file : candidate.registered_files) {
      registered_files_.emplace(file, candidate.sha256);
    }
    library->info = info;  // the probed info, with the original path
    absl::StatusOr<std::unique_ptr<Plugin>> plugin =
        InstantiatePlugin(*library, ConfigOf(name));
    if (!plugin.ok()) return plugin.status();
    entry.plugin = *std::move(plugin);
  }
  absl::StatusOr<std::unique_ptr<const ResultSchema>> schema =
      ResultSchema::Create(entry.plugin->info());
  if (!schema.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "plugin ", candidate.path, ": ", schema.status().message()));
  }
  entry.schema = *std::move(schema);
  return entry;
}

v1::PluginChanges PluginManager::Apply(
    const std::vector<std::string>& paths,
    std::vector<v1::PluginLoadError> errors) {
  const std::shared_ptr<const PluginRegistry> current = Current();
  std::map<std::string, const RegisteredPlugin*> loaded_by_path;
  for (const RegisteredPlugin& entry : current->plugins()) {
    loaded_by_path[entry.plugin->info().path()] = &entry;
  }
  v1::PluginChanges changes;
  std::map<std::string, std::string> refused;
  auto refuse = [&](const std::string& name, const std::string& path,
                    const std::string& message) {
    v1::PluginChange change = MakeChange(v1::PluginChange::REFUSED, name, path);
    change.set_message(message);
    *changes.add_changes() = change;
    if (!name.empty()) refused[name] = message;
    v1::PluginLoadError& error = errors.emplace_back();
    error.set_path(path);
    error.set_message(message);
  };

  std::map<std::string, std::string> sha_by_path;
  std::vector<Candidate> candidates;
  std::map<std::string, size_t> by_name;
  // .proto files registered by the new in-process files of this scan.
  std::map<std::string, std::string> new_files;
  for (const std::string& path : paths) {
    Candidate candidate;
    candidate.path = path;
    if (auto found = loaded_by_path.find(path); found != loaded_by_path.end()) {
      candidate.existing = found->second;
    }
    // Keeps the loaded version of a refused file serving.
    auto keep_existing = [&] {
      if (candidate.existing == nullptr) return;
      const v1::PluginInfo& old = candidate.existing->plugin->info();
      if (by_name.count(old.name()) != 0) return;
      candidate.info = old;
      candidate.sha256 = old.sha256();
      candidate.reuse = true;
      refused.erase(old.name());
      by_name[old.name()] = candidates.size();
      candidates.push_back(candidate);
    };
    if (std::string unsafe = WritableByOthers(path); !unsafe.empty()) {
      if (!options_.allow_insecure_plugins) {
        refuse("", path,
               absl::StrCat("plugin ", path, ": refused because ", unsafe,
                            ", so another user could replace the code the "
                            "server runs (--allow_insecure_plugins loads it "
                            "anyway)"));
        keep_existing();
        continue;
      }
      Log(LogLevel::kWarning,
          absl::StrCat("plugin ", path, ": loading it although ", unsafe,
                       " (--allow_insecure_plugins)"));
    }
    absl::StatusOr<std::string> sha = Sha256OfFile(path);
    if (!sha.ok()) {
      refuse("", path, std::string(sha.status().message()));
      keep_existing();
      continue;
    }
    candidate.sha256 = *sha;
    sha_by_path[path] = *sha;
    if (candidate.existing != nullptr &&
        candidate.existing->plugin->info().sha256() == *sha) {
      const std::string& name = candidate.existing->plugin->name();
      auto config = options_.configs.find(name);
      if (config != options_.configs.end() && config->second.disabled()) {
        continue;
      }
      candidate.info = candidate.existing->plugin->info();
      candidate.reuse = true;
      by_name[name] = candidates.size();
      candidates.push_back(candidate);
      continue;
    }
    absl::StatusOr<v1::PluginProbe> probe;
    if (auto cached = probes_by_sha_.find(*sha);
        cached != probes_by_sha_.end()) {
      probe = cached->second;
      probe->mutable_info()->set_path(path);
    } else {
      probe = ProbePluginFile(options_.isolation.HostCommandFor(path), path);
      if (probe.ok()) probes_by_sha_[*sha] = *probe;
    }
    if (!probe.ok()) {
      refuse("", path, std::string(probe.status().message()));
      keep_existing();
      continue;
    }
    const std::string name = probe->info().name();
    candidate.info = probe->info();
    candidate.registered_files.assign(probe->registered_files().begin(),
                                      probe->registered_files().end());
    candidate.isolation = IsolationOf(name, path);
    auto config = options_.configs.find(name);
    if (config != options_.configs.end() && config->second.disabled()) {
      Log(LogLevel::kInfo,
          absl::StrCat("plugin '", name, "' disabled by config: ", path));
      continue;
    }
    if (unloaded_.count(name) != 0) continue;
    if (auto other = by_name.find(name); other != by_name.end()) {
      refuse(name, path,
             absl::StrCat("plugin ", path, ": name '", name,
                          "' already loaded from ",
                          candidates[other->second].path));
      refused.erase(name);  // the first file of that name serves
      continue;
    }
    std::string clash;
    for (const std::string& file : candidate.registered_files) {
      if (auto other = new_files.find(file); other != new_files.end()) {
        clash =
            absl::StrCat("plugin ", path, " ('", name, "'): its protobuf file ",
                         file, " is also defined by plugin ", other->second,
                         "; two plugins must not ship a .proto file of "
                         "the same path");
        break;
      }
      if (candidate.isolation != v1::IN_PROCESS) continue;
      auto owner = registered_files_.find(file);
      if (owner != registered_files_.end() &&
          owner->second != candidate.sha256) {
        const std::string& owner_path = opened_by_sha_.at(owner->second).path;
        clash =
            owner_path == path
                ? absl::StrCat(
                      "plugin ", path, " ('", name,
                      "') changed, but its protobuf file ", file,
                      " is registered in the server process by the version "
                      "loaded before; an in-process plugin that ships .proto "
                      "files is replaced only by a restart (or run it "
                      "isolated: --isolate=",
                      name, ")")
                : absl::StrCat("plugin ", path, " ('", name,
                               "'): its protobuf file ", file,
                               " is also defined by plugin ", owner_path,
                               "; two plugins must not ship a .proto file of "
                               "the same path");
        break;
      }
    }
    if (!clash.empty()) {
      refuse(name, path, clash);
      keep_existing();
      continue;
    }
    for (const std::string& file : candidate.registered_files) {
      new_files.emplace(file, path);
    }
    by_name[name] = candidates.size();
    candidates.push_back(std::move(candidate));
  }

  // Instantiate in dependency order, so that a plugin whose dependency
  // failed is not started for nothing.
  std::map<std::string, std::vector<std::string>> dependencies;
  for (const Candidate& candidate : candidates) {
    dependencies[candidate.info.name()].assign(
        candidate.info.dependencies().begin(),
        candidate.info.dependencies().end());
  }
  DependencyOrder order = OrderByDependencies(dependencies);
  std::vector<RegisteredPlugin> entries;
  std::set<std::string> ready;
  for (const auto& [name, reason] : order.rejected) {
    const Candidate& candidate = candidates[by_name.at(name)];
    refuse(
        name, candidate.path,
        absl::StrCat("plugin ", candidate.path, " ('", name, "'): ", reason));
  }
  for (const std::string& name : order.order) {
    const Candidate& candidate = candidates[by_name.at(name)];
    std::string missing;
    for (const std::string& dependency : candidate.info.dependencies()) {
      if (ready.count(dependency) == 0) missing = dependency;
    }
    if (!missing.empty()) {
      refuse(name, candidate.path,
             absl::StrCat("plugin ", candidate.path, " ('", name, "'): needs '",
                          missing, "', which failed to load"));
      continue;
    }
    if (candidate.reuse) {
      entries.push_back(*candidate.existing);
      ready.insert(name);
      continue;
    }
    absl::StatusOr<RegisteredPlugin> entry = Instantiate(candidate);
    if (!entry.ok()) {
      refuse(name, candidate.path, std::string(entry.status().message()));
      if (candidate.existing != nullptr &&
          candidate.existing->plugin->name() == name) {
        entries.push_back(*candidate.existing);
        ready.insert(name);
        refused.erase(name);
      }
      continue;
    }
    v1::PluginChange change =
        MakeChange(candidate.existing != nullptr ? v1::PluginChange::RELOADED
                                                 : v1::PluginChange::LOADED,
                   name, candidate.path);
    if (candidate.existing != nullptr) {
      change.set_old_version(candidate.existing->plugin->info().version());
      change.set_old_sha256(candidate.existing->plugin->info().sha256());
    }
    change.set_new_version(entry->plugin->info().version());
    change.set_isolation(entry->plugin->info().isolation());
    change.set_new_sha256(entry->plugin->info().sha256());
    *changes.add_changes() = change;
    entries.push_back(*std::move(entry));
    ready.insert(name);
  }
  for (const RegisteredPlugin& entry : current->plugins()) {
    if (ready.count(entry.plugin->name()) == 0) {
      *changes.add_changes() =
          MakeChange(v1::PluginChange::UNLOADED, entry.plugin->name(),
                     entry.plugin->info().path());
    }
  }
  std::shared_ptr<const PluginRegistry> next = PluginRegistry::Build(
      std::move(entries), std::move(refused), std::move(errors));
  {
    absl::MutexLock lock(&current_mutex_);
    current_ = std::move(next);
  }
  // A refusal already reported by the last scan is no change.
  std::set<std::string> refusals;
  v1::PluginChanges reported;
  for (v1::PluginChange& change : *changes.mutable_changes()) {
    if (change.action() == v1::PluginChange::REFUSED) {
      std::string key =
          absl::StrCat(change.path(), "\n", sha_by_path[change.path()], "\n",
                       change.message());
      const bool seen = reported_refusals_.count(key) != 0;
      refusals.insert(std::move(key));
      if (seen) continue;
    }
    *reported.add_changes() = std::move(change);
  }
  reported_refusals_ = std::move(refusals);
  for (const v1::PluginChange& change : reported.changes()) LogChange(change);
  return reported;
}

v1::PluginChanges PluginManager::Reload() {
  absl::MutexLock lock(&admin_mutex_);
  std::vector<v1::PluginLoadError> errors;
  std::vector<std::string> paths = Scan(&errors);
  return Apply(paths, std::move(errors));
}

absl::StatusOr<v1::PluginChanges> PluginManager::Load(const std::string& path) {
  std::error_code error;
  const fs::path file = fs::weakly_canonical(path, error);
  bool in_directory = false;
  for (const std::string& directory : options_.directories) {
    if (!error &&
        file.parent_path() == fs::weakly_canonical(directory, error)) {
      in_directory = true;
    }
  }
  if (!in_directory) {
    return absl::InvalidArgumentError(
        absl::StrCat("plugin ", path, " is not in a plugin directory (",
                     absl::StrJoin(options_.directories, ", "),
                     "); plugins load only from configured directories"));
  }
  if (!IsPluginFileName(file.filename().string())) {
    return absl::InvalidArgumentError(
        absl::StrCat("plugin ", path, ": not a libnlpd_<name>.so file"));
  }
  if (!fs::is_regular_file(file, error)) {
    return absl::NotFoundError(absl::StrCat("plugin ", path, ": no such file"));
  }
  absl::MutexLock lock(&admin_mutex_);
  absl::StatusOr<v1::PluginProbe> probe = ProbePluginFile(
      options_.isolation.HostCommandFor(file.string()), file.string());
  if (!probe.ok()) return probe.status();
  const std::string& name = probe->info().name();
  if (Current()->Find(name) != nullptr) {
    return absl::AlreadyExistsError(
        absl::StrCat("plugin '", name, "' is already loaded from ",
                     Current()->Find(name)->plugin->info().path(),
                     "; ReloadPlugins replaces a changed file"));
  }
  unloaded_.erase(name);
  std::vector<v1::PluginLoadError> errors;
  std::vector<std::string> paths = Scan(&errors);
  v1::PluginChanges changes = Apply(paths, std::move(errors));
  if (Current()->Find(name) == nullptr) {
    for (const v1::PluginLoadError& error : Current()->load_errors()) {
      if (error.path() == file.string()) {
        return absl::FailedPreconditionError(error.message());
      }
    }
    return absl::FailedPreconditionError(
        absl::StrCat("plugin ", path, " was not loaded (disabled by config?)"));
  }
  return changes;
}

absl::StatusOr<v1::PluginChanges> PluginManager::Unload(
    const std::string& name) {
  absl::MutexLock lock(&admin_mutex_);
  const std::shared_ptr<const PluginRegistry> current = Current();
  const RegisteredPlugin* target = current->Find(name);
  if (target == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("no plugin '", name, "' is loaded"));
  }
  std::vector<std::string> dependents;
  std::vector<RegisteredPlugin> entries;
  for (const RegisteredPlugin& entry : current->plugins()) {
    const auto& dependencies = entry.plugin->info().dependencies();
    if (std::find(dependencies.begin(), dependencies.end(), name) !=
        dependencies.end()) {
      dependents.push_back(entry.plugin->name());
    }
    if (entry.plugin->name() != name) entries.push_back(entry);
  }
  if (!dependents.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("plugin '", name, "' is needed by ",
                     absl::StrJoin(dependents, ", "), "; unload those first"));
  }
  unloaded_.insert(name);
  v1::PluginChanges changes;
  *changes.add_changes() = MakeChange(v1::PluginChange::UNLOADED, name,
                                      target->plugin->info().path());
  std::vector<v1::PluginLoadError> errors = current->load_errors();
  std::shared_ptr<const PluginRegistry> next =
      PluginRegistry::Build(std::move(entries), {}, std::move(errors));
  {
    absl::MutexLock lock(&current_mutex_);
    current_ = std::move(next);
  }
  LogChange(changes.changes(0));
  return changes;
}

v1::ListPluginsResponse PluginManager::List() const {
  const std::shared_ptr<const PluginRegistry> current = Current();
  v1::ListPluginsResponse list;
  for (const RegisteredPlugin& entry : current->plugins()) {
    *list.add_plugins() = entry.plugin->Status();
  }
  for (const v1::PluginLoadError& error : current->load_errors()) {
    *list.add_load_errors() = error;
  }
  return list;
}

std::unique_ptr<PluginManager> LoadPlugins(
    const std::vector<std::string>& directories, const std::string& host_binary,
    const google::protobuf::Map<std::string, v1::PluginConfig>& configs) {
  PluginManagerOptions options;
  options.directories = directories;
  options.configs = configs;
  options.isolation.host_binary = host_binary;
  std::string runtime_dir = "/tmp/nlpd-plugins-XXXXXX";
  if (mkdtemp(runtime_dir.data()) != nullptr) {
    options.isolation.runtime_dir = runtime_dir;
    options.remove_runtime_dir = true;
  }
  auto manager = std::make_unique<PluginManager>(std::move(options));
  manager->Reload();
  return manager;
}

}  // namespace nlpd
