// What nlpd-plugin-host does with one PluginHost.Analyze call: the
// HostAnalyzeRequest (plugin_host.proto) becomes a PluginCall on the
// plugin, and the plugin's result or error becomes the HostAnalyzeResponse.
// Also the server's reading of the response (IsolatedPlugin). Separate from
// plugin_host_main.cc and isolated_plugin.cc so that
// tests/fuzz/fuzz_plugin_host.cc runs exactly this code on arbitrary
// requests.
#ifndef NLPD_SERVER_PLUGIN_HOST_HOST_ANALYZE_H_
#define NLPD_SERVER_PLUGIN_HOST_HOST_ANALYZE_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "nlpd/v1/plugin_host.pb.h"
#include "plugins/plugin.h"

namespace nlpd {

// Runs `request` on `plugin`: request.request is passed as the serialized
// PluginRequest, text and language as the shortcuts, deadline_unix_micros
// (0: none) as the call's deadline, `is_cancelled` (may be empty) as its
// cancellation. Sets response->result on success, else response->error
// with the status code and message. Thread-safe if `plugin` is.
void HostAnalyze(const Plugin& plugin, const v1::HostAnalyzeRequest& request,
                 std::function<bool()> is_cancelled,
                 v1::HostAnalyzeResponse* response);

// The server's side: the result bytes of `response`, or its error as a
// status (a code outside absl's range becomes INTERNAL). A response with
// neither gives an empty result, as protobuf reads an unset bytes field.
absl::StatusOr<std::string> FromHostAnalyzeResponse(
    v1::HostAnalyzeResponse response);

}  // namespace nlpd

#endif  // NLPD_SERVER_PLUGIN_HOST_HOST_ANALYZE_H_
