// One loaded plugin, seen from the server: its description and a
// thread-safe Analyze. How the plugin runs (in this process, over the C ABI,
// or isolated in a child process) is the implementation's business.
#ifndef NLPD_SERVER_PLUGINS_PLUGIN_H_
#define NLPD_SERVER_PLUGINS_PLUGIN_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "nlpd/v1/nlpd.pb.h"
#include "runtime/call_context.h"

namespace nlpd {

// One document for a plugin. Every view must stay valid during Analyze.
struct PluginCall {
  // A serialized nlpd.v1.PluginRequest.
  std::string_view request;
  // Shortcuts of nlpd_analyze_input: the document's text and language
  // (`language` NUL-terminated, as std::string is).
  std::string_view text;
  const std::string* language = nullptr;
  // Deadline and cancellation of the call; never null.
  const CallContext* context = nullptr;
};

class Plugin {
 public:
  explicit Plugin(v1::PluginInfo info) : info_(std::move(info)) {}
  virtual ~Plugin() = default;

  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  // What the plugin is; immutable. Fields that change while the plugin is
  // loaded (restarts) come from Status().
  const v1::PluginInfo& info() const { return info_; }
  const std::string& name() const { return info_.name(); }

  // True when the plugin declared "*" or the primary subtag of `language`
  // ("de" serves "de-AT"), compared case-insensitively.
  bool SupportsLanguage(std::string_view language) const;

  // Runs the plugin on one document. Returns the serialized result (a
  // message of info().result_type()), or an error whose message names the
  // plugin. Thread-safe.
  virtual absl::StatusOr<std::string> Analyze(const PluginCall& call) const = 0;

  // info() plus what changes at run time (restarts of an isolated plugin).
  // Thread-safe.
  virtual v1::PluginInfo Status() const { return info_; }

 private:
  const v1::PluginInfo info_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_PLUGINS_PLUGIN_H_
