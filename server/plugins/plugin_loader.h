// Loads plugin shared libraries through the C ABI: dlopen, entry symbol,
// ABI version check, descriptor validation, create().
#ifndef NLPD_SERVER_PLUGINS_PLUGIN_LOADER_H_
#define NLPD_SERVER_PLUGINS_PLUGIN_LOADER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "nlpd/plugin.h"
#include "nlpd/v1/nlpd.pb.h"
#include "plugins/plugin.h"

namespace nlpd {

// A plugin library that was opened and checked but not yet instantiated.
struct PluginLibrary {
  // What the plugin says it is (name, version, languages, dependencies,
  // result type, descriptor set) and the file it came from.
  v1::PluginInfo info;
  // The library's static table; valid for the life of the process.
  const nlpd_plugin_api* api = nullptr;
  // The descriptor's thread_safe flag.
  bool thread_safe = false;
};

// Opens the library at `path` (RTLD_NOW | RTLD_LOCAL), finds the entry
// symbol nlpd_plugin_v1, checks the ABI version and validates the
// descriptor (name syntax, result type present in the shipped descriptor set
// or in nlpd.v1). Errors are FAILED_PRECONDITION with a message that names
// the file and says what to do ("ABI version 2, server speaks 1").
//
// Libraries are never unloaded: a plugin's protobuf descriptors may be
// registered in the process-wide generated pool, and unloading would leave
// it dangling. Thread-compatible (call from one thread at start-up).
absl::StatusOr<PluginLibrary> OpenPluginLibrary(const std::string& path);

// Calls the library's create() with `config` (passed verbatim) and returns
// the ready plugin. The plugin's error, if any, is returned with the plugin's
// name and file in the message.
absl::StatusOr<std::unique_ptr<Plugin>> InstantiatePlugin(
    const PluginLibrary& library, std::string_view config);

}  // namespace nlpd

#endif  // NLPD_SERVER_PLUGINS_PLUGIN_LOADER_H_
