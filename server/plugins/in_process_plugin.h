// A plugin that runs inside the server process, called through the C ABI.
// Fast (a function call), but a crash or a hang in the plugin is the
// server's; see IsolatedPlugin for the safe alternative.
#ifndef NLPD_SERVER_PLUGINS_IN_PROCESS_PLUGIN_H_
#define NLPD_SERVER_PLUGINS_IN_PROCESS_PLUGIN_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "nlpd/plugin.h"
#include "plugins/plugin.h"

namespace nlpd {

class InProcessPlugin final : public Plugin {
 public:
  // Takes ownership of `instance` (destroyed through `api` in the
  // destructor). `api` is the plugin library's static table and must outlive
  // this object; `thread_safe` is the descriptor's flag.
  InProcessPlugin(v1::PluginInfo info, const nlpd_plugin_api* api,
                  nlpd_plugin_instance* instance, bool thread_safe);
  ~InProcessPlugin() override;

  // Crosses the C ABI; serializes the calls of a plugin that is not
  // thread-safe. Thread-safe.
  absl::StatusOr<std::string> Analyze(const PluginCall& call) const override;

 private:
  absl::StatusOr<std::string> CallAnalyze(const PluginCall& call) const;

  const nlpd_plugin_api* const api_;
  nlpd_plugin_instance* const instance_;
  const bool thread_safe_;
  // Serializes Analyze calls when !thread_safe_.
  mutable absl::Mutex serial_mutex_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_PLUGINS_IN_PROCESS_PLUGIN_H_
