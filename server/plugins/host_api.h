// The server's side of the C plugin ABI: the nlpd_host_api table handed to
// every plugin, and the definitions of the opaque nlpd_error and
// nlpd_result_sink types.
#ifndef NLPD_SERVER_PLUGINS_HOST_API_H_
#define NLPD_SERVER_PLUGINS_HOST_API_H_

#include <string>

#include "absl/status/status.h"
#include "nlpd/plugin.h"
#include "runtime/call_context.h"

// Definitions of the ABI's opaque types (global namespace, as declared in
// nlpd/plugin.h). Only the server creates and reads them.
struct nlpd_error {
  nlpd_error_code code;
  std::string message;
};

struct nlpd_result_sink {
  std::string bytes;
  bool written = false;
  // The call this analyze() serves, for is_cancelled; null means never
  // cancelled.
  const nlpd::CallContext* call = nullptr;
};

namespace nlpd {

// The table passed to every plugin's create(). Static; thread-safe.
const nlpd_host_api* HostApi();

// Converts a plugin's error into a status whose message starts with
// `context`, and frees the error. `error` must not be null.
absl::Status TakeError(nlpd_error* error, absl::string_view context);

// Tags log lines written by plugins through the host API with `name` while
// the object lives on the current thread's stack. Nests.
class ScopedPluginLogTag {
 public:
  explicit ScopedPluginLogTag(const char* name);
  ~ScopedPluginLogTag();
  ScopedPluginLogTag(const ScopedPluginLogTag&) = delete;
  ScopedPluginLogTag& operator=(const ScopedPluginLogTag&) = delete;

 private:
  const char* previous_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_PLUGINS_HOST_API_H_
