// One loaded plugin instance, seen from the server: its description and a
// thread-safe Analyze over the C ABI.
#ifndef NLPD_SERVER_PLUGINS_PLUGIN_H_
#define NLPD_SERVER_PLUGINS_PLUGIN_H_

#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "nlpd/plugin.h"
#include "nlpd/v1/nlpd.pb.h"

namespace nlpd {

class Plugin {
 public:
  // Takes ownership of `instance` (destroyed through `api` in ~Plugin).
  // `api` is the plugin library's static table and must outlive this object.
  Plugin(v1::PluginInfo info, const nlpd_plugin_api* api,
         nlpd_plugin_instance* instance);
  ~Plugin();

  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  const v1::PluginInfo& info() const { return info_; }
  const std::string& name() const { return info_.name(); }

  // True when the plugin declared "*" or the primary subtag of `language`
  // ("de" serves "de-AT"), compared case-insensitively.
  bool SupportsLanguage(std::string_view language) const;

  // Runs the plugin on one document. `request` is a serialized
  // nlpd.v1.PluginRequest; `text` and `language` are the shortcuts of
  // nlpd_analyze_input (`language` must be NUL-terminated, as std::string
  // is). Returns the serialized result (a message of info().result_type()),
  // or the plugin's error with the plugin's name in the message.
  // Thread-safe: calls of a plugin that is not thread-safe are serialized.
  absl::StatusOr<std::string> Analyze(std::string_view request,
                                      std::string_view text,
                                      const std::string& language) const;

 private:
  absl::StatusOr<std::string> CallAnalyze(std::string_view request,
                                          std::string_view text,
                                          const std::string& language) const;

  const v1::PluginInfo info_;
  const nlpd_plugin_api* const api_;
  nlpd_plugin_instance* const instance_;
  const bool thread_safe_;
  // Serializes Analyze calls when !thread_safe_.
  mutable absl::Mutex serial_mutex_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_PLUGINS_PLUGIN_H_
