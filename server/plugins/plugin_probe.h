// Reads what a plugin file is in a throw-away child process
// (nlpd-plugin-host --probe), before the server loads it: a library that
// crashes in its static initializers, or aborts because it registers a
// .proto file the process already has, takes only the probe down.
#ifndef NLPD_SERVER_PLUGINS_PLUGIN_PROBE_H_
#define NLPD_SERVER_PLUGINS_PLUGIN_PROBE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlpd/v1/plugin_host.pb.h"

namespace nlpd {

// Probes the plugin file `path` with the plugin host command `host_command`
// (IsolationOptions::HostCommandFor: nlpd-plugin-host, or the Python host).
// Returns the probe (PluginProbe.info set). Errors, all FAILED_PRECONDITION
// with a message that starts "plugin PATH: ": the loader refused the file
// (ABI version, descriptor), or the probe crashed or timed out (the message
// names the signal and the line of the probe's output that says why, such
// as protobuf's "File already exists in database: nlpd/v1/document.proto").
// Thread-safe.
absl::StatusOr<v1::PluginProbe> ProbePluginFile(
    const std::vector<std::string>& host_command, const std::string& path);

}  // namespace nlpd

#endif  // NLPD_SERVER_PLUGINS_PLUGIN_PROBE_H_
