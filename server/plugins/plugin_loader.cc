#include "plugins/plugin_loader.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "plugins/host_api.h"
#include "plugins/in_process_plugin.h"
#include "plugins/result_schema.h"

namespace nlpd {
namespace {

absl::Status Refuse(const std::string& path, absl::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat("plugin ", path, ": ", why));
}

bool IsValidName(absl::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// Names the newer entry symbol a library exports, if any, so the error can
// say which ABI it was built for.
std::string NewerEntrySymbol(void* handle) {
  for (int major = NLPD_ABI_VERSION_MAJOR + 1; major <= 9; ++major) {
    std::string symbol = absl::StrCat("nlpd_plugin_v", major);
    if (dlsym(handle, symbol.c_str()) != nullptr) return symbol;
  }
  return "";
}

// The smallest struct sizes the server accepts: those of ABI 1.0. Fields
// added by later minor versions are read only when struct_size covers them.
constexpr size_t kApiSize10 =
    offsetof(nlpd_plugin_api, destroy) + sizeof(nlpd_plugin_api::destroy);
constexpr size_t kDescriptorSize10 =
    offsetof(nlpd_plugin_descriptor, thread_safe) +
    sizeof(nlpd_plugin_descriptor::thread_safe);

// Copies the plugin's descriptor into a struct of this server's size:
// fields the plugin's (older) ABI version lacks are zero. struct_size alone
// cannot tell: a 1.1 field may sit in what was padding of the 1.0 struct, so
// the plugin's minor version bounds what is read.
nlpd_plugin_descriptor CopyDescriptor(const nlpd_plugin_descriptor& d,
                                      uint32_t abi_minor) {
  nlpd_plugin_descriptor copy{};
  const size_t known = abi_minor == 0 ? kDescriptorSize10 : sizeof(copy);
  std::memcpy(&copy, &d, std::min({d.struct_size, known, sizeof(copy)}));
  copy.struct_size = sizeof(copy);
  return copy;
}

absl::StatusOr<v1::PluginInfo> ReadDescriptor(const std::string& path,
                                              const nlpd_plugin_api& api) {
  if (api.descriptor == nullptr ||
      api.descriptor->struct_size < kDescriptorSize10) {
    return Refuse(path, "missing or truncated nlpd_plugin_descriptor");
  }
  const nlpd_plugin_descriptor descriptor =
      CopyDescriptor(*api.descriptor, api.abi_minor);
  const nlpd_plugin_descriptor* d = &descriptor;
  if (d->name == nullptr || !IsValidName(d->name)) {
    return Refuse(path, absl::StrCat("invalid plugin name '",
                                     d->name != nullptr ? d->name : "(null)",
                                     "': use [a-z0-9_]+"));
  }
  if (d->result_type == nullptr || *d->result_type == '\0') {
    return Refuse(path, "descriptor has no result_type");
  }
  v1::PluginInfo info;
  info.set_name(d->name);
  info.set_version(d->version != nullptr ? d->version : "");
  info.set_description(d->description != nullptr ? d->description : "");
  for (size_t i = 0; i < d->language_count; ++i) {
    if (d->languages[i] != nullptr) info.add_languages(d->languages[i]);
  }
  for (size_t i = 0; i < d->dependency_count; ++i) {
    if (d->dependencies[i] != nullptr) {
      info.add_dependencies(d->dependencies[i]);
    }
  }
  info.set_result_type(d->result_type);
  if (d->descriptor_set != nullptr && d->descriptor_set_size > 0) {
    info.set_descriptor_set(reinterpret_cast<const char*>(d->descriptor_set),
                            d->descriptor_set_size);
  }
  info.set_path(path);
  info.set_checks_cancellation(d->checks_cancellation != 0);
  info.set_abi_version(absl::StrCat(api.abi_major, ".", api.abi_minor));

  if (absl::Status schema = ResultSchema::Create(info).status(); !schema.ok()) {
    return Refuse(path, schema.message());
  }
  if (info.languages().empty()) {
    return Refuse(path, "descriptor lists no languages (use \"*\" for any)");
  }
  return info;
}

}  // namespace

absl::StatusOr<PluginLibrary> OpenPluginLibrary(const std::string& path) {
  // Never dlclose()d; see the header.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* error = dlerror();
    return Refuse(path,
                  absl::StrCat("cannot load: ",
                               error != nullptr ? error : "dlopen failed"));
  }
  auto entry =
      reinterpret_cast<nlpd_plugin_v1_fn>(dlsym(handle, "nlpd_plugin_v1"));
  if (entry == nullptr) {
    std::string newer = NewerEntrySymbol(handle);
    if (!newer.empty()) {
      return Refuse(
          path, absl::StrCat("exports ", newer, ": built for ABI version ",
                             newer.substr(newer.size() - 1), ", server speaks ",
                             NLPD_ABI_VERSION_MAJOR));
    }
    return Refuse(path,
                  "no entry symbol nlpd_plugin_v1: not an nlpd plugin, or "
                  "built without NLPD_PLUGIN() / not exported");
  }
  const nlpd_plugin_api* api = entry();
  if (api == nullptr) return Refuse(path, "nlpd_plugin_v1() returned null");
  if (api->abi_major != NLPD_ABI_VERSION_MAJOR) {
    return Refuse(
        path, absl::StrCat("ABI version ", api->abi_major, ".", api->abi_minor,
                           ", server speaks ", NLPD_ABI_VERSION_MAJOR, ".",
                           NLPD_ABI_VERSION_MINOR));
  }
  if (api->abi_minor > NLPD_ABI_VERSION_MINOR) {
    return Refuse(
        path,
        absl::StrCat("needs ABI version ", api->abi_major, ".", api->abi_minor,
                     ", server speaks ", NLPD_ABI_VERSION_MAJOR, ".",
                     NLPD_ABI_VERSION_MINOR, ": upgrade the server"));
  }
  if (api->struct_size < kApiSize10 || api->create == nullptr ||
      api->analyze == nullptr || api->destroy == nullptr) {
    return Refuse(path, "incomplete nlpd_plugin_api table");
  }
  absl::StatusOr<v1::PluginInfo> info = ReadDescriptor(path, *api);
  if (!info.ok()) return info.status();
  return PluginLibrary{*std::move(info), api,
                       api->descriptor->thread_safe != 0};
}

absl::StatusOr<std::unique_ptr<Plugin>> InstantiatePlugin(
    const PluginLibrary& library, std::string_view config) {
  const std::string plugin_dir =
      std::filesystem::path(library.info.path()).parent_path().string();
  nlpd_create_args args{};
  args.struct_size = sizeof(args);
  args.config = config.data();
  args.config_size = config.size();
  args.plugin_dir = plugin_dir.c_str();
  nlpd_plugin_instance* instance = nullptr;
  {
    ScopedPluginLogTag tag(library.info.name().c_str());
    if (nlpd_error* error = library.api->create(HostApi(), &args, &instance)) {
      absl::Status status = TakeError(
          error, absl::StrCat("plugin ", library.info.path(), " ('",
                              library.info.name(), "'): create failed"));
      return absl::FailedPreconditionError(status.message());
    }
  }
  return std::make_unique<InProcessPlugin>(library.info, library.api, instance,
                                           library.thread_safe);
}

}  // namespace nlpd
